import type { Kysely, Selectable } from 'kysely';
import type { DB, SupportCasesTable } from '../db/schema.js';

// Support cases' SQL. Only the records gateway imports this file (vault/architecture.test.ts).

export type CaseRow = Selectable<SupportCasesTable>;

export function insertCase(db: Kysely<DB>, row: CaseRow): Promise<unknown> {
  return db.insertInto('support_cases').values(row).execute();
}

export function listCases(db: Kysely<DB>, workspaceId: string, customerId: string): Promise<CaseRow[]> {
  return db.selectFrom('support_cases').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).orderBy('id', 'desc').execute();
}

export function findCase(db: Kysely<DB>, workspaceId: string, customerId: string, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('support_cases').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).where('id', '=', id).executeTakeFirst();
}

export function updateCase(db: Kysely<DB>, workspaceId: string, id: string, changes: Partial<Pick<CaseRow, 'status' | 'closed_at' | 'owner_user_id'>>): Promise<unknown> {
  return db.updateTable('support_cases').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** The owners of each customer's open cases: who sees a contact field in clear because they are on the case. */
export async function openCaseOwners(db: Kysely<DB>, workspaceId: string, customerIds: readonly string[]): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  if (customerIds.length === 0) return owners;
  const rows = await db
    .selectFrom('support_cases')
    .select(['customer_id', 'owner_user_id'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', 'in', [...customerIds])
    .where('status', '=', 'open')
    .where('owner_user_id', 'is not', null)
    .execute();
  for (const row of rows) owners.set(row.customer_id, [...(owners.get(row.customer_id) ?? []), row.owner_user_id!]);
  return owners;
}
