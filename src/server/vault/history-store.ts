import type { Kysely, Selectable } from 'kysely';
import type { CustomerFieldHistoryTable, DB } from '../db/schema.js';

// Field history's SQL. Only the records gateway imports this file (vault/architecture.test.ts).

export type HistoryRow = Selectable<CustomerFieldHistoryTable>;

/** 10 columns a row; 500 rows a statement stay under the bound-parameter limits. */
export async function insertHistoryRows(db: Kysely<DB>, rows: readonly HistoryRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('customer_field_history').values(rows.slice(i, i + 500)).execute();
}

/** The id of a customer's newest history row: a new one must sort after it. */
export async function newestHistoryId(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('customer_field_history')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A customer's history of these fields, newest first, before the `before` id (keyset). */
export function listHistory(db: Kysely<DB>, workspaceId: string, customerId: string, options: { fieldKeys: readonly string[]; before: string | null; limit: number }): Promise<HistoryRow[]> {
  if (options.fieldKeys.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('customer_field_history')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('field_key', 'in', [...options.fieldKeys]);
  if (options.before) query = query.where('id', '<', options.before);
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

/** Which of these fields have a history on the customer. */
export async function fieldsWithHistory(db: Kysely<DB>, workspaceId: string, customerId: string, fieldKeys: readonly string[]): Promise<string[]> {
  if (fieldKeys.length === 0) return [];
  const rows = await db
    .selectFrom('customer_field_history')
    .select('field_key')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('field_key', 'in', [...fieldKeys])
    .execute();
  return rows.map((row) => row.field_key);
}

/**
 * History rows holding values of one field of customers of one kind, stored plain or sealed as
 * `stored` says, in id order from `after`: what a reclassification moves.
 */
export function historyValuesOfField(
  db: Kysely<DB>,
  workspaceId: string,
  field: { kind: string; key: string },
  stored: 'plain' | 'sealed',
  after: string | null,
  limit: number,
): Promise<HistoryRow[]> {
  let query = db
    .selectFrom('customer_field_history as h')
    .innerJoin('customers as c', (join) => join.onRef('c.workspace_id', '=', 'h.workspace_id').onRef('c.id', '=', 'h.customer_id'))
    .selectAll('h')
    .where('h.workspace_id', '=', workspaceId)
    .where('c.kind', '=', field.kind)
    .where('h.field_key', '=', field.key)
    // A reclassification's own rows hold the classes, not values.
    .where('h.change', '<>', 'reclassified')
    .where(stored === 'plain' ? 'h.values_plain' : 'h.values_sealed', 'is not', null);
  if (after) query = query.where('h.id', '>', after);
  return query.orderBy('h.id').limit(limit).execute();
}

export function updateHistoryValues(db: Kysely<DB>, workspaceId: string, id: string, values: Pick<HistoryRow, 'values_plain' | 'values_sealed'>): Promise<unknown> {
  return db.updateTable('customer_field_history').set(values).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
