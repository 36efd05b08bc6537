import type { Kysely, Selectable } from 'kysely';
import type { CustomersTable, DB } from '../db/schema.js';

// The customer tables' SQL behind the data-quality report (gateway/quality.ts): a whole-workspace
// scan in id order and each batch's latest activity. Only the records gateway imports this file.

/** Live customers of the workspace after `after` in id order: one batch of the scan (keyset, so each batch is an index range). */
export function liveCustomersAfter(db: Kysely<DB>, workspaceId: string, after: string | null, limit: number): Promise<Selectable<CustomersTable>[]> {
  let query = db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (after) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
}

export async function countLiveCustomers(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The latest transaction, behaviour event and note (epoch ms) of each customer whose id lies in
 * (`after`, `last`]: a batch of the scan, read as three index ranges (each table's index leads with
 * workspace and customer, then time) rather than a list of a thousand ids. A deleted note still
 * counts: writing it was activity.
 */
export async function latestActivity(db: Kysely<DB>, workspaceId: string, after: string | null, last: string): Promise<Map<string, number>> {
  const ranges = await Promise.all([
    db
      .selectFrom('customer_transactions')
      .select(['customer_id', (eb) => eb.fn.max('occurred_at').as('at')])
      .where('workspace_id', '=', workspaceId)
      .where('customer_id', '>', after ?? '')
      .where('customer_id', '<=', last)
      .groupBy('customer_id')
      .execute(),
    db
      .selectFrom('customer_events')
      .select(['customer_id', (eb) => eb.fn.max('occurred_at').as('at')])
      .where('workspace_id', '=', workspaceId)
      .where('customer_id', '>', after ?? '')
      .where('customer_id', '<=', last)
      .groupBy('customer_id')
      .execute(),
    db
      .selectFrom('customer_notes')
      .select(['customer_id', (eb) => eb.fn.max('created_at').as('at')])
      .where('workspace_id', '=', workspaceId)
      .where('customer_id', '>', after ?? '')
      .where('customer_id', '<=', last)
      .groupBy('customer_id')
      .execute(),
  ]);
  const latest = new Map<string, number>();
  for (const { customer_id, at } of ranges.flat()) {
    if (at === null) continue;
    const time = Number(at);
    if (time > (latest.get(customer_id) ?? -Infinity)) latest.set(customer_id, time);
  }
  return latest;
}

/** Open duplicate candidates (duplicates/ finds them, the duplicates page resolves them) by score: at most 101 rows. */
export async function openDuplicateScores(db: Kysely<DB>, workspaceId: string): Promise<{ score: number; count: number }[]> {
  const rows = await db
    .selectFrom('duplicate_candidates')
    .select(['score', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .groupBy('score')
    .execute();
  return rows.map((row) => ({ score: Number(row.score), count: Number(row.count) }));
}
