import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, ImportJobsTable, ImportRejectionsTable } from '../db/schema.js';

export type ImportJobRow = Selectable<ImportJobsTable>;

export function insertJob(db: Kysely<DB>, row: Insertable<ImportJobsTable>): Promise<unknown> {
  return db.insertInto('import_jobs').values(row).execute();
}

export function findJob(db: Kysely<DB>, workspaceId: string, id: string): Promise<ImportJobRow | undefined> {
  return db.selectFrom('import_jobs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The newest jobs first; `createdBy` narrows them to one person's. */
export function listJobs(db: Kysely<DB>, workspaceId: string, createdBy: string | null, limit: number): Promise<ImportJobRow[]> {
  let query = db.selectFrom('import_jobs').selectAll().where('workspace_id', '=', workspaceId);
  if (createdBy !== null) query = query.where('created_by', '=', createdBy);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** An unfinished job of the same file, options and person: what `custos import` resumes instead of starting over. */
export function findResumable(db: Kysely<DB>, workspaceId: string, match: Pick<ImportJobRow, 'file_sha256' | 'created_by' | 'kind' | 'mapping' | 'match_by' | 'on_match' | 'dry_run'>): Promise<ImportJobRow | undefined> {
  return db
    .selectFrom('import_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('file_sha256', '=', match.file_sha256)
    .where('created_by', '=', match.created_by)
    .where('kind', '=', match.kind)
    .where('mapping', '=', match.mapping)
    .where('match_by', '=', match.match_by)
    .where('on_match', '=', match.on_match)
    .where('dry_run', '=', match.dry_run)
    .where('status', 'in', ['running', 'cancelled', 'failed'])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export function updateJob(db: Kysely<DB>, workspaceId: string, id: string, changes: Updateable<ImportJobsTable>): Promise<unknown> {
  return db.updateTable('import_jobs').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Moves a job from one status to another only if it still is in `from` (a cancel racing the runner loses nothing). */
export async function moveJob(db: Kysely<DB>, workspaceId: string, id: string, from: readonly string[], changes: Updateable<ImportJobsTable>): Promise<boolean> {
  const result = await db.updateTable('import_jobs').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Jobs a stopped process left running, in every workspace. */
export function runningJobs(db: Kysely<DB>): Promise<Pick<ImportJobRow, 'workspace_id' | 'id'>[]> {
  return db.selectFrom('import_jobs').select(['workspace_id', 'id']).where('status', '=', 'running').execute();
}

export function insertRejections(db: Kysely<DB>, rows: Insertable<ImportRejectionsTable>[]): Promise<unknown> {
  return rows.length === 0 ? Promise.resolve() : db.insertInto('import_rejections').values(rows).execute();
}

/** A job's rejected rows in file order, a page at a time (the error file streams them). */
export function rejectionsAfter(db: Kysely<DB>, workspaceId: string, jobId: string, afterRow: number, limit: number): Promise<Selectable<ImportRejectionsTable>[]> {
  return db
    .selectFrom('import_rejections')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('job_id', '=', jobId)
    .where('row', '>', afterRow)
    .orderBy('row')
    .limit(limit)
    .execute();
}

export function deleteRejectionsFrom(db: Kysely<DB>, workspaceId: string, jobId: string): Promise<unknown> {
  return db.deleteFrom('import_rejections').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId).execute();
}

/** Uploaded files still kept that were made before `before` and are not being imported (or have been, for real). */
export function staleUploads(db: Kysely<DB>, before: number): Promise<ImportJobRow[]> {
  return db
    .selectFrom('import_jobs')
    .selectAll()
    .where('source', '=', 'upload')
    .where('created_at', '<', before)
    .where((eb) => eb.or([eb('status', 'in', ['uploaded', 'cancelled']), eb.and([eb('status', '=', 'failed'), eb('error_code', 'is distinct from', 'expired')]), eb.and([eb('status', '=', 'completed'), eb('dry_run', '=', 1)])]))
    .limit(500)
    .execute();
}
