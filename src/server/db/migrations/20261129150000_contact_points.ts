import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// A customer's further emails, phones and messaging handles (the primary email and phone
// are the customer's own fields). Values are personal: ciphertext under the subject key;
// emails and phones are also blind-indexed with the primary ones, so a lookup by any of a
// customer's addresses finds them.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('customer_contact_points')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('label', 'text')
    .addColumn('value', binary, (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_contact_points_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('customer_contact_points_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('customer_contact_points_customer_idx').on('customer_contact_points').columns(['workspace_id', 'customer_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_contact_points').execute();
}
