import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openTestDatabase } from '../../../test/factories.js';
import { migrateToLatest } from './database.js';
import { migrations } from './migrations/index.js';
import { fromDbBool, fromDbJson, fromDbTime, toDbBool, toDbJson, toDbTime } from './mapping.js';

let target: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  target = await openTestDatabase();
});
afterEach(async () => {
  await target.drop();
});

describe('database', () => {
  it('migrates to the same tables and columns on SQLite and PostgreSQL, and a second run changes nothing', async () => {
    const first = await migrateToLatest(target.database.db);
    expect(first.results?.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => 'Success'));
    const second = await migrateToLatest(target.database.db);
    expect(second.results).toEqual([]);

    const tables = await target.database.db.introspection.getTables();
    const shape = Object.fromEntries(
      tables
        .filter((t) => !t.name.startsWith('custos_migrations'))
        // PostgreSQL's partitions of the audit trail (a default one and one per month).
        .filter((t) => !t.name.startsWith('audit_log_'))
        .map((t) => [t.name, t.columns.map((c) => c.name).sort()])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(Object.keys(shape)).toEqual([
      'alert_cursors',
      'alert_rules',
      'alerts',
      'api_tokens',
      'audit_checkpoints',
      'audit_contexts',
      'audit_event_customers',
      'audit_events',
      'audit_heads',
      'audit_log',
      'audit_object_index',
      'audit_object_runs',
      'audit_shapes',
      'backup_runs',
      'backup_schedule',
      'break_glass_grants',
      'customer_addresses',
      'customer_contact_points',
      'customer_events',
      'customer_exports',
      'customer_field_history',
      'customer_lookup',
      'customer_merges',
      'customer_notes',
      'customer_transactions',
      'customers',
      'duplicate_candidates',
      'field_definitions',
      'import_jobs',
      'import_rejections',
      'invitations',
      'notifications',
      'quality_reports',
      'recovery_codes',
      'roles',
      'saved_views',
      'sessions',
      'subject_keys',
      'support_cases',
      'teams',
      'throttle_buckets',
      'users',
      'workspace_keys',
      'workspaces',
    ]);
    for (const [table, columns] of Object.entries(shape)) {
      // The audit log is keyed by its chain's number (one chain per workspace; audit_heads maps
      // them): a 36-character workspace id in every event and index entry would double its size.
      // The backup schedule and its runs are the installation's: a backup holds every workspace.
      if (!['workspaces', 'audit_log', 'audit_contexts', 'audit_shapes', 'audit_object_index', 'audit_object_runs', 'backup_runs', 'backup_schedule'].includes(table)) expect(columns, table).toContain('workspace_id');
    }
  });

  it('returns the same JavaScript types from both dialects', async () => {
    await migrateToLatest(target.database.db);
    const at = new Date('2026-11-29T10:11:12.345Z');
    await target.database.db
      .insertInto('workspaces')
      .values({ id: 'w1', name: 'Acme', require_mfa: toDbBool(true), created_at: toDbTime(at), updated_at: toDbTime(at) })
      .execute();
    const row = await target.database.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(typeof row.created_at).toBe('number');
    expect(fromDbTime(row.created_at).toISOString()).toBe(at.toISOString());
    expect(fromDbBool(row.require_mfa)).toBe(true);
  });

  it('enforces workspace-scoped foreign keys', async () => {
    await migrateToLatest(target.database.db);
    await expect(
      target.database.db
        .insertInto('sessions')
        .values({ workspace_id: 'nowhere', id: 's', user_id: 'nobody', token_hash: 'h', created_at: 0, last_seen_at: 0, expires_at: 0, reauth_at: 0, ip: null, user_agent: null, ended_at: null, end_reason: null })
        .execute(),
    ).rejects.toThrow();
  });
});

describe('value mapping', () => {
  it('round-trips times, booleans and JSON', () => {
    fc.assert(fc.property(fc.date({ min: new Date(0), max: new Date(8.64e15), noInvalidDate: true }), (date) => fromDbTime(toDbTime(date)).getTime() === date.getTime()));
    fc.assert(fc.property(fc.boolean(), (value) => fromDbBool(toDbBool(value)) === value));
    fc.assert(fc.property(fc.jsonValue(), (value) => JSON.stringify(fromDbJson(toDbJson(value))) === JSON.stringify(value)));
  });
});
