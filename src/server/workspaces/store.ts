import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, WorkspacesTable } from '../db/schema.js';

export type WorkspaceRow = Selectable<WorkspacesTable>;

export async function countWorkspaces(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listWorkspaces(db: Kysely<DB>, limit: number): Promise<Pick<WorkspaceRow, 'id' | 'name'>[]> {
  return db.selectFrom('workspaces').select(['id', 'name']).orderBy('created_at').limit(limit).execute();
}

export function insertWorkspace(db: Kysely<DB>, row: Insertable<WorkspacesTable>): Promise<unknown> {
  return db.insertInto('workspaces').values(row).execute();
}

export function findWorkspace(db: Kysely<DB>, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findWorkspaceByName(db: Kysely<DB>, name: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('name', '=', name).executeTakeFirst();
}

export function updateWorkspace(
  db: Kysely<DB>,
  id: string,
  changes: Partial<Pick<WorkspaceRow, 'name' | 'require_mfa' | 'phone_region' | 'audit_retention_days' | 'updated_at'>>,
): Promise<unknown> {
  return db.updateTable('workspaces').set(changes).where('id', '=', id).execute();
}
