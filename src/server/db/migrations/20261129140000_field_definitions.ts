import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Custom fields: admins add them from the web app; values live with the customer (plain
// JSON or the personal/sensitive ciphertext bundles by class), so no migration is needed
// per field.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('field_definitions')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lookup', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('options', 'text')
    .addColumn('purposes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addPrimaryKeyConstraint('field_definitions_pk', ['workspace_id', 'kind', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('field_definitions').execute();
}
