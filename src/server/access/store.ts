import type { Kysely, Selectable } from 'kysely';
import type { DB, RolesTable, TeamsTable } from '../db/schema.js';

// SQL for roles and teams. Customers' teams are the gateway's (vault/store.ts).

export type RoleRow = Selectable<RolesTable>;
export type TeamRow = Selectable<TeamsTable>;

export function listRoleRows(db: Kysely<DB>, workspaceId: string): Promise<RoleRow[]> {
  return db.selectFrom('roles').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

/** Inserts a role row or replaces the one with its key (a built-in role's override, or a custom role's new definition). */
export async function upsertRoleRow(db: Kysely<DB>, row: RoleRow): Promise<void> {
  await db
    .insertInto('roles')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doUpdateSet({ labels: row.labels, permissions: row.permissions, updated_at: row.updated_at }))
    .execute();
}

export function deleteRoleRow(db: Kysely<DB>, workspaceId: string, key: string): Promise<unknown> {
  return db.deleteFrom('roles').where('workspace_id', '=', workspaceId).where('key', '=', key).execute();
}

export async function countUsersWithRole(db: Kysely<DB>, workspaceId: string, role: string): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('count')).where('workspace_id', '=', workspaceId).where('role', '=', role).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export function listTeamRows(db: Kysely<DB>, workspaceId: string): Promise<TeamRow[]> {
  return db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
}

export function insertTeamRow(db: Kysely<DB>, row: TeamRow): Promise<unknown> {
  return db.insertInto('teams').values(row).execute();
}

export function updateTeamRow(db: Kysely<DB>, workspaceId: string, id: string, changes: Partial<Pick<TeamRow, 'name' | 'parent_id'>>): Promise<unknown> {
  return db.updateTable('teams').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function deleteTeamRow(db: Kysely<DB>, workspaceId: string, id: string): Promise<unknown> {
  return db.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function countTeamMembers(db: Kysely<DB>, workspaceId: string, teamId: string): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('count')).where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export function setUserTeam(db: Kysely<DB>, workspaceId: string, userId: string, teamId: string | null, now: number): Promise<unknown> {
  return db.updateTable('users').set({ team_id: teamId, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', userId).execute();
}

/** The user's role key and team, for resolving their access. */
export function findUserAccessRow(db: Kysely<DB>, workspaceId: string, userId: string): Promise<{ role: string; team_id: string | null } | undefined> {
  return db.selectFrom('users').select(['role', 'team_id']).where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst();
}

/** Active users holding one of these roles. */
export async function activeUsersWithRoles(db: Kysely<DB>, workspaceId: string, roles: readonly string[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('status', '=', 'active').where('role', 'in', [...roles]).execute();
  return rows.map((row) => row.id);
}
