import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, createTestApp, type TestApp } from '../../../test/factories.js';
import { systemActor } from '../actor.js';
import { GENESIS_HASH, linkHash, type Checkpoint } from './chain.js';

// The audit trail proves itself: `verify` walks each workspace's hash chain and its signed
// checkpoints and names the first entry where an edit, a deletion, an insertion, a reordering
// or a cut tail shows.

let t: TestApp;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId } = await buildWorkspace(t));
});
afterEach(async () => {
  await t.close();
});

/** `count` more events in the workspace's chain (settings changes: any event will do). */
async function recordEvents(count: number): Promise<void> {
  const actor = systemActor(workspaceId, 'test');
  for (let i = 0; i < count; i++) await t.services.audit.record(actor, { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes: { step: i } } });
}

async function chain() {
  return t.db.selectFrom('audit_events').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute();
}

async function verify(external: Checkpoint[] = []) {
  const [report] = await t.services.auditIntegrity.verify({ workspaceId, external });
  return report!;
}

const events = () => t.db.updateTable('audit_events').where('workspace_id', '=', workspaceId);

describe('the hash chain', () => {
  it('numbers every event of a workspace from 1 without gaps, each linked to the one before', async () => {
    await recordEvents(5);
    const rows = await chain();
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    let previous = GENESIS_HASH;
    for (const row of rows) {
      expect(row.hash.equals(linkHash(previous, row))).toBe(true);
      previous = row.hash;
    }
    const head = await t.db.selectFrom('audit_heads').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    expect(Number(head.seq)).toBe(rows.length);
    expect(head.hash.equals(previous)).toBe(true);
  });

  it('never forks under concurrent writes and reads, and a rolled-back change leaves no link', async () => {
    const actor = systemActor(workspaceId, 'test');
    const viewed = (id: string) => ({ action: 'customer.viewed' as const, outcome: 'success' as const, metadata: { fields: {} }, object: { type: 'customer', id } });
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => t.services.audit.record(actor, { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes: { i } } })),
      ...Array.from({ length: 60 }, (_, i) => t.services.audit.recordRead(actor, viewed(`c-${i}`))),
    ]);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await t.services.audit.record(actor, { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes: { lost: true } } }, trx);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const report = await verify();
    expect(report.problem).toBeNull();
    expect(report.events).toBe((await chain()).length);
    expect((await chain()).some((row) => row.metadata.includes('lost'))).toBe(false);
  });

  it('links the customers a list page showed to its event', async () => {
    const actor = systemActor(workspaceId, 'test');
    await t.services.audit.recordRead(actor, { action: 'customer.listed', outcome: 'success', metadata: { customerIds: ['a', 'b'] } });
    const links = await t.db.selectFrom('audit_event_customers').select(['customer_id', 'seq']).where('workspace_id', '=', workspaceId).orderBy('customer_id').execute();
    const listed = (await chain()).at(-1)!;
    expect(links.map((link) => [link.customer_id, Number(link.seq)])).toEqual([
      ['a', Number(listed.seq)],
      ['b', Number(listed.seq)],
    ]);
  });
});

describe('verify', () => {
  beforeEach(async () => {
    await recordEvents(9);
    await t.services.auditIntegrity.signHeads();
  });

  it('passes an untouched log and says how much of it is signed', async () => {
    await recordEvents(2);
    const report = await verify();
    expect(report.problem).toBeNull();
    expect(report.events).toBe((await chain()).length);
    expect(report.unsigned).toBe(2);
    expect(report.signedThrough).toBe(report.events - 2);
  });

  it('names an edited event', async () => {
    await events().set({ metadata: '{"changes":{"step":"rewritten"}}' }).where('seq', '=', 4).execute();
    expect((await verify()).problem).toMatchObject({ seq: 4, kind: 'altered' });
  });

  it('names an edited actor, time or outcome as well', async () => {
    for (const [column, value] of [['actor_id', 'someone-else'], ['at', 1], ['outcome', 'failure'], ['ip', '10.0.0.9']] as const) {
      const before = (await chain())[5]!;
      await events().set({ [column]: value }).where('seq', '=', 6).execute();
      expect((await verify()).problem, column).toMatchObject({ seq: 6, kind: 'altered' });
      await events().set({ [column]: before[column] }).where('seq', '=', 6).execute();
    }
    expect((await verify()).problem).toBeNull();
  });

  it('names a deleted event', async () => {
    await t.db.deleteFrom('audit_events').where('workspace_id', '=', workspaceId).where('seq', '=', 3).execute();
    expect((await verify()).problem).toMatchObject({ seq: 3, kind: 'missing' });
  });

  it('names an inserted event', async () => {
    // Make room at #5 by moving every later event one up, then put a forged event there.
    const rows = await chain();
    for (const row of [...rows].reverse().filter((row) => Number(row.seq) >= 5)) await events().set({ seq: Number(row.seq) + 1 }).where('seq', '=', Number(row.seq)).execute();
    const forged = { ...rows[4]!, id: 'forged', metadata: '{"changes":{"forged":true}}' };
    await t.db.insertInto('audit_events').values({ ...forged, seq: 5, hash: linkHash(rows[3]!.hash, { ...forged, seq: 5 }) }).execute();
    expect((await verify()).problem).toMatchObject({ seq: 6, kind: 'altered' });
  });

  it('names reordered events', async () => {
    const rows = await chain();
    await events().set({ seq: -1 }).where('seq', '=', 7).execute();
    await events().set({ seq: 7 }).where('seq', '=', 8).execute();
    await events().set({ seq: 8 }).where('seq', '=', -1).execute();
    expect(rows.length).toBeGreaterThan(8);
    expect((await verify()).problem).toMatchObject({ seq: 7, kind: 'altered' });
  });

  it('names a cut tail that a checkpoint vouched for', async () => {
    const last = (await chain()).length;
    await t.db.deleteFrom('audit_events').where('workspace_id', '=', workspaceId).where('seq', '>', last - 3).execute();
    expect((await verify()).problem).toMatchObject({ seq: last - 2, kind: 'truncated' });
  });

  it('names a cut tail even when the head and the checkpoints were cut with it, given checkpoints kept elsewhere', async () => {
    const exported = await t.services.auditIntegrity.list(workspaceId);
    const rows = await chain();
    const kept = rows.slice(0, -3);
    await t.db.deleteFrom('audit_events').where('workspace_id', '=', workspaceId).where('seq', '>', kept.length).execute();
    await t.db.deleteFrom('audit_checkpoints').where('workspace_id', '=', workspaceId).execute();
    await t.db.updateTable('audit_heads').set({ seq: kept.length, hash: kept.at(-1)!.hash }).where('workspace_id', '=', workspaceId).execute();
    expect((await verify()).problem).toBeNull();
    expect((await verify(exported)).problem).toMatchObject({ seq: kept.length + 1, kind: 'truncated' });
  });

  it('catches a rewrite whose hashes were all recomputed, at the checkpoint that signed the old chain', async () => {
    const rows = await chain();
    let previous = rows[1]!.hash;
    for (const row of rows.slice(2)) {
      const rewritten = Number(row.seq) === 3 ? { ...row, metadata: '{"changes":{"step":"quietly changed"}}' } : row;
      previous = linkHash(previous, rewritten);
      await events().set({ metadata: rewritten.metadata, hash: previous }).where('seq', '=', Number(row.seq)).execute();
    }
    await t.db.updateTable('audit_heads').set({ hash: previous }).where('workspace_id', '=', workspaceId).execute();
    const problem = (await verify()).problem;
    expect(problem).toMatchObject({ seq: rows.length, kind: 'checkpoint_mismatch' });
    expect(problem!.message).toContain('#1 to');
  });

  it('refuses a checkpoint the installation did not sign', async () => {
    const rows = await chain();
    const forged = createHash('sha256').update('forged').digest();
    await t.db.updateTable('audit_checkpoints').set({ hash: forged }).where('workspace_id', '=', workspaceId).where('seq', '=', rows.length).execute();
    expect((await verify()).problem).toMatchObject({ seq: rows.length, kind: 'bad_signature' });
  });

  it('verifies a log pruned up to a checkpoint from that checkpoint, and not one pruned anywhere else', async () => {
    const signedThrough = (await chain()).length;
    await recordEvents(3);
    await t.db.deleteFrom('audit_events').where('workspace_id', '=', workspaceId).where('seq', '<=', signedThrough).execute();
    expect((await verify()).problem).toBeNull();
    await t.db.deleteFrom('audit_events').where('workspace_id', '=', workspaceId).where('seq', '=', signedThrough + 1).execute();
    expect((await verify()).problem).toMatchObject({ seq: 1, kind: 'missing' });
  });

  it('keeps every workspace to its own chain', async () => {
    const other = await buildWorkspace(t);
    await t.db.updateTable('audit_events').set({ metadata: '{"rewritten":true}' }).where('workspace_id', '=', other.workspaceId).where('seq', '=', 1).execute();
    const reports = await t.services.auditIntegrity.verify();
    expect(reports.find((report) => report.workspaceId === workspaceId)!.problem).toBeNull();
    expect(reports.find((report) => report.workspaceId === other.workspaceId)!.problem).toMatchObject({ seq: 1, kind: 'altered' });
  });
});
