import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Data-quality reports (issue 7): each report a job, with its progress, and once completed its
// result — counts only (JSON), never a value or a customer id. `heartbeat_at` is when the job last
// wrote its progress: a running report left unmoved for long was cut short by a restart.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quality_reports')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stale_months', 'integer', (c) => c.notNull())
    .addColumn('done', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('error_code', 'text')
    .addColumn('result', 'text')
    .addPrimaryKeyConstraint('quality_reports_pk', ['workspace_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quality_reports').execute();
}
