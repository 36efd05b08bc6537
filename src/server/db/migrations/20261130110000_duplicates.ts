import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Duplicates and merges (issue #7). `duplicate_candidates` holds each pair of customers found
// alike once, the lower id first, with its score and reasons (codes, never values) and what
// became of it. `customer_merges` records each merge: the survivor, the merged customer (soft-
// deleted; this row is its pointer to the survivor), the field choices, and what undoing needs —
// each customer's values as they were, sealed under that customer's own subject key, and the
// ids of the rows moved to the survivor. The candidates' block keys live in customer_lookup.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('duplicate_candidates')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_a', 'text', (c) => c.notNull())
    .addColumn('customer_b', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addPrimaryKeyConstraint('duplicate_candidates_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('duplicate_candidates_pair', ['workspace_id', 'customer_a', 'customer_b'])
    .execute();
  await db.schema.createIndex('duplicate_candidates_status').on('duplicate_candidates').columns(['workspace_id', 'status', 'score', 'id']).execute();
  await db.schema.createIndex('duplicate_candidates_b').on('duplicate_candidates').columns(['workspace_id', 'customer_b']).execute();

  await db.schema
    .createTable('customer_merges')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('survivor_id', 'text', (c) => c.notNull())
    .addColumn('merged_id', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('survivor_snapshot', binary, (c) => c.notNull())
    .addColumn('merged_snapshot', binary, (c) => c.notNull())
    .addColumn('moved', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('undone_by', 'text')
    .addPrimaryKeyConstraint('customer_merges_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('customer_merges_created').on('customer_merges').columns(['workspace_id', 'created_at']).execute();
  await db.schema.createIndex('customer_merges_merged').on('customer_merges').columns(['workspace_id', 'merged_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_merges').execute();
  await db.schema.dropTable('duplicate_candidates').execute();
}
