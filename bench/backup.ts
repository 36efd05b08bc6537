// The backup benchmark (issue 6, item 9): on one seeded SQLite install, `custos backup --out`
// against a plain SQLite backup of the same file in the same run — better-sqlite3's
// `db.backup()` (the online backup API the CLI's snapshot uses) and the sqlite3 shell's
// `.backup` when it is installed — then `custos restore` into a new data directory and
// `custos backup verify`. The goal: a Custos backup (snapshot, encryption, manifest) within 2×
// the plain copy. See bench/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { gitCommit, loadAverage, machineInfo, repoRoot, wholeNumberFromEnv, type Machine } from './common.js';
import { cli, installCustos, seedDemo, sqlitePathOf, type CustosInstall, type SeedResult } from './custos-server.js';
import type { LoadSettings } from './measure.js';
import { writeResult } from './report.js';

/** The goal: `custos backup` takes at most this many times the plain SQLite copy. */
const GOAL_RATIO = 2;
const PROGRESS_EVERY_MS = 10_000;

interface Timed {
  /** The command's own figure (the CLI's `seconds`: the work, without Node's start-up), or the copy's. */
  seconds: number;
  /** From starting the process (or the call) to its end. */
  wallSeconds: number;
  bytes: number;
}

export interface BackupReport {
  benchmark: 'backup';
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  loadAverageAtStart: [number, number, number];
  commit: string | null;
  settings: { customers: number; seed: number };
  seeding: SeedResult;
  /** The SQLite file and its WAL when the backups ran. */
  databaseBytes: number;
  plain: { betterSqlite3: Timed; sqlite3Shell: Timed | null };
  /** passes: 1 when the file was encrypted as it was read, 2 when Custos had to copy it first. */
  custos: Timed & { rows: number; passes: number };
  /** `custos backup` over the faster plain copy, by the commands' own figures and by wall time. */
  ratio: number;
  wallRatio: number;
  goal: { ratio: number; met: boolean };
  restore: Timed;
  verify: { seconds: number; restoreSeconds: number; wallSeconds: number; ok: boolean };
}

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/** Runs `custos ARGS --json`, timed; returns its JSON and the wall time. */
function timedCli(install: CustosInstall, args: string[]): { json: Record<string, unknown>; wallSeconds: number } {
  const started = performance.now();
  const stdout = cli(install, [...args, '--json']);
  return { json: JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>, wallSeconds: (performance.now() - started) / 1000 };
}

async function betterSqlite3Backup(file: string, out: string): Promise<Timed> {
  const started = performance.now();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await db.backup(out);
  } finally {
    db.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, wallSeconds: seconds, bytes: sizeOf(out) };
}

/** The sqlite3 shell's `.backup`, when the shell is installed (null otherwise). */
function shellBackup(file: string, out: string): Timed | null {
  const started = performance.now();
  const run = spawnSync('sqlite3', [file, `.backup '${out}'`], { encoding: 'utf8' });
  if (run.error) return null;
  if (run.status !== 0) throw new Error(`sqlite3 .backup failed (exit ${run.status}): ${run.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, wallSeconds: seconds, bytes: sizeOf(out) };
}

function formatBackupReport(report: BackupReport): string {
  const line = (name: string, timed: Timed) => `  ${name.padEnd(40)} ${timed.seconds.toFixed(2).padStart(8)} s  (wall ${timed.wallSeconds.toFixed(2)} s)  ${(timed.bytes / 1024 ** 2).toFixed(1).padStart(8)} MiB`;
  return [
    `backup: ${report.settings.customers.toLocaleString('en')} demo customers, database ${(report.databaseBytes / 1024 ** 2).toFixed(1)} MiB (SQLite + WAL)`,
    line('better-sqlite3 db.backup()', report.plain.betterSqlite3),
    ...(report.plain.sqlite3Shell ? [line('sqlite3 .backup', report.plain.sqlite3Shell)] : ['  sqlite3 .backup                    (the sqlite3 shell is not installed)']),
    line(`custos backup --out (${report.custos.rows.toLocaleString('en')} rows, ${report.custos.passes === 1 ? 'one pass' : 'copied first'})`, report.custos),
    `  ratio ${report.ratio.toFixed(2)}× the faster plain copy (wall ${report.wallRatio.toFixed(2)}×): goal ≤ ${report.goal.ratio}× ${report.goal.met ? 'met' : 'NOT met'}`,
    line('custos restore --data-dir', report.restore),
    `  ${'custos backup verify'.padEnd(40)} ${report.verify.seconds.toFixed(2).padStart(8)} s  (its restore ${report.verify.restoreSeconds.toFixed(2)} s, wall ${report.verify.wallSeconds.toFixed(2)} s) ${report.verify.ok ? 'ok' : 'FAILED'}`,
  ].join('\n');
}

/** The backup benchmark, in `scratch` (a fresh directory). */
export async function runBackup(scratch: string, _load: LoadSettings): Promise<void> {
  const customers = wholeNumberFromEnv('BENCH_BACKUP_CUSTOMERS', 100_000, 1_000, 10_000_000);
  const seed = wholeNumberFromEnv('BENCH_SEED', 1, 0, 2 ** 31 - 1);
  console.log(`\n=== backup: ${customers.toLocaleString('en')} demo customers (seed ${seed}), SQLite ===`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'custos') };
  installCustos(install);

  console.log(`\nseeding: custos seed-demo --customers ${customers} --seed ${seed}`);
  let lastProgress = performance.now();
  const seeding = await seedDemo(install, customers, seed, (line) => {
    if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = performance.now();
    console.log(`  ${line}`);
  });
  console.log(`  ${seeding.created} customers in ${seeding.wallSeconds.toFixed(1)} s`);

  const file = sqlitePathOf(install);
  const databaseBytes = sizeOf(file) + sizeOf(`${file}-wal`);
  const out = path.join(scratch, 'out');
  fs.mkdirSync(out);
  console.log('\nbetter-sqlite3 db.backup()…');
  const betterSqlite3 = await betterSqlite3Backup(file, path.join(out, 'plain.sqlite'));
  console.log('sqlite3 .backup…');
  const sqlite3Shell = shellBackup(file, path.join(out, 'shell.sqlite'));
  console.log('custos backup --out…');
  const backupFile = path.join(out, 'custos.backup');
  const made = timedCli(install, ['backup', '--out', backupFile]);
  const manifest = made.json.manifest as { tables: Record<string, number> };
  const custos = { seconds: made.json.seconds as number, wallSeconds: made.wallSeconds, bytes: sizeOf(backupFile), rows: Object.values(manifest.tables).reduce((sum, n) => sum + n, 0), passes: made.json.passes as number };
  const plainFastest = [betterSqlite3, sqlite3Shell].filter((timed): timed is Timed => timed !== null).reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  // The plain copies are no longer needed: free their space before the restore.
  fs.rmSync(path.join(out, 'plain.sqlite'), { force: true });
  fs.rmSync(path.join(out, 'shell.sqlite'), { force: true });

  console.log('custos restore --from … --data-dir …');
  const restored = timedCli(install, ['restore', '--from', backupFile, '--data-dir', path.join(scratch, 'restored')]);
  const restore = { seconds: restored.json.seconds as number, wallSeconds: restored.wallSeconds, bytes: sizeOf(path.join(scratch, 'restored', 'custos.sqlite')) };
  fs.rmSync(path.join(scratch, 'restored'), { recursive: true, force: true });
  console.log('custos backup verify …');
  const verified = timedCli(install, ['backup', 'verify', backupFile]);
  const verify = { seconds: verified.json.seconds as number, restoreSeconds: verified.json.restoreSeconds as number, wallSeconds: verified.wallSeconds, ok: verified.json.ok === true };

  const ratio = custos.seconds / plainFastest.seconds;
  const report: BackupReport = {
    benchmark: 'backup',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart,
    commit: gitCommit(),
    settings: { customers, seed },
    seeding,
    databaseBytes,
    plain: { betterSqlite3, sqlite3Shell },
    custos,
    ratio,
    wallRatio: custos.wallSeconds / plainFastest.wallSeconds,
    goal: { ratio: GOAL_RATIO, met: ratio <= GOAL_RATIO },
    restore,
    verify,
  };
  console.log('\n' + formatBackupReport(report) + '\n');
  console.log(`Results: ${path.relative(process.cwd(), writeResult(path.join(repoRoot, 'bench/results'), report))} (and latest-backup.json)`);
}
