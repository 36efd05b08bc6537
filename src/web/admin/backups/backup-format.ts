import type { BackupRun, BackupRunProgress } from './backups-api.js';

/** A progress bar's value: the phase's share when its size is known, else null (an indeterminate bar). */
export function progressPercent(progress: BackupRunProgress | null): number | null {
  if (!progress || progress.totalBytes === null || progress.totalBytes <= 0) return null;
  return Math.min(100, Math.max(0, Math.round((progress.bytes / progress.totalBytes) * 100)));
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A size as people read it: 1 decimal from KiB on. */
export function formatBytes(bytes: number | null, locale: string): string {
  if (bytes === null) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${UNITS[unit]}`;
}

/** What the page warns about first: a failed last run, else an overdue schedule, else nothing. */
export function backupWarning(overview: { overdue: boolean; runs: readonly Pick<BackupRun, 'status'>[] }): 'failed' | 'overdue' | null {
  const last = overview.runs.find((run) => run.status !== 'running');
  if (last?.status === 'failed') return 'failed';
  return overview.overdue ? 'overdue' : null;
}
