import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Transactions (orders) and behaviour events of customers. Events are the largest table:
// keyed for the one read that matters at scale — a customer's timeline, newest first —
// so its primary key leads with (workspace, customer, time) and there is no other index.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_transactions')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('line_items', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_transactions_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('customer_transactions_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('customer_transactions_customer_idx')
    .on('customer_transactions')
    .columns(['workspace_id', 'customer_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('customer_transactions_external_uq')
    .on('customer_transactions')
    .columns(['workspace_id', 'external_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('customer_events')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('customer_events_pk', ['workspace_id', 'customer_id', 'occurred_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_events').execute();
  await db.schema.dropTable('customer_transactions').execute();
}
