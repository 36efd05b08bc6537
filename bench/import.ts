// The import benchmark (issue 7, item 8): a realistic messy customer list (bench/import-file.ts)
// through `custos import` on a fresh SQLite install — parse, standardize, validate, encrypt,
// blind-index, duplicate check, insert — against the same rows inserted raw in the same run:
// the file parsed with the same CSV parser and each row's cells written as they are into a
// plain SQLite table, a transaction per 1,000 rows, with the same durability (synchronous =
// FULL). The goal: 1,000,000 rows in at most 60 s with a peak RSS of at most 1 GB. See bench/README.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse';
import { gitCommit, loadAverage, machineInfo, repoRoot, wholeNumberFromEnv, type Machine } from './common.js';
import { installCustos, serverEnv, type CustosInstall } from './custos-server.js';
import { IMPORT_HEADER, writeMessyCsv, type MessyFile } from './import-file.js';
import type { LoadSettings } from './measure.js';
import { sampleMemory } from './memory.js';
import { writeResult } from './report.js';

const GOAL = { rows: 1_000_000, seconds: 60, peakRssBytes: 1024 ** 3 };
const BATCH = 1_000;

interface ImportSummary {
  status: string;
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  seconds: number;
  perSecond: number;
}

export interface ImportReport {
  benchmark: 'import';
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  loadAverageAtStart: [number, number, number];
  commit: string | null;
  settings: { rows: number };
  file: MessyFile;
  custos: ImportSummary & { wallSeconds: number; peakRssBytes: number | null };
  raw: { seconds: number; rowsPerSecond: number };
  /** `custos import` over the raw insert of the same rows (the CLI's own seconds over the raw seconds). */
  ratio: number;
  /** The goal scaled to the rows imported (60 s a million). */
  goal: { seconds: number; peakRssBytes: number; metTime: boolean; metMemory: boolean };
}

/** The same rows, parsed the same way, inserted as they are: the floor any import stands on. */
async function rawInsert(file: string, dbFile: string): Promise<number> {
  const started = performance.now();
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table rows (${IMPORT_HEADER.map((_, i) => `c${i} text`).join(', ')})`);
  const insert = db.prepare(`insert into rows values (${IMPORT_HEADER.map(() => '?').join(', ')})`);
  const write = db.transaction((batch: string[][]) => {
    for (const cells of batch) insert.run(...IMPORT_HEADER.map((_, i) => cells[i] ?? null));
  });
  let batch: string[][] = [];
  let header = true;
  for await (const record of fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) {
    if (header) {
      header = false;
      continue;
    }
    batch.push(record as string[]);
    if (batch.length === BATCH) {
      write(batch);
      batch = [];
    }
  }
  write(batch);
  db.close();
  return (performance.now() - started) / 1000;
}

function importWithCli(install: CustosInstall, file: string): Promise<ImportSummary & { wallSeconds: number; peakRssBytes: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/custos.js', 'import', '--file', file], { cwd: install.repoRoot, env: serverEnv(install), stdio: ['ignore', 'pipe', 'pipe'] });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const memory = sampleMemory(child.pid!, 200);
    let stdout = '';
    let stderr = '';
    let last = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const lines = stderr.trim().split('\n');
      if (performance.now() - last > 10_000) {
        last = performance.now();
        console.log(`  ${lines.at(-1)}`);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      process.removeListener('exit', killOnExit);
      const peakRssBytes = memory.stop().hwmBytes;
      if (code !== 0) return reject(new Error(`custos import failed (exit ${code}):\n${stdout}${stderr.slice(-2000)}`));
      const summary = JSON.parse(stdout.trim().split('\n').pop()!) as ImportSummary;
      resolve({ ...summary, wallSeconds: (performance.now() - started) / 1000, peakRssBytes });
    });
  });
}

const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${Math.round(bytes / 1024 ** 2)} MiB`);

export function formatImportReport(r: ImportReport): string {
  return [
    `import of ${r.settings.rows.toLocaleString('en')} messy rows (${mb(r.file.bytes)}; ${r.file.invalid} invalid, ${r.file.repeats} repeated, ${r.file.reentered} entered twice by name)`,
    `  custos import   ${r.custos.seconds.toFixed(1)} s (${r.custos.perSecond.toLocaleString('en')} rows/s; wall ${r.custos.wallSeconds.toFixed(1)} s), peak RSS ${mb(r.custos.peakRssBytes)}`,
    `                  imported ${r.custos.imported}, updated ${r.custos.updated}, unchanged ${r.custos.unchanged}, rejected ${r.custos.rejected}, duplicates ${r.custos.duplicates}`,
    `  raw insert      ${r.raw.seconds.toFixed(1)} s (${r.raw.rowsPerSecond.toLocaleString('en')} rows/s)`,
    `  ratio           ${r.ratio.toFixed(1)}× the raw insert`,
    `  goal            ≤ ${r.goal.seconds.toFixed(0)} s: ${r.goal.metTime ? 'met' : 'not met'}; peak RSS ≤ ${mb(r.goal.peakRssBytes)}: ${r.goal.metMemory ? 'met' : 'not met'}`,
  ].join('\n');
}

/** The import benchmark, in `scratch` (a fresh directory). */
export async function runImportBench(scratch: string, _load: LoadSettings): Promise<void> {
  const rows = wholeNumberFromEnv('BENCH_IMPORT_ROWS', GOAL.rows, 1_000, 10_000_000);
  console.log(`\n=== import: ${rows.toLocaleString('en')} messy rows, SQLite ===`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const file = path.join(scratch, 'customers.csv');
  console.log('writing the file…');
  const made = await writeMessyCsv(file, rows);

  console.log('raw insert of the same rows…');
  const rawSeconds = await rawInsert(file, path.join(scratch, 'raw.sqlite'));
  fs.rmSync(path.join(scratch, 'raw.sqlite'), { force: true });

  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'custos') };
  installCustos(install);
  console.log('custos import --file …');
  const custos = await importWithCli(install, file);

  const goalSeconds = (GOAL.seconds * rows) / GOAL.rows;
  const report: ImportReport = {
    benchmark: 'import',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart,
    commit: gitCommit(),
    settings: { rows },
    file: made,
    custos,
    raw: { seconds: rawSeconds, rowsPerSecond: Math.round(rows / rawSeconds) },
    ratio: custos.seconds / rawSeconds,
    goal: { seconds: goalSeconds, peakRssBytes: GOAL.peakRssBytes, metTime: custos.seconds <= goalSeconds, metMemory: custos.peakRssBytes !== null && custos.peakRssBytes <= GOAL.peakRssBytes },
  };
  console.log('\n' + formatImportReport(report) + '\n');
  console.log(`Results: ${path.relative(process.cwd(), writeResult(path.join(repoRoot, 'bench/results'), report))} (and latest-import.json)`);
}
