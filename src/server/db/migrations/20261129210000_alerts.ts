import type { Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// Detection rules over the audit trail (issue #5): `alert_cursors` holds how far the detector
// has read each workspace's chain (by seq), `alert_rules` each workspace's own settings of a
// rule (absent: the rule's defaults), `alerts` what the rules raised and who dealt with it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alert_cursors')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('alert_rules_pk', ['workspace_id', 'rule'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('token_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('threshold', 'bigint')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('action_result', 'text', (c) => c.notNull())
    .addColumn('mail', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alerts_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('alerts_status_idx').on('alerts').columns(['workspace_id', 'status', 'id']).execute();
  await db.schema.createIndex('alerts_subject_idx').on('alerts').columns(['workspace_id', 'rule', 'subject', 'window_end']).execute();

  // Trails recorded before the detector existed are not judged after the fact: each workspace's
  // detector starts at its chain's head.
  const heads = await db.selectFrom('audit_heads').innerJoin('workspaces', 'workspaces.id', 'audit_heads.workspace_id').select(['audit_heads.workspace_id', 'audit_heads.seq']).execute();
  const now = Date.now();
  for (const head of heads) await db.insertInto('alert_cursors').values({ workspace_id: head.workspace_id, seq: head.seq, updated_at: now }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['alerts', 'alert_rules', 'alert_cursors']) await db.schema.dropTable(table).execute();
}
