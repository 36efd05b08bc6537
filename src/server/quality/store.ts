import type { Kysely, Selectable } from 'kysely';
import type { DB, QualityReportsTable } from '../db/schema.js';

// The quality_reports table's SQL: data-quality report jobs and their results (counts only).

export type QualityReportRow = Selectable<QualityReportsTable>;

export function insertReport(db: Kysely<DB>, row: QualityReportRow): Promise<unknown> {
  return db.insertInto('quality_reports').values(row).execute();
}

export function findReport(db: Kysely<DB>, workspaceId: string, id: string): Promise<QualityReportRow | undefined> {
  return db.selectFrom('quality_reports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The newest report of the workspace; with `completed`, the newest of those that completed. */
export function latestReport(db: Kysely<DB>, workspaceId: string, options: { completed?: boolean } = {}): Promise<QualityReportRow | undefined> {
  let query = db.selectFrom('quality_reports').selectAll().where('workspace_id', '=', workspaceId);
  if (options.completed) query = query.where('status', '=', 'completed');
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function runningReports(db: Kysely<DB>, workspaceId: string): Promise<QualityReportRow[]> {
  return db.selectFrom('quality_reports').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', 'running').execute();
}

/** A running report's progress; false when it is no longer running (cancelled meanwhile, perhaps by another server). */
export async function writeProgress(db: Kysely<DB>, workspaceId: string, id: string, progress: { done: number; total: number; at: number }): Promise<boolean> {
  const result = await db
    .updateTable('quality_reports')
    .set({ done: progress.done, total: progress.total, heartbeat_at: progress.at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends a running report (compare-and-set on `running`): false when it had already ended. */
export async function finishReport(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  end: { status: 'completed' | 'cancelled' | 'failed'; at: number; errorCode?: string; result?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('quality_reports')
    .set({ status: end.status, finished_at: end.at, error_code: end.errorCode ?? null, ...(end.result !== undefined ? { result: end.result } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Keeps the newest `keep` reports of the workspace: the table does not grow without bound. */
export async function pruneReports(db: Kysely<DB>, workspaceId: string, keep: number): Promise<void> {
  const kept = await db.selectFrom('quality_reports').select('id').where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(keep).execute();
  if (kept.length < keep) return;
  await db
    .deleteFrom('quality_reports')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'not in', kept.map((row) => row.id))
    .where('status', '<>', 'running')
    .execute();
}

/** The workspaces that ever ran a report: those the nightly report keeps fresh. */
export async function workspacesWithReports(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('quality_reports').select('workspace_id').distinct().execute();
  return rows.map((row) => row.workspace_id);
}
