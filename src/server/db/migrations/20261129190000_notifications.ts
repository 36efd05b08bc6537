import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// In-app notifications: what a user must know about (another admin broke the glass; later,
// audit alerts). Payloads hold ids and codes, never customer values.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addPrimaryKeyConstraint('notifications_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['workspace_id', 'user_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
}
