import type { Kysely, Selectable } from 'kysely';
import type { CustomerLookupTable, CustomersTable, DB } from '../db/schema.js';

// The customer tables' SQL. Only the records gateway (gateway.ts) may import this file:
// vault/architecture.test.ts fails the build otherwise.

export type CustomerRow = Selectable<CustomersTable>;

/** 12 columns a row; 500 rows a statement stay under the bound-parameter limits. */
export async function insertCustomers(db: Kysely<DB>, rows: CustomerRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('customers').values(rows.slice(i, i + 500)).execute();
}

/** Keyset page, newest first: ids are UUIDv7, so id order is creation order. */
export function listCustomers(db: Kysely<DB>, workspaceId: string, before: string | null, limit: number): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export function findCustomer(db: Kysely<DB>, workspaceId: string, id: string, options: { deleted?: boolean } = {}): Promise<CustomerRow | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', options.deleted ? 'is not' : 'is', null)
    .executeTakeFirst();
}

export function updateCustomer(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  changes: Partial<Pick<CustomerRow, 'plain_values' | 'personal_values' | 'sensitive_values' | 'updated_at' | 'deleted_at'>>,
): Promise<unknown> {
  return db.updateTable('customers').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function deleteLookupTokens(db: Kysely<DB>, workspaceId: string, customerId: string, field: string): Promise<unknown> {
  return db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).where('field', '=', field).execute();
}

export type LookupRow = Selectable<CustomerLookupTable>;

/** 4 columns a row; 2,000 rows a statement stay under the bound-parameter limits. */
export async function insertLookupRows(db: Kysely<DB>, rows: LookupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.insertInto('customer_lookup').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** Customers whose `field` has every one of `tokens` (one token: exact lookup; several: name search). */
export async function findCustomerIdsByTokens(db: Kysely<DB>, workspaceId: string, field: string, tokens: Buffer[], limit: number): Promise<string[]> {
  if (tokens.length === 0) return [];
  const rows = await db
    .selectFrom('customer_lookup')
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
    .select('customer_lookup.customer_id')
    .where('customer_lookup.workspace_id', '=', workspaceId)
    .where('customer_lookup.field', '=', field)
    .where('customer_lookup.token', 'in', tokens)
    .where('customers.deleted_at', 'is', null)
    .groupBy('customer_lookup.customer_id')
    .having((eb) => eb.fn.count('customer_lookup.token'), '=', tokens.length)
    .orderBy('customer_lookup.customer_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.customer_id);
}

export function deleteLookupToken(db: Kysely<DB>, row: LookupRow): Promise<unknown> {
  return db
    .deleteFrom('customer_lookup')
    .where('workspace_id', '=', row.workspace_id)
    .where('field', '=', row.field)
    .where('token', '=', row.token)
    .where('customer_id', '=', row.customer_id)
    .execute();
}

/** Customers soft-deleted before `before`, oldest first. */
export async function deletedBefore(db: Kysely<DB>, workspaceId: string | null, before: number, limit: number): Promise<{ workspace_id: string; id: string }[]> {
  let query = db.selectFrom('customers').select(['workspace_id', 'id']).where('deleted_at', 'is not', null).where('deleted_at', '<', before);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.orderBy('deleted_at').limit(limit).execute();
}

/**
 * Erases a customer for good: the subject key first (crypto-shredding: whatever copy of the
 * ciphertext survives, in a backup or a disk image, cannot be read any more), then the
 * lookup rows and events (no foreign key: they are the biggest tables), then the customer
 * row, whose foreign keys take notes, contact points and transactions with it.
 */
export async function eraseCustomer(db: Kysely<DB>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('subject_keys').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_events').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customers').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
