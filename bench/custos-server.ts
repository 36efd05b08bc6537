// The real Custos server, started the way an operator does: `custos create-admin` and
// `custos token create` on a fresh data directory with a SQLite file, then `custos serve`.
// Only the environment differs from the defaults (see README.md).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { sampleMemory } from './memory.js';
import { startServer, type ServerProcess } from './server-process.js';

const EMAIL = 'bench@example.com';
const PASSWORD = 'violet-harbor-tundra-49';

export interface CustosInstall {
  repoRoot: string;
  dataDir: string;
  /** A PostgreSQL database of the bench's own; the SQLite file in dataDir when absent. */
  databaseUrl?: string;
}

/**
 * The server's environment: ours alone, so a CUSTOS_DATABASE_URL or CUSTOS_PUBLIC_URL in the
 * caller's shell cannot send the bench to another database or change the cookie name.
 */
export function serverEnv({ dataDir, databaseUrl }: CustosInstall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CUSTOS_') && name !== 'HOST' && name !== 'PORT') env[name] = value;
  }
  return {
    ...env,
    CUSTOS_DATA_DIR: dataDir,
    ...(databaseUrl ? { CUSTOS_DATABASE_URL: databaseUrl } : {}),
    HOST: '127.0.0.1',
    PORT: '0',
    // The bare baseline logs nothing either; warnings and errors still reach the output.
    CUSTOS_LOG_LEVEL: 'warn',
    // The per-IP limiter stays installed and counts every request; it just never trips.
    CUSTOS_RATE_LIMIT_PER_MINUTE: '1000000000',
  };
}

/** Runs `custos ARGS` on the install (stdin from `input`); returns its stdout, throws when it fails. */
export function cli(install: CustosInstall, args: string[], input?: string): string {
  const run = spawnSync(process.execPath, ['bin/custos.js', ...args], { cwd: install.repoRoot, env: serverEnv(install), input, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`custos ${args.slice(0, 2).join(' ')} failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** Creates the workspace owner and an API token; returns the token. */
export function installCustos(install: CustosInstall): { token: string } {
  cli(install, ['create-admin', '--email', EMAIL, '--password-stdin', '--workspace', 'Bench'], PASSWORD + '\n');
  const token = cli(install, ['token', 'create', '--email', EMAIL, '--name', 'bench']).trim();
  if (!/^\S+$/.test(token)) throw new Error(`custos token create printed something other than a token: ${token}`);
  return { token };
}

/** Where `custos serve` keeps its SQLite database in this install. */
export function sqlitePathOf(install: CustosInstall): string {
  return path.join(install.dataDir, 'custos.sqlite');
}

export interface SeedResult {
  /** The summary `custos seed-demo` prints on stdout, timed by the CLI around its batches. */
  created: number;
  rejected: number;
  seconds: number;
  perSecond: number;
  /** From starting the command to its exit (start-up and migrations check included). */
  wallSeconds: number;
  /** The seeding process's VmHWM (null without /proc). */
  peakRssBytes: number | null;
}

/**
 * `custos seed-demo --customers N --seed S` in a child process; each progress line it writes
 * on stderr goes to `onProgress`. Rejects when it fails or rejects any customer.
 */
export function seedDemo(install: CustosInstall, customers: number, seed: number, onProgress: (line: string) => void): Promise<SeedResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/custos.js', 'seed-demo', '--customers', String(customers), '--seed', String(seed)], {
      cwd: install.repoRoot,
      env: serverEnv(install),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Last resort when the bench exits while seeding (Ctrl-C).
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const memory = sampleMemory(child.pid!, 1000);
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim()) onProgress(line);
    });
    let finished = false;
    const finish = () => {
      if (finished) return null;
      finished = true;
      process.removeListener('exit', killOnExit);
      return { wallSeconds: (performance.now() - started) / 1000, peakRssBytes: memory.stop().hwmBytes };
    };
    child.once('error', (error) => {
      if (finish()) reject(error);
    });
    child.once('close', (code, signal) => {
      const timing = finish();
      if (!timing) return;
      let parsed: Omit<SeedResult, 'wallSeconds' | 'peakRssBytes'> | undefined;
      try {
        parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Omit<SeedResult, 'wallSeconds' | 'peakRssBytes'>;
      } catch {
        parsed = undefined;
      }
      if (code !== 0 || !parsed) {
        reject(new Error(`custos seed-demo failed (exit ${code ?? signal}):\n${stdout}${stderr.split('\n').slice(-20).join('\n')}`));
        return;
      }
      resolve({ ...parsed, ...timing });
    });
  });
}

export function startCustos(install: CustosInstall): Promise<ServerProcess> {
  return startServer({
    name: 'custos serve',
    args: ['bin/custos.js', 'serve'],
    cwd: install.repoRoot,
    env: serverEnv(install),
    readyLine: /Custos is running at (\S+)/,
    readyPath: '/healthz',
  });
}

/** Signs in with the password; returns the Cookie header the browser would send. */
export async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${body}`);
  const session = response.headers.getSetCookie().map((line) => /^(custos_session=[^;]+)/.exec(line)?.[1]).find(Boolean);
  if (!session) throw new Error(`sign-in set no custos_session cookie: ${response.headers.getSetCookie().join(' | ')}`);
  return session;
}

/** One request before the load: the headers must identify the bench user. */
export async function checkSignedIn(url: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${url}/api/auth/me`, { headers });
  const body = await response.text();
  if (!response.ok || !body.includes(EMAIL)) throw new Error(`GET /api/auth/me did not answer the bench user: ${response.status} ${body}`);
}
