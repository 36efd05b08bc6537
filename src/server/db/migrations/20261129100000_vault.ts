import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The customer vault: customers with their values bundled by sensitivity class (public and
// internal values as JSON, personal and sensitive values as one AES-256-GCM ciphertext each
// under the customer's own subject key), the subject keys, the workspace keys, and the blind
// index rows for exact and name lookup.

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const binary = postgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('workspace_keys')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', binary, (c) => c.notNull())
    .addColumn('kek_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addPrimaryKeyConstraint('workspace_keys_pk', ['workspace_id', 'purpose', 'version'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('plain_values', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('personal_values', binary)
    .addColumn('sensitive_values', binary)
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('customers_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('subject_keys')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('data_key_version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('subject_keys_pk', ['workspace_id', 'customer_id'])
    .addForeignKeyConstraint('subject_keys_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();

  // The biggest table by rows (a name gives a dozen tokens or more): on SQLite its primary
  // key is the table itself (WITHOUT ROWID), and tokens are 16 raw bytes.
  await db.schema
    .createTable('customer_lookup')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('token', binary, (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_lookup_pk', ['workspace_id', 'field', 'token', 'customer_id'])
    .addForeignKeyConstraint('customer_lookup_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .$call((table) => (postgres ? table : table.modifyEnd(sql`without rowid`)))
    .execute();
  await db.schema.createIndex('customer_lookup_customer_idx').on('customer_lookup').columns(['workspace_id', 'customer_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['customer_lookup', 'subject_keys', 'customers', 'workspace_keys']) await db.schema.dropTable(table).execute();
}
