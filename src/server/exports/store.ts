import type { Kysely, Selectable, Updateable } from 'kysely';
import type { CustomerExportsTable, DB } from '../db/schema.js';

// SQL only: the export jobs' rows.

export type ExportRow = Selectable<CustomerExportsTable>;

export async function insertExport(db: Kysely<DB>, row: ExportRow): Promise<void> {
  await db.insertInto('customer_exports').values(row).execute();
}

export function findExport(db: Kysely<DB>, workspaceId: string, id: string): Promise<ExportRow | undefined> {
  return db.selectFrom('customer_exports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Changes a job, only while it is in `from` (e.g. progress only while running): answers whether it was. */
export async function updateExport(db: Kysely<DB>, workspaceId: string, id: string, changes: Updateable<CustomerExportsTable>, from?: string): Promise<boolean> {
  let query = db.updateTable('customer_exports').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (from) query = query.where('status', '=', from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Jobs whose file expired but whose key is still kept: the sweep drops the key and the file. */
export function expiredExports(db: Kysely<DB>, now: number, limit: number): Promise<Pick<ExportRow, 'workspace_id' | 'id'>[]> {
  return db
    .selectFrom('customer_exports')
    .select(['workspace_id', 'id'])
    .where('expires_at', '<=', now)
    .where('sealed_key', 'is not', null)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** Running jobs whose progress stopped before `before`: their process ended (a restart) while they ran. */
export function staleRunningExports(db: Kysely<DB>, before: number): Promise<Pick<ExportRow, 'workspace_id' | 'id'>[]> {
  return db.selectFrom('customer_exports').select(['workspace_id', 'id']).where('status', '=', 'running').where('updated_at', '<', before).execute();
}
