import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The region a phone number without a country code is read in (ISO 3166-1 alpha-2).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('phone_region', 'text', (c) => c.notNull().defaultTo('CN'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('phone_region').execute();
}
