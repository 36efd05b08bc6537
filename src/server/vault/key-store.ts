import type { Kysely, Selectable } from 'kysely';
import { compiledInsert, compiledSelect } from '../db/compiled-query.js';
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
const insertSubjectKeyRows = compiledInsert('subject_keys', ['workspace_id', 'customer_id', 'data_key_version', 'wrapped_key', 'created_at'], {
  sizes: [1000, 100, 10, 1],
});

export function insertSubjectKeys(db: Kysely<DB>, rows: SubjectKeyRow[]): Promise<void> {
  return insertSubjectKeyRows(db, rows);
}

/** Read for every customer shown whose key is not in memory: compiled once, prepared once. */
const selectSubjectKey = compiledSelect((db, workspaceId: string, customerId: string) =>
  db.selectFrom('subject_keys').select(['data_key_version', 'wrapped_key']).where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId),
);

export async function findSubjectKey(db: Kysely<DB>, workspaceId: string, customerId: string) {
  return (await selectSubjectKey(db, workspaceId, customerId))[0];
}

/** The subject keys of many customers at once (bulk readers: reports, scans), one query. */
export function findSubjectKeys(db: Kysely<DB>, workspaceId: string, customerIds: readonly string[]) {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('subject_keys')
    .select(['customer_id', 'data_key_version', 'wrapped_key'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', 'in', [...customerIds])
    .execute();
}

export function listWorkspaceKeys(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('workspace_keys')
    .select(['purpose', 'version', 'kek_id', 'created_at', 'retired_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('purpose')
    .orderBy('version')
    .execute();
}

/** How many subject keys each data-key version wraps. */
export function countSubjectKeysByVersion(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('subject_keys')
    .select(['data_key_version', (eb) => eb.fn.countAll<number>().as('count')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('data_key_version')
    .execute();
}

/** The next batch of subject keys still wrapped by an older version (keyset by customer id: resumable). */
export function subjectKeysBelowVersion(db: Kysely<DB>, workspaceId: string, version: number, after: string | null, limit: number): Promise<SubjectKeyRow[]> {
  let query = db.selectFrom('subject_keys').selectAll().where('workspace_id', '=', workspaceId).where('data_key_version', '<', version);
  if (after) query = query.where('customer_id', '>', after);
  return query.orderBy('customer_id').limit(limit).execute();
}

export function updateSubjectKey(db: Kysely<DB>, row: SubjectKeyRow): Promise<unknown> {
  return db
    .updateTable('subject_keys')
    .set({ data_key_version: row.data_key_version, wrapped_key: row.wrapped_key })
    .where('workspace_id', '=', row.workspace_id)
    .where('customer_id', '=', row.customer_id)
    .execute();
}

export function retireWorkspaceKeysBelow(db: Kysely<DB>, workspaceId: string, purpose: string, version: number, at: number): Promise<unknown> {
  return db
    .updateTable('workspace_keys')
    .set({ retired_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('purpose', '=', purpose)
    .where('version', '<', version)
    .where('retired_at', 'is', null)
    .execute();
}
