// `npm run bench`: GET /api/auth/me on a bare Fastify server and on Custos, one server at a
// time, each in its own process, loaded by autocannon from this one. See bench/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSignedIn, installCustos, signIn, startCustos, type CustosInstall } from './custos-server.js';
import { measure, problemsOf, type LoadSettings } from './measure.js';
import { formatReport, ratiosOf, writeReport, type Report, type TargetName, type TargetResult } from './report.js';
import { startServer, type ServerProcess } from './server-process.js';

// Compiled to dist/bench/run.js: the repository is two levels up.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function wholeNumberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return value;
}

function settingsFromEnv(): LoadSettings {
  return {
    connections: wholeNumberFromEnv('BENCH_CONNECTIONS', 64, 1),
    pipelining: 1,
    warmupSeconds: wholeNumberFromEnv('BENCH_WARMUP_SECONDS', 3, 0),
    seconds: wholeNumberFromEnv('BENCH_SECONDS', 10, 1),
  };
}

interface Target {
  name: TargetName;
  description: string;
  /** Starts the server; resolves with it and the headers each request carries. */
  start(): Promise<{ server: ServerProcess; headers: Record<string, string> }>;
}

function startBare(mode: 'static' | 'sqlite', sqlitePath: string): Promise<ServerProcess> {
  return startServer({
    name: `bare-server (${mode})`,
    args: [fileURLToPath(new URL('./bare-server.js', import.meta.url))],
    cwd: repoRoot,
    env: { ...process.env, BARE_MODE: mode, BARE_SQLITE_PATH: sqlitePath },
    readyLine: /listening at (\S+)/,
    readyPath: '/api/auth/me',
  });
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
      start: async () => ({ server: await startBare('static', bareSqlite), headers: {} }),
    },
    {
      name: 'bare-sqlite',
      description: 'bare Fastify 5, one prepared better-sqlite3 SELECT per request (file, WAL)',
      start: async () => ({ server: await startBare('sqlite', bareSqlite), headers: {} }),
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

function gitCommit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-bench-'));
  const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
  process.once('exit', removeScratch);
  try {
    const startedAt = new Date().toISOString();
    const results: Partial<Record<TargetName, TargetResult>> = {};
    for (const target of targets(scratch)) results[target.name] = await benchTarget(target, settings);
    const measured = results as Record<TargetName, TargetResult>;
    const cpus = os.cpus();
    const report: Report = {
      benchmark: 'auth-me',
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        node: process.version,
        platform: os.platform(),
        release: os.release(),
        arch: os.arch(),
        cpuModel: cpus[0]?.model ?? 'unknown',
        cpus: cpus.length,
        totalMemoryBytes: os.totalmem(),
      },
      commit: gitCommit(),
      settings,
      targets: measured,
      ratios: ratiosOf(measured),
    };
    console.log('\n' + formatReport(report) + '\n');
    console.log(`Results: ${path.relative(process.cwd(), writeReport(path.join(repoRoot, 'bench/results'), report))} (and latest.json)`);
  } finally {
    removeScratch();
  }
}

// Ctrl-C or a kill: exit through the 'exit' handlers, which stop the servers and remove the scratch directory.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((error: unknown) => {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
