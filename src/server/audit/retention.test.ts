import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, inviteMember, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import { systemActor } from '../actor.js';

// The audit trail is kept for the workspace's retention period (three years unless changed);
// pruning stops at a signed checkpoint, so what remains still verifies.

let t: TestApp;
let admin: Session;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;

async function recordEvents(count: number) {
  for (let i = 0; i < count; i++) await t.services.audit.record(systemActor(workspaceId, 'test'), { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes: { i } } });
}
const seqs = async () => (await t.db.selectFrom('audit_events').select('seq').where('workspace_id', '=', workspaceId).orderBy('seq').execute()).map((row) => Number(row.seq));

describe('audit retention', () => {
  it('is three years by default; administrators change it within 90 days to ten years, and the change is recorded', async () => {
    expect((await call(t, 'GET', '/api/admin/settings', { session: admin })).json().auditRetentionDays).toBe(1095);
    expect((await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { auditRetentionDays: 30 } })).statusCode).toBe(400);
    expect((await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { auditRetentionDays: 4000 } })).statusCode).toBe(400);
    const changed = await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { auditRetentionDays: 365 } });
    expect(changed.json().auditRetentionDays).toBe(365);
    const recorded = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).where('action', '=', 'workspace.settings_changed').orderBy('seq').execute();
    expect(recorded.map((row) => JSON.parse(row.metadata))).toContainEqual({ changes: { auditRetentionDays: 365 } });
    const rep = await inviteMember(t, admin, 'sales_rep');
    expect((await call(t, 'PATCH', '/api/admin/settings', { session: rep, body: { auditRetentionDays: 90 } })).statusCode).toBe(403);
  });

  it('drops events older than the period up to the last checkpoint signed before the cutoff, and the rest still verifies', async () => {
    await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { auditRetentionDays: 90 } });
    await recordEvents(5);
    await t.services.auditIntegrity.signHeads();
    const old = await seqs();
    t.clock.advance(60 * DAY);
    await recordEvents(3);
    await t.services.auditIntegrity.signHeads();
    const anchor = (await seqs()).at(-1)!;
    t.clock.advance(40 * DAY);
    await recordEvents(2);

    // 100 days on: the first checkpoint is past the 90 days, the second is not.
    expect(await t.services.auditIntegrity.prune()).toBe(old.length);
    const kept = await seqs();
    expect(kept[0]).toBe(old.at(-1)! + 1);
    expect(kept).toContain(anchor);
    const [report] = await t.services.auditIntegrity.verify({ workspaceId });
    expect(report!.problem).toBeNull();
    const pruned = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).where('action', '=', 'audit.pruned').executeTakeFirstOrThrow();
    expect(JSON.parse(pruned.metadata)).toEqual({ events: old.length, throughSeq: old.at(-1), retentionDays: 90 });
    // Nothing more is due: a second run drops nothing.
    expect(await t.services.auditIntegrity.prune()).toBe(0);
  });

  it('keeps everything while no checkpoint is old enough, and leaves other workspaces alone', async () => {
    const other = await workspaceWithAdmin(t);
    await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { auditRetentionDays: 90 } });
    await recordEvents(3);
    t.clock.advance(100 * DAY);
    // Unsigned events are never dropped, however old: nothing could anchor what remains.
    expect(await t.services.auditIntegrity.prune()).toBe(0);
    await t.services.auditIntegrity.signHeads();
    t.clock.advance(100 * DAY);
    const before = await t.db.selectFrom('audit_events').select('seq').where('workspace_id', '=', other.workspaceId).orderBy('seq').execute();
    expect(await t.services.auditIntegrity.prune()).toBeGreaterThan(0);
    expect(await t.db.selectFrom('audit_events').select('seq').where('workspace_id', '=', other.workspaceId).execute()).toHaveLength(before.length);
  });
});
