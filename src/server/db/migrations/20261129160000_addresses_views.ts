import { PostgresAdapter, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Structured postal addresses (personal: everything but the country and the type is
// ciphertext under the customer's subject key), saved list views, and the indexes the
// customers list sorts and filters by without a scan.

export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('customer_addresses')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('value', binary, (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_addresses_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('customer_addresses_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('customer_addresses_customer_idx').on('customer_addresses').columns(['workspace_id', 'customer_id']).execute();

  await db.schema
    .createTable('saved_views')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('saved_views_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('saved_views_owner_idx').on('saved_views').columns(['workspace_id', 'owner_user_id']).execute();

  await db.schema.createIndex('customers_updated_idx').on('customers').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('customers_owner_idx').on('customers').columns(['workspace_id', 'owner_user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('customers_owner_idx').execute();
  await db.schema.dropIndex('customers_updated_idx').execute();
  await db.schema.dropTable('saved_views').execute();
  await db.schema.dropTable('customer_addresses').execute();
}
