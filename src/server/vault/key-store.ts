import type { Kysely, Selectable } from 'kysely';
import type { DB, SubjectKeysTable, WorkspaceKeysTable } from '../db/schema.js';

export type WorkspaceKeyRow = Selectable<WorkspaceKeysTable>;

/** Inserts a key version unless a concurrent starter already made it. */
export function insertWorkspaceKey(db: Kysely<DB>, row: WorkspaceKeyRow): Promise<unknown> {
  return db.insertInto('workspace_keys').values(row).onConflict((oc) => oc.doNothing()).execute();
}

/** A given version, or the newest version still in use. */
export function findWorkspaceKey(db: Kysely<DB>, workspaceId: string, purpose: string, version?: number): Promise<WorkspaceKeyRow | undefined> {
  let query = db.selectFrom('workspace_keys').selectAll().where('workspace_id', '=', workspaceId).where('purpose', '=', purpose);
  query = version !== undefined ? query.where('version', '=', version) : query.where('retired_at', 'is', null).orderBy('version', 'desc').limit(1);
  return query.executeTakeFirst();
}

export type SubjectKeyRow = Selectable<SubjectKeysTable>;

/** 5 columns a row; 1,000 rows a statement stay under the bound-parameter limits. */
export async function insertSubjectKeys(db: Kysely<DB>, rows: SubjectKeyRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('subject_keys').values(rows.slice(i, i + 1000)).execute();
}

export function findSubjectKey(db: Kysely<DB>, workspaceId: string, customerId: string) {
  return db
    .selectFrom('subject_keys')
    .select(['data_key_version', 'wrapped_key'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}
