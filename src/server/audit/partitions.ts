import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

const monthStart = (year: number, month: number) => Date.UTC(year, month, 1);

/**
 * On PostgreSQL the audit trail is partitioned by month: makes this month's partition and the
 * next's ahead of time (the migration's `audit_ensure_month_partition` moves any event that
 * landed in the default partition meanwhile). Returns how many it made; SQLite has none to make.
 */
export async function ensureAuditPartitions(db: Kysely<DB>, now: Date): Promise<number> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return 0;
  let made = 0;
  for (const ahead of [0, 1]) {
    const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead);
    const to = monthStart(now.getUTCFullYear(), now.getUTCMonth() + ahead + 1);
    const result = await sql<{ made: boolean }>`select audit_ensure_month_partition(${from}, ${to}) as made`.execute(db);
    if (result.rows[0]?.made) made += 1;
  }
  return made;
}
