import type { Kysely, Selectable } from 'kysely';
import type { CustomerMergesTable, CustomersTable, DB, DuplicateCandidatesTable } from '../db/schema.js';

// The SQL of duplicate detection and merges: candidate pairs, merge records, and the moves of
// a merged customer's rows. Only the gateway's duplicates and merge parts import this file.

export type CandidateRow = Selectable<DuplicateCandidatesTable>;
export type MergeRow = Selectable<CustomerMergesTable>;
type CustomerRow = Selectable<CustomersTable>;

/** Parameters a statement binds at most: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_BOUND = 10_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The live customers holding any of these blind-index tokens, at most `perToken` of each token
 * (the newest ids first: a batch's own customers and the latest ones), with their kind. One
 * query per 10,000 tokens: a batch with no match costs that and nothing else. A common block (a
 * frequent name in a big city) cannot flood the answer.
 */
export async function tokenHolders(
  db: Kysely<DB>,
  workspaceId: string,
  tokens: readonly { field: string; token: Buffer }[],
  perToken: number,
): Promise<{ field: string; token: Buffer; customer_id: string; kind: string }[]> {
  const out: { field: string; token: Buffer; customer_id: string; kind: string }[] = [];
  for (const part of chunks(tokens, MAX_BOUND)) {
    const ranked = db
      .selectFrom('customer_lookup')
      .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
      .select((eb) => [
        'customer_lookup.field',
        'customer_lookup.token',
        'customer_lookup.customer_id',
        'customers.kind',
        eb.fn
          .agg<number>('row_number')
          .over((over) => over.partitionBy(['customer_lookup.field', 'customer_lookup.token']).orderBy('customer_lookup.customer_id', 'desc'))
          .as('rank'),
      ])
      .where('customer_lookup.workspace_id', '=', workspaceId)
      .where('customer_lookup.field', 'in', [...new Set(part.map((t) => t.field))])
      .where('customer_lookup.token', 'in', part.map((t) => t.token))
      .where('customers.deleted_at', 'is', null);
    const rows = await db.selectFrom(ranked.as('ranked')).select(['field', 'token', 'customer_id', 'kind']).where('rank', '<=', perToken).execute();
    out.push(...rows.map((row) => ({ ...row, token: Buffer.from(row.token) })));
  }
  return out;
}

/** Live customers by id. */
export async function liveCustomers(db: Kysely<DB>, workspaceId: string, ids: readonly string[]): Promise<CustomerRow[]> {
  const out: CustomerRow[] = [];
  for (const part of chunks([...new Set(ids)], 1_000)) {
    if (part.length === 0) continue;
    out.push(...(await db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', part).where('deleted_at', 'is', null).execute()));
  }
  return out;
}

/** Customers by id, soft-deleted ones too (a merged pair shows the customer the merge deleted). */
export async function customersByIds(db: Kysely<DB>, workspaceId: string, ids: readonly string[]): Promise<CustomerRow[]> {
  const out: CustomerRow[] = [];
  for (const part of chunks([...new Set(ids)], 1_000)) {
    if (part.length === 0) continue;
    out.push(...(await db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', part).execute()));
  }
  return out;
}

/** Live customers in id order from `after`, for a whole-workspace scan. */
export function liveCustomersAfter(db: Kysely<DB>, workspaceId: string, after: string | null, limit: number): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (after) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
}

export async function countLiveCustomers(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number | string>().as('n')).where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes customers' lookup rows of one field (the block keys, before they are written again). */
export async function deleteLookupField(db: Kysely<DB>, workspaceId: string, customerIds: readonly string[], field: string): Promise<void> {
  for (const part of chunks(customerIds, 1_000)) {
    await db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('field', '=', field).where('customer_id', 'in', part).execute();
  }
}

/** Which of these pairs (lower id first) are already candidates, whatever their status. */
export async function knownPairs(db: Kysely<DB>, workspaceId: string, pairs: readonly [string, string][]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const part of chunks([...new Set(pairs.map(([a]) => a))], 1_000)) {
    const rows = await db.selectFrom('duplicate_candidates').select(['customer_a', 'customer_b']).where('workspace_id', '=', workspaceId).where('customer_a', 'in', part).execute();
    for (const row of rows) known.add(`${row.customer_a}|${row.customer_b}`);
  }
  return known;
}

export async function insertCandidates(db: Kysely<DB>, rows: CandidateRow[]): Promise<void> {
  for (const part of chunks(rows, 500)) await db.insertInto('duplicate_candidates').values(part).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * A page of candidates of one status, best first, whose customers are both live: keyset-paged
 * by (score desc, id). Pairs outside the caller's reach are filtered by the caller.
 */
export function candidatesPage(db: Kysely<DB>, workspaceId: string, options: { status: string; after: { score: number; id: string } | null; limit: number }): Promise<CandidateRow[]> {
  let query = db
    .selectFrom('duplicate_candidates as d')
    .innerJoin('customers as a', (join) => join.onRef('a.workspace_id', '=', 'd.workspace_id').onRef('a.id', '=', 'd.customer_a'))
    .innerJoin('customers as b', (join) => join.onRef('b.workspace_id', '=', 'd.workspace_id').onRef('b.id', '=', 'd.customer_b'))
    .selectAll('d')
    .where('d.workspace_id', '=', workspaceId)
    .where('d.status', '=', options.status);
  // A merged pair has one customer deleted by the merge; it is still listed as merged.
  if (options.status !== 'merged') query = query.where('a.deleted_at', 'is', null).where('b.deleted_at', 'is', null);
  if (options.after) {
    const { score, id } = options.after;
    query = query.where((eb) => eb.or([eb('d.score', '<', score), eb.and([eb('d.score', '=', score), eb('d.id', '>', id)])]));
  }
  return query.orderBy('d.score', 'desc').orderBy('d.id').limit(options.limit).execute();
}

export function findCandidate(db: Kysely<DB>, workspaceId: string, id: string): Promise<CandidateRow | undefined> {
  return db.selectFrom('duplicate_candidates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function findPair(db: Kysely<DB>, workspaceId: string, a: string, b: string): Promise<CandidateRow | undefined> {
  const [x, y] = a < b ? [a, b] : [b, a];
  return db.selectFrom('duplicate_candidates').selectAll().where('workspace_id', '=', workspaceId).where('customer_a', '=', x).where('customer_b', '=', y).executeTakeFirst();
}

export function resolveCandidate(db: Kysely<DB>, workspaceId: string, id: string, change: Pick<CandidateRow, 'status' | 'resolved_by' | 'resolved_at'>): Promise<unknown> {
  return db.updateTable('duplicate_candidates').set(change).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function insertMerge(db: Kysely<DB>, row: MergeRow): Promise<unknown> {
  return db.insertInto('customer_merges').values(row).execute();
}

export function findMerge(db: Kysely<DB>, workspaceId: string, id: string): Promise<MergeRow | undefined> {
  return db.selectFrom('customer_merges').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Merges made since `since`, not undone, newest first. */
export function recentMerges(db: Kysely<DB>, workspaceId: string, since: number, limit: number): Promise<MergeRow[]> {
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', since)
    .where('undone_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function markMergeUndone(db: Kysely<DB>, workspaceId: string, id: string, at: number, by: string | null): Promise<unknown> {
  return db.updateTable('customer_merges').set({ undone_at: at, undone_by: by }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** The tables whose rows belong to one customer, moved by a merge; sealed ones are re-sealed by the caller. */
export const PLAIN_CHILD_TABLES = ['customer_transactions', 'customer_events', 'support_cases'] as const;
export type PlainChildTable = (typeof PLAIN_CHILD_TABLES)[number];

export async function childIds(db: Kysely<DB>, table: PlainChildTable, workspaceId: string, customerId: string): Promise<string[]> {
  const rows = await db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).execute();
  return rows.map((row) => row.id);
}

/** Hands rows of a plain child table from one customer to another (only those still with `from`). */
export async function moveChildRows(db: Kysely<DB>, table: PlainChildTable, workspaceId: string, ids: readonly string[], from: string, to: string): Promise<void> {
  for (const part of chunks(ids, 1_000)) {
    await db.updateTable(table).set({ customer_id: to }).where('workspace_id', '=', workspaceId).where('customer_id', '=', from).where('id', 'in', part).execute();
  }
}

export function notesOf(db: Kysely<DB>, workspaceId: string, customerId: string, ids?: readonly string[]) {
  let query = db.selectFrom('customer_notes').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId);
  if (ids) query = query.where('id', 'in', ids.length ? [...ids] : ['']);
  return query.execute();
}

export function contactPointsOf(db: Kysely<DB>, workspaceId: string, customerId: string, ids?: readonly string[]) {
  let query = db.selectFrom('customer_contact_points').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId);
  if (ids) query = query.where('id', 'in', ids.length ? [...ids] : ['']);
  return query.execute();
}

export function addressesOf(db: Kysely<DB>, workspaceId: string, customerId: string, ids?: readonly string[]) {
  let query = db.selectFrom('customer_addresses').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId);
  if (ids) query = query.where('id', 'in', ids.length ? [...ids] : ['']);
  return query.execute();
}

export function historyOf(db: Kysely<DB>, workspaceId: string, customerId: string, ids?: readonly string[]) {
  let query = db.selectFrom('customer_field_history').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId);
  if (ids) query = query.where('id', 'in', ids.length ? [...ids] : ['']);
  return query.execute();
}

/** Moves one sealed row to another customer, with its value sealed again under that customer's key. */
export function moveSealedRow(
  db: Kysely<DB>,
  table: 'customer_notes' | 'customer_contact_points' | 'customer_addresses',
  workspaceId: string,
  id: string,
  to: string,
  value: Buffer,
  extra: { is_primary?: number } = {},
): Promise<unknown> {
  const set = table === 'customer_notes' ? { customer_id: to, body: value } : { customer_id: to, value, ...extra };
  return db
    .updateTable(table as 'customer_contact_points')
    .set(set as { customer_id: string; value: Buffer })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export function moveHistoryRow(db: Kysely<DB>, workspaceId: string, id: string, to: string, sealed: Buffer | null): Promise<unknown> {
  return db.updateTable('customer_field_history').set({ customer_id: to, values_sealed: sealed }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function deleteContactPoints(db: Kysely<DB>, workspaceId: string, ids: readonly string[]): Promise<unknown> {
  return db.deleteFrom('customer_contact_points').where('workspace_id', '=', workspaceId).where('id', 'in', ids.length ? [...ids] : ['']).execute();
}

/** Takes every lookup row of these fields from a customer, returning them (contact points' indexes follow the contact points). */
export async function takeLookupRows(db: Kysely<DB>, workspaceId: string, fields: readonly string[], from: string): Promise<{ field: string; token: Buffer }[]> {
  const rows = await db.selectFrom('customer_lookup').select(['field', 'token']).where('workspace_id', '=', workspaceId).where('customer_id', '=', from).where('field', 'in', [...fields]).execute();
  await db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('customer_id', '=', from).where('field', 'in', [...fields]).execute();
  return rows.map((row) => ({ field: row.field, token: Buffer.from(row.token) }));
}

/** A customer's lookup rows of these fields. */
export async function lookupRowsOf(db: Kysely<DB>, workspaceId: string, customerId: string, fields: readonly string[]): Promise<{ field: string; token: Buffer }[]> {
  const rows = await db.selectFrom('customer_lookup').select(['field', 'token']).where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).where('field', 'in', [...fields]).execute();
  return rows.map((row) => ({ field: row.field, token: Buffer.from(row.token) }));
}

/** Removes these lookup rows of a customer. */
export async function deleteLookupRows(db: Kysely<DB>, workspaceId: string, customerId: string, rows: readonly { field: string; token: Buffer }[]): Promise<void> {
  for (const row of rows) {
    await db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('field', '=', row.field).where('token', '=', row.token).where('customer_id', '=', customerId).execute();
  }
}
