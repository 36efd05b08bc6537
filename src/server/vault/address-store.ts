import type { Kysely, Selectable } from 'kysely';
import type { CustomerAddressesTable, DB } from '../db/schema.js';
import { toDbBool } from '../db/mapping.js';

// Customers' postal addresses. Only the records gateway imports this file
// (vault/architecture.test.ts fails the build otherwise).

export type AddressRow = Selectable<CustomerAddressesTable>;

export function insertAddress(db: Kysely<DB>, row: AddressRow): Promise<unknown> {
  return db.insertInto('customer_addresses').values(row).execute();
}

/** A customer's addresses, primary first, then oldest first. */
export function listAddresses(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<AddressRow[]> {
  return db
    .selectFrom('customer_addresses')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('is_primary', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function updateAddress(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  changes: Partial<Pick<AddressRow, 'type' | 'country' | 'value' | 'is_primary' | 'updated_at'>>,
): Promise<unknown> {
  return db.updateTable('customer_addresses').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Takes the primary mark off every address of the customer (the caller marks the new one in the same transaction). */
export function clearPrimaryAddress(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<unknown> {
  return db
    .updateTable('customer_addresses')
    .set({ is_primary: toDbBool(false) })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .where('is_primary', '=', toDbBool(true))
    .execute();
}

export function deleteAddress(db: Kysely<DB>, workspaceId: string, id: string): Promise<unknown> {
  return db.deleteFrom('customer_addresses').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
