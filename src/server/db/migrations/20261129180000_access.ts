import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Permissions as data (issue #4): roles a workspace changed or added (the built-in ones live
// in code), teams in a hierarchy, each user's and each customer's team, what a token is
// narrowed to, time-boxed break-glass grants, and support cases (an agent sees the phone of
// a customer in an open case they own).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('roles_pk', ['workspace_id', 'key'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('teams_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('teams_name_uq', ['workspace_id', 'name'])
    .execute();

  await db.schema.alterTable('users').addColumn('team_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('team_id', 'text').execute();
  await db.schema.createIndex('customers_team_idx').on('customers').columns(['workspace_id', 'team_id', 'id']).execute();
  await db.schema.alterTable('api_tokens').addColumn('narrowing', 'text').execute();

  await db.schema
    .createTable('break_glass_grants')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addPrimaryKeyConstraint('break_glass_grants_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('break_glass_grants_user_idx').on('break_glass_grants').columns(['workspace_id', 'user_id', 'expires_at']).execute();

  await db.schema
    .createTable('support_cases')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addPrimaryKeyConstraint('support_cases_pk', ['workspace_id', 'id'])
    .addForeignKeyConstraint('support_cases_customer_fk', ['workspace_id', 'customer_id'], 'customers', ['workspace_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('support_cases_customer_idx').on('support_cases').columns(['workspace_id', 'customer_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('support_cases').execute();
  await db.schema.dropTable('break_glass_grants').execute();
  await db.schema.alterTable('api_tokens').dropColumn('narrowing').execute();
  await db.schema.dropIndex('customers_team_idx').execute();
  await db.schema.alterTable('customers').dropColumn('team_id').execute();
  await db.schema.alterTable('users').dropColumn('team_id').execute();
  await db.schema.dropTable('teams').execute();
  await db.schema.dropTable('roles').execute();
}
