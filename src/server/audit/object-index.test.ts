import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { buildWorkspace, createTestApp, type TestApp } from '../../../test/factories.js';
import { indexObjectRuns, objectEventSeqs, pruneObjectIndex, RUN_EVENTS } from './object-index.js';

// The index by object is written run by run, off the reads' path; a lookup reads the indexed
// runs and the events past them, and finds every event about the object either way.

let t: TestApp;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  workspaceId = (await buildWorkspace(t)).workspaceId;
});
afterEach(async () => {
  await t.close();
});

const CUSTOMERS = ['customer-a', 'customer-b', 'customer-c'];

/** `count` customer.viewed events over CUSTOMERS in turn (every fifth about no object), in one transaction. */
async function appendViews(count: number): Promise<void> {
  const actor = systemActor(workspaceId, 'test');
  const events = Array.from({ length: count }, (_, i) =>
    i % 5 === 4
      ? { action: 'audit.searched' as const, outcome: 'success' as const, metadata: { filters: [], page: false, results: 0 } }
      : { action: 'customer.viewed' as const, outcome: 'success' as const, metadata: { fields: { name: 'clear' as const } }, object: { type: 'customer', id: CUSTOMERS[i % CUSTOMERS.length]! } },
  );
  await t.db.transaction().execute((trx) => t.services.audit.recordMany(actor, events, trx));
}

async function chain(): Promise<number> {
  return (await t.db.selectFrom('audit_heads').select('chain').where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).chain;
}

/** The seqs of the object's events as the trail itself has them (a full scan). */
async function scanned(objectId: string): Promise<number[]> {
  const rows = await t.db.selectFrom('audit_log').select('seq').where('chain', '=', await chain()).where('object_id', '=', objectId).orderBy('seq').execute();
  return rows.map((row) => Number(row.seq));
}

async function looked(objectId: string): Promise<number[]> {
  const rows = await objectEventSeqs(t.db, workspaceId, objectId).execute();
  return rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
}

async function indexedRuns(): Promise<number[]> {
  const rows = await t.db.selectFrom('audit_object_runs').select('run').where('chain', '=', await chain()).orderBy('run').execute();
  return rows.map((row) => Number(row.run));
}

/** Waits for the background step the append started (it runs once the caller's transaction is done). */
async function settled(): Promise<void> {
  for (let i = 0; i < 100 && (await indexedRuns()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the audit trail index by object', () => {
  it('indexes a run once it is complete, and a lookup finds every event in the runs and past them', async () => {
    await appendViews(RUN_EVENTS - 100);
    expect(await indexObjectRuns(t.db)).toBe(0);
    expect(await indexedRuns()).toEqual([]);
    // Not indexed yet: read from the trail.
    for (const id of CUSTOMERS) expect(await looked(id)).toEqual(await scanned(id));

    await appendViews(300);
    await settled();
    expect(await indexedRuns()).toEqual([0]);
    const entries = await t.db.selectFrom('audit_object_index').select(['object_id', 'seq']).where('chain', '=', await chain()).execute();
    expect(entries.every((entry) => Number(entry.seq) <= RUN_EVENTS)).toBe(true);
    const about = await t.db.selectFrom('audit_log').select('seq').where('chain', '=', await chain()).where('seq', '<=', RUN_EVENTS).where('object_id', 'is not', null).execute();
    expect(entries.length).toBe(about.length);
    for (const id of CUSTOMERS) {
      const seqs = await scanned(id);
      expect(seqs.some((seq) => seq > RUN_EVENTS)).toBe(true);
      expect(await looked(id)).toEqual(seqs);
    }
    expect(await looked('customer-unknown')).toEqual([]);
  });

  it('indexes each run once when two passes run at the same time', async () => {
    await appendViews(RUN_EVENTS * 2 + 10);
    const passes = await Promise.all([indexObjectRuns(t.db), indexObjectRuns(t.db), indexObjectRuns(t.db)]);
    expect(passes.reduce((sum, runs) => sum + runs, 0)).toBeLessThanOrEqual(2);
    expect(await indexedRuns()).toEqual([0, 1]);
    const entries = await t.db.selectFrom('audit_object_index').select((eb) => eb.fn.countAll().as('n')).where('chain', '=', await chain()).executeTakeFirstOrThrow();
    const about = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('chain', '=', await chain()).where('seq', '<=', RUN_EVENTS * 2).where('object_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(entries.n)).toBe(Number(about.n));
    for (const id of CUSTOMERS) expect(await looked(id)).toEqual(await scanned(id));
  });

  it('drops the entries of pruned events and the runs they emptied, but keeps the last run', async () => {
    await appendViews(RUN_EVENTS * 2 + 10);
    await indexObjectRuns(t.db);
    const through = RUN_EVENTS + 7;
    await t.db.deleteFrom('audit_log').where('chain', '=', await chain()).where('seq', '<=', through).execute();
    await pruneObjectIndex(t.db, await chain(), through);
    expect(await indexedRuns()).toEqual([1]);
    for (const id of CUSTOMERS) expect(await looked(id)).toEqual(await scanned(id));

    await pruneObjectIndex(t.db, await chain(), RUN_EVENTS * 2 + 10);
    expect(await indexedRuns()).toEqual([1]);
  });
});
