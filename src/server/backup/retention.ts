/**
 * Which backups to keep: the newest of each of the last 7 days, of the last 4 weeks
 * (7-day buckets counted back from the newest day) and of the last 12 months that have one —
 * the usual grandfather-father-son rotation. Pure: the schedule deletes the rest, in each folder
 * it writes to. Days and months are UTC calendar ones, so the choice never depends on the zone.
 */
export const RETENTION = { daily: 7, weekly: 4, monthly: 12 } as const;

export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}

const DAY_MS = 86_400_000;

/** The names (or ids) of `backups` to keep; the newest backup is always kept. */
export function backupsToKeep<T extends { name: string; createdAt: Date }>(backups: readonly T[], retention: Retention = RETENTION): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
  const keep = new Set<string>();
  if (newestFirst.length === 0) return keep;
  const newestDay = Math.floor(newestFirst[0]!.createdAt.getTime() / DAY_MS);
  const keepNewestPer = (bucket: (date: Date) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const key = bucket(backup.createdAt);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      keep.add(backup.name);
    }
  };
  keepNewestPer((date) => String(Math.floor(date.getTime() / DAY_MS)), retention.daily);
  keepNewestPer((date) => String(Math.floor((newestDay - Math.floor(date.getTime() / DAY_MS)) / 7)), retention.weekly);
  keepNewestPer((date) => date.toISOString().slice(0, 7), retention.monthly);
  return keep;
}
