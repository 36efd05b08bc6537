import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DB, InvitationsTable, UsersTable } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;
export type InvitationRow = Selectable<InvitationsTable>;

export function insertUser(db: Kysely<DB>, row: UserRow): Promise<unknown> {
  return db.insertInto('users').values(row).execute();
}

export function findUser(db: Kysely<DB>, workspaceId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Kysely<DB>, workspaceId: string, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('email', '=', email).executeTakeFirst();
}

/** Sign-in does not know the workspace yet: every user with this address, across workspaces. */
export function findUsersByEmailEverywhere(db: Kysely<DB>, email: string): Promise<(UserRow & { workspace_name: string })[]> {
  return db
    .selectFrom('users')
    .innerJoin('workspaces', 'workspaces.id', 'users.workspace_id')
    .selectAll('users')
    .select('workspaces.name as workspace_name')
    .where('users.email', '=', email)
    .execute();
}

export function listUsers(db: Kysely<DB>, workspaceId: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

export function countActiveOwners(db: Kysely<DB>, workspaceId: string): Promise<number> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.n));
}

export function updateUser(db: Kysely<DB>, workspaceId: string, id: string, changes: Updateable<UsersTable>): Promise<unknown> {
  return db.updateTable('users').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function insertInvitation(db: Kysely<DB>, row: InvitationRow): Promise<unknown> {
  return db.insertInto('invitations').values(row).execute();
}

export function findInvitationByTokenHash(db: Kysely<DB>, tokenHash: string): Promise<(InvitationRow & { workspace_name: string }) | undefined> {
  return db
    .selectFrom('invitations')
    .innerJoin('workspaces', 'workspaces.id', 'invitations.workspace_id')
    .selectAll('invitations')
    .select('workspaces.name as workspace_name')
    .where('invitations.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function listInvitations(db: Kysely<DB>, workspaceId: string): Promise<InvitationRow[]> {
  return db.selectFrom('invitations').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').execute();
}

export function updateInvitation(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  changes: Updateable<InvitationsTable>,
): Promise<{ numUpdatedRows: bigint }> {
  return db.updateTable('invitations').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Marks a pending invitation accepted; false when it was already accepted or withdrawn. */
export async function claimInvitation(db: Kysely<DB>, workspaceId: string, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokePendingInvitation(db: Kysely<DB>, workspaceId: string, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Withdraws every other pending invitation to an address once one of them was accepted. */
export function revokeOtherInvitations(db: Kysely<DB>, workspaceId: string, email: string, acceptedId: string, at: number): Promise<unknown> {
  return db
    .updateTable('invitations')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .where('id', '!=', acceptedId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}
