import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DB, SavedViewsTable } from '../db/schema.js';

export type ViewRow = Selectable<SavedViewsTable>;

/** More than any workspace's list menu can show; the bound keeps one answer small. */
const MAX_LISTED = 1_000;

export function insertView(db: Kysely<DB>, row: ViewRow): Promise<unknown> {
  return db.insertInto('saved_views').values(row).execute();
}

/** The caller's own views and every view shared in the workspace, by name. */
export function listVisibleViews(db: Kysely<DB>, workspaceId: string, userId: string): Promise<ViewRow[]> {
  return db
    .selectFrom('saved_views')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('owner_user_id', '=', userId), eb('shared', '=', 1)]))
    .orderBy('name')
    .orderBy('id')
    .limit(MAX_LISTED)
    .execute();
}

export function findView(db: Kysely<DB>, workspaceId: string, id: string): Promise<ViewRow | undefined> {
  return db.selectFrom('saved_views').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function countOwnViews(db: Kysely<DB>, workspaceId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('owner_user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function updateView(db: Kysely<DB>, workspaceId: string, id: string, changes: Updateable<SavedViewsTable>): Promise<unknown> {
  return db.updateTable('saved_views').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function deleteView(db: Kysely<DB>, workspaceId: string, id: string): Promise<unknown> {
  return db.deleteFrom('saved_views').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
