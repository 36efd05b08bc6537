import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** A live customer holding one of the tokens asked for, with what scoping needs. */
export interface TokenHolder {
  field: string;
  token: Buffer;
  customer_id: string;
  owner_user_id: string | null;
  team_id: string | null;
}

/**
 * Every live customer holding any of `tokens` in any of `fields`, one row per (token, customer):
 * an import batch's matching in one query. Primary-key probes on customer_lookup (field, token),
 * then the customer by its key; deleted customers are not matches.
 */
export async function tokenHolders(db: Kysely<DB>, workspaceId: string, fields: readonly string[], tokens: readonly Buffer[]): Promise<TokenHolder[]> {
  if (fields.length === 0 || tokens.length === 0) return [];
  const rows = await db
    .selectFrom('customer_lookup')
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
    .select(['customer_lookup.field', 'customer_lookup.token', 'customer_lookup.customer_id', 'customers.owner_user_id', 'customers.team_id'])
    .where('customer_lookup.workspace_id', '=', workspaceId)
    .where('customer_lookup.field', 'in', [...fields])
    .where('customer_lookup.token', 'in', [...tokens])
    .where('customers.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => ({ ...row, token: Buffer.from(row.token) }));
}
