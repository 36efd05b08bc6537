import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Scheduled backups (issue #6): `backup_schedule` holds the installation's one schedule (a backup
// holds every workspace, so the schedule is the installation's, keyed by scope '*'); `backup_runs`
// each run the server made, scheduled or asked for, with how it ended and whether it verified.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_schedule')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('time_of_day', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('file', 'text')
    .addColumn('bytes', 'bigint')
    .addColumn('verify_status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .execute();
  await db.schema.createIndex('backup_runs_started').on('backup_runs').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backup_runs').execute();
  await db.schema.dropTable('backup_schedule').execute();
}
