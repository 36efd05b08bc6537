// A Custos installation for the crash test, provisioned and run the way an operator does it
// (bench/custos-server.ts): `custos create-admin`, `custos token create`, then `custos serve`
// on a data directory of its own — SQLite there, or a fresh PostgreSQL schema. The server and
// the import (`custos seed-demo`) are separate processes the test kills with SIGKILL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { cli, installCustos, serverEnv, sqlitePathOf, startCustos, type CustosInstall } from '../../bench/custos-server.js';
import type { ServerProcess } from '../../bench/server-process.js';
import { openDatabase, type Database } from '../../src/server/db/database.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface CrashInstall {
  kind: 'sqlite' | 'postgres';
  install: CustosInstall;
  /** The PostgreSQL server the install's schema is on (null on SQLite). */
  postgresUrl: string | null;
  /** The owner's API token (Bearer). */
  token: string;
  /** Opens the database directly, as no server does: for the checks made while it is down. */
  openDirect(): Database;
  /** `custos audit verify`; throws with its output unless it exits 0. */
  verifyAudit(): string;
  drop(): Promise<void>;
}

/** A fresh install: a temporary data directory, and on PostgreSQL a schema of its own on `postgresUrl`. */
export async function provision(postgresUrl: string | null): Promise<CrashInstall> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-crash-'));
  let schema: string | null = null;
  let databaseUrl: string | undefined;
  if (postgresUrl) {
    schema = `crash_${randomBytes(6).toString('hex')}`;
    await onPostgres(postgresUrl, `CREATE SCHEMA ${schema}`);
    const url = new URL(postgresUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
  }
  const install: CustosInstall = { repoRoot, dataDir, databaseUrl };
  const { token } = installCustos(install);
  return {
    kind: postgresUrl ? 'postgres' : 'sqlite',
    install,
    postgresUrl,
    token,
    openDirect: () =>
      postgresUrl ? openDatabase({ databaseUrl: postgresUrl, sqlitePath: '', pgSchema: schema!, poolSize: 2 }) : openDatabase({ databaseUrl: null, sqlitePath: sqlitePathOf(install) }),
    verifyAudit: () => cli(install, ['audit', 'verify']),
    async drop() {
      if (postgresUrl) await onPostgres(postgresUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One statement on the PostgreSQL server (the schema's name is ours: hex digits). */
async function onPostgres(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface RunningServer {
  url: string;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown hook runs, no connection is closed cleanly. */
  kill(): Promise<void>;
  /** SIGTERM, the way an operator stops it. */
  stop(): Promise<void>;
}

export async function startServer(crash: CrashInstall): Promise<RunningServer> {
  const server: ServerProcess = await startCustos(crash.install);
  return {
    url: server.url,
    output: server.output,
    async kill() {
      process.kill(server.pid, 'SIGKILL');
      // Waits for the exit the kill caused (its SIGTERM finds the process gone).
      await server.stop();
    },
    stop: server.stop,
  };
}

/** The import's connections are named so its transaction can be told from the server's (PostgreSQL). */
const IMPORT_APPLICATION = 'custos-crash-import';
const PROBE_EVERY_MS = 10;

/**
 * How an import ended: the customers it reported created (its summary line), killed before it
 * answered, or refused by SQLite because the server wrote between its batch's first read and
 * first write (SQLITE_BUSY_SNAPSHOT: its transaction rolled back whole).
 */
export type ImportOutcome = { created: number } | { killed: true } | { lockLost: true };

/** A `custos seed-demo` run: the bulk writer (`createMany`, the import pipeline's batches). */
export interface ImportRun {
  finished: Promise<ImportOutcome>;
  /** When (performance.now()) the run printed its summary, i.e. just after its batch committed; null before. */
  answeredAt(): number | null;
  /**
   * Resolves true once the run is writing its batch — between its first insert and its commit,
   * where a kill cuts the transaction in half — or false if it ended before that was seen.
   */
  writing: Promise<boolean>;
  kill(): void;
}

/** Seeds `customers` demo customers (fewer than one batch: one transaction) with generator seed `seed`. */
export function startImport(crash: CrashInstall, customers: number, seed: number): ImportRun {
  const env = serverEnv(crash.install);
  if (env.CUSTOS_DATABASE_URL) {
    const url = new URL(env.CUSTOS_DATABASE_URL);
    url.searchParams.set('application_name', IMPORT_APPLICATION);
    env.CUSTOS_DATABASE_URL = url.toString();
  }
  const child = spawn(process.execPath, ['bin/custos.js', 'seed-demo', '--customers', String(customers), '--seed', String(seed)], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stdout = '';
  let stderr = '';
  let ended = false;
  let answeredAt: number | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    answeredAt ??= performance.now();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<ImportOutcome>((resolve, reject) => {
    child.once('close', (code, signal) => {
      ended = true;
      process.removeListener('exit', killOnExit);
      // The summary is printed once the batch committed: a run killed after it still wrote it all.
      const summary = /^\{.*"created":(\d+).*\}$/m.exec(stdout);
      if (summary) resolve({ created: Number(summary[1]) });
      else if (signal === 'SIGKILL') resolve({ killed: true });
      else if (crash.kind === 'sqlite' && /code: 'SQLITE_BUSY_SNAPSHOT'/.test(stderr)) resolve({ lockLost: true });
      else reject(new Error(`custos seed-demo failed (exit ${code ?? signal}):\n${stdout}${stderr}`));
    });
  });
  // Awaited later (after `writing`): its failure must not count as unhandled meanwhile.
  finished.catch(() => undefined);
  const writing = (async () => {
    const probe = await openWriteProbe(crash);
    try {
      // Twice in a row: a server job's short write does not pass for the import's batch.
      for (let seen = 0; !ended; await sleep(PROBE_EVERY_MS)) {
        seen = (await probe.writing()) ? seen + 1 : 0;
        if (seen === 2) return true;
      }
      return false;
    } finally {
      await probe.close();
    }
  })();
  return { finished, answeredAt: () => answeredAt, writing, kill: () => child.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a write transaction is open right now. SQLite: another connection holds the write
 * lock (an immediate transaction cannot start). PostgreSQL: the import's transaction has been
 * given an id, which it gets with its first write.
 */
async function openWriteProbe(crash: CrashInstall): Promise<{ writing(): Promise<boolean>; close(): Promise<void> }> {
  if (crash.kind === 'sqlite') {
    const probe = new SQLite(sqlitePathOf(crash.install), { timeout: 0 });
    return {
      async writing() {
        try {
          probe.exec('BEGIN IMMEDIATE');
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
          throw error;
        }
        probe.exec('ROLLBACK');
        return false;
      },
      close: async () => void probe.close(),
    };
  }
  const client = new pg.Client({ connectionString: crash.postgresUrl! });
  await client.connect();
  return {
    writing: async () => ((await client.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND backend_xid IS NOT NULL', [IMPORT_APPLICATION])).rowCount ?? 0) > 0,
    close: () => client.end(),
  };
}
