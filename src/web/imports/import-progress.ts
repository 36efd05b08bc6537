import type { ImportJob, ImportSettings } from './imports-api.js';

/** The bar's value: the share of rows done when the total is known, else null (an indeterminate bar). */
export function progressPercent(progress: Pick<ImportJob['progress'], 'done' | 'total'>): number | null {
  if (progress.total === null || progress.total <= 0) return null;
  return Math.min(100, Math.max(0, Math.floor((progress.done / progress.total) * 100)));
}

/** Rows per second as people read it: whole numbers from 10 on, one decimal below. */
export function formatRate(rate: number, locale: string): string {
  const safe = Number.isFinite(rate) && rate > 0 ? rate : 0;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: safe >= 10 ? 0 : 1 }).format(safe);
}

/**
 * Time left as a clock, `m:ss` or `h:mm:ss` — read the same in every language; null when the
 * server cannot tell yet. Rounded up: "0:00" would say it is done while it is not.
 */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const total = Math.ceil(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** A job whose state can still change by itself: polled until it settles. */
export function isActive(job: Pick<ImportJob, 'status'> | undefined): boolean {
  return job?.status === 'running';
}

/** Cancelled and failed jobs continue from their last committed row. */
export function canResume(job: Pick<ImportJob, 'status'>): boolean {
  return job.status === 'cancelled' || job.status === 'failed';
}

/** A finished dry run is the rehearsal for the same job done for real. */
export function canImportForReal(job: Pick<ImportJob, 'status' | 'dryRun'>): boolean {
  return job.status === 'completed' && job.dryRun;
}

/** A job waiting for its mapping is not a dry run yet, whatever the server's default says. */
export function isDryRun(job: Pick<ImportJob, 'status' | 'dryRun'>): boolean {
  return job.dryRun && job.status !== 'uploaded';
}

/** What the job was started with: a dry run's settings start it for real. */
export function settingsOf(job: Pick<ImportJob, 'kind' | 'mapping' | 'matchBy' | 'onMatch'>): ImportSettings {
  return { kind: job.kind, mapping: job.mapping, matchBy: job.matchBy, onMatch: job.onMatch };
}
