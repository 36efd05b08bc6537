import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, createTestApp, type TestApp } from '../../../test/factories.js';
import { systemActor } from '../actor.js';
import { blockHash, eventLine, GENESIS_HASH, type Checkpoint } from './chain.js';

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

async function chainOf(workspace: string) {
  return (await t.db.selectFrom('audit_heads').select('chain').where('workspace_id', '=', workspace).executeTakeFirstOrThrow()).chain;
}

/** The workspace's events as stored (the `audit_log` rows, not the `audit_events` view). */
async function chain() {
  return t.db.selectFrom('audit_log').selectAll().where('chain', '=', await chainOf(workspaceId)).orderBy('seq').execute();
}

async function verify(external: Checkpoint[] = []) {
  const [report] = await t.services.auditIntegrity.verify({ workspaceId, external });
  return report!;
}

let chainNumber: number;
beforeEach(async () => {
  chainNumber = await chainOf(workspaceId);
});
const events = () => t.db.updateTable('audit_log').where('chain', '=', chainNumber);

describe('the hash chain', () => {
  it('numbers every event of a workspace from 1 without gaps, each block linked to the one before', async () => {
    await recordEvents(5);
    const rows = await chain();
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    let previous = GENESIS_HASH;
    let block: typeof rows = [];
    for (const row of rows) {
      block.push(row);
      if (row.hash === null) continue;
      expect(row.hash.equals(blockHash(previous, chainNumber, block.map(eventLine)))).toBe(true);
      previous = row.hash;
      block = [];
    }
    expect(block).toEqual([]);
    // A change's events are one block each: the five recorded one by one end five blocks.
    expect(rows.slice(-5).every((row) => row.hash !== null)).toBe(true);
    const head = await t.db.selectFrom('audit_heads').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    expect(Number(head.seq)).toBe(rows.length);
    expect(head.hash.equals(previous)).toBe(true);
  });

  it('encodes events alike in the service and in the database that verifies them, whatever their text', async () => {
    // The verifier has the database build each event's line (lengths in UTF-8 bytes): Chinese, emoji and quotes must give the same bytes as the writer's.
    const actor = systemActor(workspaceId, 'test');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 4 }), async (objectId, customerIds) => {
        await t.services.audit.record(actor, { action: 'customer.listed', outcome: 'success', metadata: { customerIds }, object: { type: 'customer', id: objectId } });
        expect((await verify()).problem).toBeNull();
      }),
      { numRuns: 25 },
    );
  });

  it('tells a missing user agent from one that reads "null" (contexts are remembered by their fields)', async () => {
    const quiet = systemActor(workspaceId, 'test');
    const odd = { ...quiet, userAgent: 'null' };
    for (const actor of [quiet, odd, quiet, odd]) await t.services.audit.record(actor, { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes: {} } });
    const agents = await t.db.selectFrom('audit_events').select('user_agent').where('workspace_id', '=', workspaceId).orderBy('seq', 'desc').limit(4).execute();
    expect(agents.map((row) => row.user_agent)).toEqual(['null', null, 'null', null]);
    expect((await verify()).problem).toBeNull();
  });

  it('puts the reads of one group commit in one block', async () => {
    const actor = systemActor(workspaceId, 'test');
    const before = (await chain()).length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.services.audit.recordRead(actor, { action: 'customer.viewed', outcome: 'success', metadata: { fields: {} }, object: { type: 'customer', id: `c-${i}` } })));
    const reads = (await chain()).slice(before);
    expect(reads).toHaveLength(20);
    expect(reads.map((row) => row.hash !== null)).toEqual([...Array(19).fill(false), true]);
    expect((await verify()).problem).toBeNull();
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
    const recorded = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).orderBy('seq').execute();
    expect(recorded.some((row) => row.metadata.includes('lost'))).toBe(false);
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
  /** The seq of the n-th (1-based) of the nine events recorded one by one below: each is a block of its own. */
  let nth: (n: number) => number;
  beforeEach(async () => {
    const before = (await chain()).length;
    nth = (n) => before + n;
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
    for (const [column, value] of [['at', 1], ['object_id', 'another-customer'], ['metadata', '{"customerIds":[]}']] as const) {
      const before = (await chain()).find((row) => Number(row.seq) === nth(4))!;
      await events().set({ [column]: value }).where('seq', '=', nth(4)).execute();
      expect((await verify()).problem, column).toMatchObject({ seq: nth(4), kind: 'altered' });
      await events().set({ [column]: before[column] }).where('seq', '=', nth(4)).execute();
    }
    expect((await verify()).problem).toBeNull();
  });

  it('names the first event of an edited actor, address or outcome: contexts and shapes are named by their hash', async () => {
    const sixth = (await chain()).find((row) => Number(row.seq) === nth(6))!;
    const firstWith = async (column: 'context' | 'shape') => Number((await chain()).find((row) => row[column] === sixth[column])!.seq);
    for (const [table, column, value] of [
      ['audit_contexts', 'actor_id', 'someone-else'],
      ['audit_contexts', 'ip', '10.0.0.9'],
      ['audit_shapes', 'outcome', 'failure'],
      ['audit_shapes', 'metadata', '{"changes":{"step":"rewritten"}}'],
    ] as const) {
      const id = table === 'audit_contexts' ? sixth.context : sixth.shape;
      const before = await t.db.selectFrom(table).selectAll().where('chain', '=', chainNumber).where('id', '=', id).executeTakeFirstOrThrow();
      await t.db.updateTable(table).set({ [column]: value }).where('chain', '=', chainNumber).where('id', '=', id).execute();
      expect((await verify()).problem, column).toMatchObject({ seq: await firstWith(table === 'audit_contexts' ? 'context' : 'shape'), kind: 'altered' });
      await t.db.updateTable(table).set({ [column]: (before as Record<string, unknown>)[column] as string }).where('chain', '=', chainNumber).where('id', '=', id).execute();
    }
    expect((await verify()).problem).toBeNull();
  });

  it('names a deleted event', async () => {
    await t.db.deleteFrom('audit_log').where('chain', '=', chainNumber).where('seq', '=', nth(3)).execute();
    expect((await verify()).problem).toMatchObject({ seq: nth(3), kind: 'missing' });
  });

  it('names an inserted event', async () => {
    // Make room at the fifth by moving every later event one up, then put a forged event there, linked properly.
    const rows = await chain();
    for (const row of [...rows].reverse().filter((row) => Number(row.seq) >= nth(5))) await events().set({ seq: Number(row.seq) + 1 }).where('seq', '=', Number(row.seq)).execute();
    const previous = rows.find((row) => Number(row.seq) === nth(4))!.hash!;
    const forged = { ...rows.find((row) => Number(row.seq) === nth(5))!, object_id: 'forged', seq: nth(5) };
    await t.db.insertInto('audit_log').values({ ...forged, hash: blockHash(previous, chainNumber, [eventLine(forged)]) }).execute();
    expect((await verify()).problem).toMatchObject({ seq: nth(6), kind: 'altered' });
  });

  it('names reordered events', async () => {
    await events().set({ seq: -1 }).where('seq', '=', nth(7)).execute();
    await events().set({ seq: nth(7) }).where('seq', '=', nth(8)).execute();
    await events().set({ seq: nth(8) }).where('seq', '=', -1).execute();
    expect((await verify()).problem).toMatchObject({ seq: nth(7), kind: 'altered' });
  });

  it('names a cut tail that a checkpoint vouched for', async () => {
    const last = (await chain()).length;
    await t.db.deleteFrom('audit_log').where('chain', '=', chainNumber).where('seq', '>', last - 3).execute();
    expect((await verify()).problem).toMatchObject({ seq: last - 2, kind: 'truncated' });
  });

  it('names a cut tail even when the head and the checkpoints were cut with it, given checkpoints kept elsewhere', async () => {
    const exported = await t.services.auditIntegrity.list(workspaceId);
    const rows = await chain();
    const kept = rows.slice(0, -3);
    await t.db.deleteFrom('audit_log').where('chain', '=', chainNumber).where('seq', '>', kept.length).execute();
    await t.db.deleteFrom('audit_checkpoints').where('workspace_id', '=', workspaceId).execute();
    await t.db.updateTable('audit_heads').set({ seq: kept.length, hash: kept.at(-1)!.hash! }).where('workspace_id', '=', workspaceId).execute();
    expect((await verify()).problem).toBeNull();
    expect((await verify(exported)).problem).toMatchObject({ seq: kept.length + 1, kind: 'truncated' });
  });

  it('catches a rewrite whose hashes were all recomputed, at the checkpoint that signed the old chain', async () => {
    const rows = await chain();
    let previous = rows.find((row) => Number(row.seq) === nth(2))!.hash!;
    for (const row of rows.filter((row) => Number(row.seq) >= nth(3))) {
      const rewritten = Number(row.seq) === nth(3) ? { ...row, object_id: 'quietly-changed' } : row;
      previous = blockHash(previous, chainNumber, [eventLine(rewritten)]);
      await events().set({ object_id: rewritten.object_id, hash: previous }).where('seq', '=', Number(row.seq)).execute();
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
    await t.db.deleteFrom('audit_log').where('chain', '=', chainNumber).where('seq', '<=', signedThrough).execute();
    expect((await verify()).problem).toBeNull();
    await t.db.deleteFrom('audit_log').where('chain', '=', chainNumber).where('seq', '=', signedThrough + 1).execute();
    expect((await verify()).problem).toMatchObject({ seq: 1, kind: 'missing' });
  });

  it('keeps every workspace to its own chain', async () => {
    const other = await buildWorkspace(t);
    await t.db.updateTable('audit_log').set({ at: 1 }).where('chain', '=', await chainOf(other.workspaceId)).where('seq', '=', 1).execute();
    const reports = await t.services.auditIntegrity.verify();
    expect(reports.find((report) => report.workspaceId === workspaceId)!.problem).toBeNull();
    expect(reports.find((report) => report.workspaceId === other.workspaceId)!.problem).toMatchObject({ seq: 1, kind: 'altered' });
  });

  it('names a chain whose head was deleted, and the workspace whose checkpoints vouch for it', async () => {
    await t.db.deleteFrom('audit_heads').where('workspace_id', '=', workspaceId).execute();
    const reports = await t.services.auditIntegrity.verify();
    expect(reports.find((report) => report.workspaceId === workspaceId)!.problem).toMatchObject({ seq: 1, kind: 'truncated' });
    expect(reports.find((report) => report.workspaceId === `chain ${chainNumber}`)!.problem).toMatchObject({ seq: 1, kind: 'missing' });
  });
});
