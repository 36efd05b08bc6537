import fs from 'node:fs';
import path from 'node:path';
import type { Machine } from './common.js';
import type { Figures, LoadSettings } from './measure.js';

export type TargetName = 'bare-static' | 'bare-sqlite' | 'custos-session' | 'custos-token';

export interface TargetResult extends Figures {
  description: string;
}

export interface Ratio {
  name: string;
  value: number;
  /** The least acceptable value, when there is one. */
  goal: number | null;
}

export interface Report {
  benchmark: 'auth-me';
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** The system's 1, 5 and 15-minute load averages before the first server started. */
  loadAverageAtStart: [number, number, number];
  commit: string | null;
  settings: LoadSettings;
  targets: Record<TargetName, TargetResult>;
  ratios: Ratio[];
}

/** Requests per second of Custos over the bare server: what the production stack costs. */
export function ratiosOf(targets: Record<TargetName, TargetResult>): Ratio[] {
  const ratio = (over: TargetName, under: TargetName, goal: number | null): Ratio => ({
    name: `${over} / ${under}`,
    value: targets[over].requestsPerSecond / targets[under].requestsPerSecond,
    goal,
  });
  return [ratio('custos-session', 'bare-static', 0.5), ratio('custos-session', 'bare-sqlite', null), ratio('custos-token', 'bare-static', null)];
}

export function formatReport(report: Report): string {
  // autocannon's latency histogram has 1 ms resolution: percentiles are whole milliseconds.
  const header = ['target', 'req/s (mean)', 'p50 ms', 'p99 ms', 'mean ms', 'non-2xx', 'requests'];
  const rows = Object.entries(report.targets).map(([name, t]) => [
    name,
    t.requestsPerSecond.toFixed(0),
    String(t.latencyP50Ms),
    String(t.latencyP99Ms),
    t.latencyMeanMs.toFixed(2),
    String(t.non2xx),
    String(t.requests),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  const { settings } = report;
  return [
    `GET /api/auth/me — ${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured per target`,
    `load average before the run: ${report.loadAverageAtStart.join(', ')} (1, 5, 15 min; anything else running skews the figures)`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...report.ratios.map((r) => {
      const verdict = r.goal === null ? '' : `  (goal ≥ ${r.goal}: ${r.value >= r.goal ? 'met' : 'NOT met'})`;
      return `${r.name.padEnd(30)} ${r.value.toFixed(2)}${verdict}`;
    }),
  ].join('\n');
}

/**
 * Writes a result as `<benchmark>-<time>.json` and `latest-<benchmark>.json`, plus any
 * `aliases` (auth-me also keeps writing `latest.json`, which predates the other benchmarks);
 * returns the first path.
 */
export function writeResult(resultsDir: string, report: { benchmark: string; startedAt: string }, aliases: string[] = []): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  // ISO 8601 without colons, which some file systems refuse: 2025-01-31T09-15-00Z
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const file = path.join(resultsDir, `${report.benchmark}-${stamp}.json`);
  const json = JSON.stringify(report, null, 2) + '\n';
  fs.writeFileSync(file, json);
  for (const name of [`latest-${report.benchmark}.json`, ...aliases]) fs.writeFileSync(path.join(resultsDir, name), json);
  return file;
}

/** Writes the report as `auth-me-<time>.json`, `latest-auth-me.json` and `latest.json`; returns the first path. */
export function writeReport(resultsDir: string, report: Report): string {
  return writeResult(resultsDir, report, ['latest.json']);
}
