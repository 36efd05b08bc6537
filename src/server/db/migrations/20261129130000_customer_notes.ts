import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Notes about a customer. Free text can hold anything personal, so the body is ciphertext
// under the customer's subject key (class `personal`): erasing the customer erases them too.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('customer_notes')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('customer_notes_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('customer_notes_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('customer_notes_customer_idx').on('customer_notes').columns(['workspace_id', 'customer_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_notes').execute();
}
