import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The rest of a field definition: whether its values are unique within the workspace
// (checked through the field's blind index), value bounds, and how long values are kept.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('field_definitions').addColumn('unique_values', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('field_definitions').addColumn('validation', 'text').execute();
  await db.schema.alterTable('field_definitions').addColumn('retention_days', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['retention_days', 'validation', 'unique_values']) await db.schema.alterTable('field_definitions').dropColumn(column).execute();
}
