import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// How long a workspace keeps its audit trail (issue #5): three years unless its administrators
// choose otherwise. Pruning stops at a signed checkpoint, from which the rest still verifies.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('audit_retention_days', 'integer', (c) => c.notNull().defaultTo(1095))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('audit_retention_days').execute();
}
