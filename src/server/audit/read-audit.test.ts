import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { buildWorkspace, call, createTestApp, signIn, TEST_DATABASE_URL, type Session, type TestApp } from '../../../test/factories.js';
import { READ_BATCH } from './service.js';

// Reads are audited by group commit: the events of concurrent reads share one transaction,
// and no read is answered before its event is committed.

let t: TestApp;
let admin: Session;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  const owner = await buildWorkspace(t);
  workspaceId = owner.workspaceId;
  admin = await signIn(t, owner.email, owner.password);
});
afterEach(async () => {
  await t.close();
});

const viewed = (id: string) => ({ action: 'customer.viewed' as const, outcome: 'success' as const, metadata: { fields: { name: 'clear' as const } }, object: { type: 'customer', id } });

async function eventsOf(action: string) {
  return t.db.selectFrom('audit_events').select(['object_id', 'metadata']).where('workspace_id', '=', workspaceId).where('action', '=', action).orderBy('seq').execute();
}

/** The blocks (transactions) that wrote `action`'s events: each block's hash is on its last event. */
async function blocksOf(action: string) {
  const events = await t.db.selectFrom('audit_events').select('hash').where('workspace_id', '=', workspaceId).where('action', '=', action).execute();
  return events.filter((e) => e.hash !== null).length;
}

async function synchronousLevel() {
  return (await sql<{ synchronous: number }>`pragma synchronous`.execute(t.db)).rows[0]?.synchronous;
}

/** Makes every audit insert fail (the table is renamed away) until the returned function puts it back. */
async function breakAuditTable(): Promise<() => Promise<void>> {
  await t.db.schema.alterTable('audit_log').renameTo('audit_log_away').execute();
  return async () => {
    await t.db.schema.alterTable('audit_log_away').renameTo('audit_log').execute();
  };
}

async function createCustomer(body: Record<string, unknown>): Promise<string> {
  const created = await call(t, 'POST', '/api/customers', { session: admin, body });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

describe('recordRead', () => {
  it('writes the events of concurrent reads in one transaction, and resolves once they are committed', async () => {
    const actor = systemActor(workspaceId, 'test');
    const ids = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    await Promise.all(ids.map((id) => t.services.audit.recordRead(actor, viewed(id))));
    expect((await eventsOf('customer.viewed')).map((e) => e.object_id).sort()).toEqual([...ids].sort());
    expect(await blocksOf('customer.viewed')).toBe(1);
  });

  it(`cuts batches of at most ${READ_BATCH} events, each settled with its own commit`, async () => {
    const actor = systemActor(workspaceId, 'test');
    const count = READ_BATCH * 2 + 3;
    await Promise.all(Array.from({ length: count }, (_, i) => t.services.audit.recordRead(actor, viewed(`c-${i}`))));
    expect(await eventsOf('customer.viewed')).toHaveLength(count);
    expect(await blocksOf('customer.viewed')).toBe(3);
  });

  it.skipIf(TEST_DATABASE_URL !== null)('commits on SQLite with the connection back at synchronous = FULL, after a failed batch too', async () => {
    const actor = systemActor(workspaceId, 'test');
    await t.services.audit.recordRead(actor, viewed('durable'));
    expect(await synchronousLevel()).toBe(2);
    const restore = await breakAuditTable();
    await expect(t.services.audit.recordRead(actor, viewed('lost'))).rejects.toThrow();
    await restore();
    expect(await synchronousLevel()).toBe(2);
  });

  it('rejects every caller of a batch that failed, then records the next reads again', async () => {
    const actor = systemActor(workspaceId, 'test');
    const restore = await breakAuditTable();
    const results = await Promise.allSettled([1, 2, 3].map((i) => t.services.audit.recordRead(actor, viewed(`lost-${i}`))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await restore();
    await t.services.audit.recordRead(actor, viewed('kept'));
    expect((await eventsOf('customer.viewed')).map((e) => e.object_id)).toEqual(['kept']);
  });
});

describe('reads through the API', () => {
  it('records one event per read when many reads arrive at once', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createCustomer({ kind: 'person', name: `Reader ${i}`, email: `reader${i}@example.com` }));
    const responses = await Promise.all([...ids, ...ids].map((id) => call(t, 'GET', `/api/customers/${id}`, { session: admin })));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const events = await eventsOf('customer.viewed');
    expect(events.map((e) => e.object_id).sort()).toEqual([...ids, ...ids].sort());
  });

  it('answers no read whose event could not be written: a 500 without the data', async () => {
    const id = await createCustomer({ kind: 'person', name: '张伟', email: 'zhang.wei@example.com', phone: '13800138000' });
    const restore = await breakAuditTable();
    const reads = await Promise.all([
      call(t, 'GET', `/api/customers/${id}`, { session: admin }),
      call(t, 'GET', `/api/customers?email=${encodeURIComponent('zhang.wei@example.com')}`, { session: admin }),
      call(t, 'GET', '/api/customers?limit=10', { session: admin }),
    ]);
    await restore();
    for (const read of reads) {
      expect(read.statusCode).toBe(500);
      expect(read.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(read.body).not.toContain('zhang');
      expect(read.body).not.toContain('张伟');
      expect(read.body).not.toContain(id);
    }
    expect(await eventsOf('customer.viewed')).toEqual([]);
    expect(await eventsOf('customer.looked_up')).toEqual([]);
    expect(await eventsOf('customer.listed')).toEqual([]);

    // The next read is recorded, and answered.
    const again = await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    expect(again.statusCode).toBe(200);
    expect(again.json().name).toBe('张伟');
    expect((await eventsOf('customer.viewed')).map((e) => e.object_id)).toEqual([id]);
  });
});
