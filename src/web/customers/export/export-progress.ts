import type { ExportJob } from './exports-api.js';

/** How far the job is, 0–100 (a job with nothing to export is done at once). */
export function progressPercent(job: Pick<ExportJob, 'status' | 'progress'>): number {
  if (job.status === 'completed') return 100;
  const { done, total } = job.progress;
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
}

/** Seconds left as whole minutes and seconds, for "about 2 min 5 s left"; null while unknown. */
export function etaParts(eta: number | null): { minutes: number; seconds: number } | null {
  if (eta === null || !Number.isFinite(eta) || eta < 0) return null;
  const whole = Math.ceil(eta);
  return { minutes: Math.floor(whole / 60), seconds: whole % 60 };
}

/** The export's columns: those the list shows that are fields (not the kind or the dates), in order. */
export function exportableColumns(shown: readonly { key: string; fields: readonly unknown[] }[]): string[] {
  return shown.filter((column) => column.fields.length > 0).map((column) => column.key);
}
