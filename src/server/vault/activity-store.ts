import type { Kysely, Selectable } from 'kysely';
import type { CustomerContactPointsTable, CustomerEventsTable, CustomerNotesTable, CustomerTransactionsTable, DB } from '../db/schema.js';

// Transactions, behaviour events, notes and contact points. Only the records gateway imports this file.

export type TransactionRow = Selectable<CustomerTransactionsTable>;
export type EventRow = Selectable<CustomerEventsTable>;

export function insertTransaction(db: Kysely<DB>, row: TransactionRow): Promise<unknown> {
  return db.insertInto('customer_transactions').values(row).execute();
}

export function findTransactionByExternalId(db: Kysely<DB>, workspaceId: string, externalId: string): Promise<TransactionRow | undefined> {
  return db.selectFrom('customer_transactions').selectAll().where('workspace_id', '=', workspaceId).where('external_id', '=', externalId).executeTakeFirst();
}

export function listTransactions(db: Kysely<DB>, workspaceId: string, customerId: string, limit: number): Promise<TransactionRow[]> {
  return db
    .selectFrom('customer_transactions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Totals per currency of the transactions that count (not cancelled or refunded). */
export function transactionTotals(db: Kysely<DB>, workspaceId: string, customerId: string) {
  return db
    .selectFrom('customer_transactions')
    .select(['currency', (eb) => eb.fn.sum<number>('amount_minor').as('amount_minor'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('status', 'not in', ['cancelled', 'refunded'])
    .groupBy('currency')
    .orderBy('currency')
    .execute();
}

/** 6 columns a row; 1,000 rows a statement stay under the bound-parameter limits. */
export async function insertEvents(db: Kysely<DB>, rows: EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('customer_events').values(rows.slice(i, i + 1000)).execute();
}

/** A customer's timeline, newest first; keyset on (occurred_at, id) — the primary key's order. */
export function listEvents(db: Kysely<DB>, workspaceId: string, customerId: string, before: { at: number; id: string } | null, limit: number): Promise<EventRow[]> {
  let query = db.selectFrom('customer_events').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId);
  if (before) query = query.where((eb) => eb.or([eb('occurred_at', '<', before.at), eb.and([eb('occurred_at', '=', before.at), eb('id', '<', before.id)])]));
  return query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Which of these ids are live customers of the workspace. */
/** The live customers among these ids, with their owner and team (for the scope check). */
export function existingCustomers(db: Kysely<DB>, workspaceId: string, ids: string[]): Promise<{ id: string; owner_user_id: string | null; team_id: string | null }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('customers').select(['id', 'owner_user_id', 'team_id']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
}

export type NoteRow = Selectable<CustomerNotesTable>;

export function insertNote(db: Kysely<DB>, row: NoteRow): Promise<unknown> {
  return db.insertInto('customer_notes').values(row).execute();
}

export function listNotes(db: Kysely<DB>, workspaceId: string, customerId: string, limit: number): Promise<NoteRow[]> {
  return db
    .selectFrom('customer_notes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function deleteNote(db: Kysely<DB>, workspaceId: string, customerId: string, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('customer_notes')
    .set({ deleted_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type ContactPointRow = Selectable<CustomerContactPointsTable>;

export function insertContactPoint(db: Kysely<DB>, row: ContactPointRow): Promise<unknown> {
  return db.insertInto('customer_contact_points').values(row).execute();
}

export function listContactPoints(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<ContactPointRow[]> {
  return db
    .selectFrom('customer_contact_points')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function updateContactPoint(db: Kysely<DB>, row: Pick<ContactPointRow, 'workspace_id' | 'id' | 'value' | 'is_primary'>): Promise<unknown> {
  return db
    .updateTable('customer_contact_points')
    .set({ value: row.value, is_primary: row.is_primary })
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', row.id)
    .execute();
}

export function deleteContactPoint(db: Kysely<DB>, workspaceId: string, id: string): Promise<unknown> {
  return db.deleteFrom('customer_contact_points').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
