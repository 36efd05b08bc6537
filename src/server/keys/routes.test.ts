import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { REAUTH_WINDOW_MS } from '../auth/context.js';
import { call, createTestApp, inviteMember, STRONG_PASSWORD, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import type { KeyRotation } from '../vault/key-rotation.js';

let t: TestApp;
let workspaceId: string;
let ownerId: string;
let admin: Session;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin, owner: { user: { id: ownerId } } } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

interface Overview {
  keys: { purpose: string; version: number; retiredAt: string | null; subjectKeys: number | null }[];
  rewrap: { state: string; done: number; total: number; rate: number; eta: number | null; startedAt: string | null; finishedAt: string | null; error?: string };
}

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'person', name: `Person ${i}`, email: `person.${i}@example.com` }));
const dataKeys = (overview: Overview) => overview.keys.filter((k) => k.purpose === 'data').map((k) => [k.version, k.subjectKeys, k.retiredAt !== null]);

async function overview(session = admin): Promise<Overview> {
  const response = await call(t, 'GET', '/api/admin/keys', { session });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Polls as the admin page does, until the rewrap is no longer running. */
async function settled(): Promise<Overview> {
  for (let i = 0; i < 500; i += 1) {
    const current = await overview();
    if (current.rewrap.state !== 'running') return current;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the rewrap did not finish');
}

async function keyActions(): Promise<{ action: string; actorId: string | null; metadata: unknown }[]> {
  const rows = await t.db.selectFrom('audit_events').select(['action', 'actor_id', 'metadata']).where('workspace_id', '=', workspaceId).where('action', 'like', 'keys.%').orderBy('seq').execute();
  return rows.map((row) => ({ action: row.action, actorId: row.actor_id, metadata: JSON.parse(row.metadata) }));
}

/**
 * Holds the next rewrap at its start until released: a real rewrap of a few customers ends
 * before a second request could see it running.
 */
function holdNextRewrap() {
  const original = t.services.keyRotation.rewrap;
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let signal: AbortSignal | undefined;
  const held: KeyRotation['rewrap'] = async (actor, onProgress, batchSize, jobSignal) => {
    signal = jobSignal;
    t.services.keyRotation.rewrap = original;
    await gate;
    return original(actor, onProgress, batchSize, jobSignal);
  };
  t.services.keyRotation.rewrap = held;
  return { release, signal: () => signal };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

describe('key management from the web', () => {
  it('is for owners and administrators: a member is refused, a stranger must sign in', async () => {
    const member = await inviteMember(t, admin, 'sales_rep');
    const routes = [
      ['GET', '/api/admin/keys'],
      ['POST', '/api/admin/keys/rotate'],
      ['POST', '/api/admin/keys/rewrap'],
      ['DELETE', '/api/admin/keys/rewrap'],
    ] as const;
    for (const [method, url] of routes) {
      expect((await call(t, method, url, { session: member })).statusCode, `${method} ${url}`).toBe(403);
      expect((await call(t, method, url)).statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await overview()).rewrap).toEqual({ state: 'idle', done: 0, total: 0, rate: 0, eta: null, startedAt: null, finishedAt: null });
    expect(await keyActions()).toEqual([]);
  });

  it('rotates only after a recent proof of identity', async () => {
    t.clock.advance(REAUTH_WINDOW_MS + 60_000);
    const stale = await call(t, 'POST', '/api/admin/keys/rotate', { session: admin });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error.code).toBe('reauth_required');
    expect((await call(t, 'POST', '/api/auth/reauth', { session: admin, body: { password: STRONG_PASSWORD } })).statusCode).toBe(204);
    const rotated = await call(t, 'POST', '/api/admin/keys/rotate', { session: admin });
    expect(rotated.statusCode).toBe(200);
    expect(dataKeys(rotated.json())).toEqual([
      [1, 0, false],
      [2, 0, false],
    ]);
    expect(await keyActions()).toEqual([{ action: 'keys.rotated', actorId: ownerId, metadata: { purpose: 'data', version: 2 } }]);
  });

  it('rotates, then the background rewrap moves every customer key forward and retires the old version', async () => {
    await t.services.vault.createMany(systemActor(workspaceId, 'test'), people(30));
    const rotated: Overview = (await call(t, 'POST', '/api/admin/keys/rotate', { session: admin })).json();
    expect(dataKeys(rotated)).toEqual([
      [1, 30, false],
      [2, 0, false],
    ]);

    const started = await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin });
    expect(started.statusCode).toBe(202);
    expect(started.json().rewrap).toMatchObject({ state: 'running', startedAt: t.clock.now().toISOString(), finishedAt: null });

    const after = await settled();
    expect(after.rewrap).toMatchObject({ state: 'done', done: 30, total: 30, eta: 0, finishedAt: expect.any(String) });
    expect(after.rewrap.error).toBeUndefined();
    expect(dataKeys(after)).toEqual([
      [1, 0, true],
      [2, 30, false],
    ]);
    const actions = await keyActions();
    expect(actions.every((event) => event.actorId === ownerId)).toBe(true);
    expect(actions.map((event) => event.metadata)).toEqual(
      expect.arrayContaining([
        { purpose: 'data', version: 2 },
        { toVersion: 2, pending: 30 },
        { rewrapped: 30, toVersion: 2, retiredBelow: 2 },
      ]),
    );
    expect(actions.map((event) => event.action).sort()).toEqual(['keys.rewrap_started', 'keys.rewrapped', 'keys.rotated']);
  });

  it('runs one rewrap at a time, cancels it between batches, and resumes it where it stopped', async () => {
    await t.services.vault.createMany(systemActor(workspaceId, 'test'), people(12));
    await call(t, 'POST', '/api/admin/keys/rotate', { session: admin });
    expect((await call(t, 'DELETE', '/api/admin/keys/rewrap', { session: admin })).json().error.code).toBe('rewrap_not_running');

    const held = holdNextRewrap();
    expect((await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin })).statusCode).toBe(202);
    const again = await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('rewrap_running');
    expect((await call(t, 'POST', '/api/admin/keys/rotate', { session: admin })).json().error.code).toBe('rewrap_running');

    const cancelling = call(t, 'DELETE', '/api/admin/keys/rewrap', { session: admin });
    await waitFor(() => held.signal()?.aborted === true);
    held.release();
    const cancelled = await cancelling;
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().rewrap).toMatchObject({ state: 'cancelled', finishedAt: expect.any(String) });
    expect(dataKeys(cancelled.json())).toEqual([
      [1, 12, false],
      [2, 0, false],
    ]);
    expect((await keyActions()).map((event) => event.action)).toContain('keys.rewrap_cancelled');

    expect((await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin })).statusCode).toBe(202);
    const resumed = await settled();
    expect(resumed.rewrap).toMatchObject({ state: 'done', done: 12, total: 12 });
    expect(dataKeys(resumed)).toEqual([
      [1, 0, true],
      [2, 12, false],
    ]);
  });

  it('reports a failed rewrap without the error’s own words, and can be started again', async () => {
    await t.services.vault.createMany(systemActor(workspaceId, 'test'), people(3));
    await call(t, 'POST', '/api/admin/keys/rotate', { session: admin });
    const original = t.services.keyRotation.rewrap;
    t.services.keyRotation.rewrap = async () => {
      t.services.keyRotation.rewrap = original;
      throw new Error('duplicate key value (person.0@example.com)');
    };
    expect((await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin })).statusCode).toBe(202);
    const failed = await settled();
    expect(failed.rewrap).toMatchObject({ state: 'failed', error: expect.any(String) });
    expect(failed.rewrap.error).not.toContain('example.com');

    await call(t, 'POST', '/api/admin/keys/rewrap', { session: admin });
    expect((await settled()).rewrap).toMatchObject({ state: 'done', done: 3 });
  });
});
