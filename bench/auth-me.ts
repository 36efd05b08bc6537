// The auth-me benchmark: GET /api/auth/me on a bare Fastify server and on Custos, one server
// at a time, each in its own process, loaded by autocannon from this one. See bench/README.md.
import path from 'node:path';
import { startBare } from './bare-launch.js';
import { gitCommit, loadAverage, machineInfo, repoRoot } from './common.js';
import { checkSignedIn, installCustos, signIn, startCustos, type CustosInstall } from './custos-server.js';
import { measure, problemsOf, type LoadSettings } from './measure.js';
import { formatReport, ratiosOf, writeReport, type Report, type TargetName, type TargetResult } from './report.js';
import type { ServerProcess } from './server-process.js';

interface Target {
  name: TargetName;
  description: string;
  /** Starts the server; resolves with it and the headers each request carries. */
  start(): Promise<{ server: ServerProcess; headers: Record<string, string> }>;
}

/** Runs `prepare` against a started server (sign-in, a check); stops the server if it throws. */
async function prepared(server: ServerProcess, prepare: () => Promise<Record<string, string>>) {
  try {
    return { server, headers: await prepare() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function targets(scratch: string): Target[] {
  const bareSqlite = path.join(scratch, 'bare.sqlite');
  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'custos') };
  const { token } = installCustos(install);
  return [
    {
      name: 'bare-static',
      description: 'bare Fastify 5, constant JSON',
      start: async () => ({ server: await startBare('static', {}, '/api/auth/me'), headers: {} }),
    },
    {
      name: 'bare-sqlite',
      description: 'bare Fastify 5, one prepared better-sqlite3 SELECT per request (file, WAL)',
      start: async () => ({ server: await startBare('sqlite', { BARE_SQLITE_PATH: bareSqlite }, '/api/auth/me'), headers: {} }),
    },
    {
      name: 'custos-session',
      description: 'custos serve (SQLite file), session cookie from POST /api/auth/login',
      start: async () => {
        const server = await startCustos(install);
        return prepared(server, async () => {
          const headers = { cookie: await signIn(server.url) };
          await checkSignedIn(server.url, headers);
          return headers;
        });
      },
    },
    {
      name: 'custos-token',
      description: 'custos serve (SQLite file), Authorization: Bearer token from `custos token create`',
      start: async () => {
        const server = await startCustos(install);
        return prepared(server, async () => {
          const headers = { authorization: `Bearer ${token}` };
          await checkSignedIn(server.url, headers);
          return headers;
        });
      },
    },
  ];
}

async function benchTarget(target: Target, settings: LoadSettings): Promise<TargetResult> {
  console.log(`\n${target.name}: ${target.description}`);
  const { server, headers } = await target.start();
  try {
    console.log(`  ${server.url} is ready; warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s measured…`);
    const figures = await measure(`${server.url}/api/auth/me`, headers, settings);
    const problems = problemsOf(figures);
    if (problems.length) throw new Error(`${target.name} is not a valid run: ${problems.join('; ')}`);
    console.log(`  ${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms`);
    return { description: target.description, ...figures };
  } finally {
    await server.stop();
  }
}

/** Runs the benchmark in `scratch` (a fresh directory); prints the table and writes the result. */
export async function runAuthMe(scratch: string, settings: LoadSettings): Promise<void> {
  console.log('\n=== auth-me: GET /api/auth/me ===');
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const results: Partial<Record<TargetName, TargetResult>> = {};
  for (const target of targets(scratch)) results[target.name] = await benchTarget(target, settings);
  const measured = results as Record<TargetName, TargetResult>;
  const report: Report = {
    benchmark: 'auth-me',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart,
    commit: gitCommit(),
    settings,
    targets: measured,
    ratios: ratiosOf(measured),
  };
  console.log('\n' + formatReport(report) + '\n');
  console.log(`Results: ${path.relative(process.cwd(), writeReport(path.join(repoRoot, 'bench/results'), report))} (and latest-auth-me.json, latest.json)`);
}
