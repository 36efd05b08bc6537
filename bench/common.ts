// What every benchmark shares: where the repository is, settings from the environment, and
// the machine and commit a result was measured on.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { LoadSettings } from './measure.js';

// Compiled to dist/bench/*.js: the repository is two levels up.
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function wholeNumberFromEnv(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}, not "${raw}"`);
  }
  return value;
}

export function settingsFromEnv(): LoadSettings {
  return {
    connections: wholeNumberFromEnv('BENCH_CONNECTIONS', 64, 1),
    pipelining: 1,
    warmupSeconds: wholeNumberFromEnv('BENCH_WARMUP_SECONDS', 3, 0),
    seconds: wholeNumberFromEnv('BENCH_SECONDS', 10, 1),
  };
}

export interface Machine {
  node: string;
  platform: string;
  release: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalMemoryBytes: number;
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryBytes: os.totalmem(),
  };
}

/**
 * The system's 1, 5 and 15-minute load averages. Taken before a benchmark starts, they tell
 * whether something else was using the machine (the figures are then worth less).
 */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg().map((value) => Math.round(value * 100) / 100);
  return [one, five, fifteen];
}

/** HEAD, with `-dirty` when the working tree has changes (the figures may come from them). */
export function gitCommit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return null;
  }
}
