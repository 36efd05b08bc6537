import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Field history (issue #5): one row per changed field of a customer — who, when, what kind of
// change, the value before and after. Values of personal and sensitive fields are one
// ciphertext (`values_sealed`) under the customer's subject key, so erasing the customer shreds
// their history too; public and internal values are JSON (`values_plain`), like the customer's
// own plain values. The rows go with the customer row (erasure).

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('customer_field_history')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('values_plain', 'text')
    .addColumn('values_sealed', binary)
    .addPrimaryKeyConstraint('customer_field_history_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('customer_field_history_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  // A customer's history newest first (ids are time-ordered), and one field's.
  await db.schema.createIndex('customer_field_history_customer_idx').on('customer_field_history').columns(['workspace_id', 'customer_id', 'id']).execute();
  await db.schema.createIndex('customer_field_history_field_idx').on('customer_field_history').columns(['workspace_id', 'customer_id', 'field_key', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_field_history').execute();
}
