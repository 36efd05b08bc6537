import type { KeyVersion, RewrapStatus } from '../admin-api.js';

export interface KeySummary {
  /** The data-key version new customer keys are wrapped with; null before the first customer. */
  currentDataVersion: number | null;
  /** Customer keys still wrapped by an older data-key version: what a rewrap would move. */
  pending: number;
  /** Older data-key versions not retired yet (a rewrap retires them once nothing refers to them). */
  unretired: number[];
}

/** Reads the key table the way the server does: the newest data-key version not retired is current. */
export function summarizeKeys(keys: readonly KeyVersion[]): KeySummary {
  const data = keys.filter((key) => key.purpose === 'data');
  const inUse = data.filter((key) => key.retiredAt === null).map((key) => key.version);
  const currentDataVersion = inUse.length ? Math.max(...inUse) : null;
  if (currentDataVersion === null) return { currentDataVersion, pending: 0, unretired: [] };
  const older = data.filter((key) => key.version < currentDataVersion);
  return {
    currentDataVersion,
    pending: older.reduce((sum, key) => sum + (key.subjectKeys ?? 0), 0),
    unretired: older.filter((key) => key.retiredAt === null).map((key) => key.version),
  };
}

/** Whether starting a rewrap would change anything: keys to move, or versions to retire. */
export function rewrapWanted(summary: KeySummary): boolean {
  return summary.pending > 0 || summary.unretired.length > 0;
}

/** 0–100 for the progress bar; a finished rewrap of nothing is complete, not empty. */
export function progressPercent(status: Pick<RewrapStatus, 'state' | 'done' | 'total'>): number {
  if (status.total > 0) return Math.min(100, (status.done / status.total) * 100);
  return status.state === 'done' ? 100 : 0;
}

export type DurationUnit = 'seconds' | 'minutes' | 'hours';

/** A time left in the largest unit that keeps it readable, rounded up (never "about 0 seconds"). */
export function durationParts(seconds: number): { unit: DurationUnit; count: number } {
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return { unit: 'seconds', count: whole };
  if (whole < 3600) return { unit: 'minutes', count: Math.ceil(whole / 60) };
  return { unit: 'hours', count: Math.ceil(whole / 3600) };
}
