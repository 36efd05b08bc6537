import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Customer imports (issue #7): `import_jobs` one import of one file — its options, where it
// stands (`done` rows committed, moved in the same transaction as each batch, so a killed
// import resumes exactly after its last batch) and its counts; `import_rejections` the rows
// it refused, each sealed (the original cells and the reasons) under the job's own key.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('import_jobs')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_bytes', 'bigint', (c) => c.notNull())
    .addColumn('job_key', binary, (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text')
    .addColumn('delimiter', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('match_by', 'text', (c) => c.notNull())
    .addColumn('on_match', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint')
    .addColumn('done', 'bigint', (c) => c.notNull())
    .addColumn('imported', 'bigint', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .addColumn('unchanged', 'bigint', (c) => c.notNull())
    .addColumn('rejected', 'bigint', (c) => c.notNull())
    .addColumn('duplicates', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addPrimaryKeyConstraint('import_jobs_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('import_jobs_created').on('import_jobs').columns(['workspace_id', 'created_at']).execute();
  await db.schema.createIndex('import_jobs_file').on('import_jobs').columns(['workspace_id', 'file_sha256']).execute();

  await db.schema
    .createTable('import_rejections')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('row', 'bigint', (c) => c.notNull())
    .addColumn('sealed', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rejections_pk', ['workspace_id', 'job_id', 'row'])
    .addForeignKeyConstraint('import_rejections_job_fk', ['workspace_id', 'job_id'], 'import_jobs', ['workspace_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_rejections').execute();
  await db.schema.dropTable('import_jobs').execute();
}
