import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { buildWorkspace, createTestApp, type TestApp } from '../../../test/factories.js';
import { createVaultGateway } from './gateway.js';
import { createKeyring } from './keyring.js';
import { RewrapCancelled } from './key-rotation.js';

let t: TestApp;
let actor: ReturnType<typeof systemActor>;
beforeEach(async () => {
  t = await createTestApp();
  actor = systemActor((await buildWorkspace(t)).workspaceId, 'test');
});
afterEach(async () => {
  await t.close();
});

const people = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ kind: 'person', name: `Person ${from + i}`, phone: `+86 139 ${String(10_000_000 + from + i).slice(0, 4)} ${String(from + i).padStart(4, '0')}` }));

describe('key rotation', () => {
  it('wraps new customer keys with the new version, rewraps the old ones resumably, and retires the old version', async () => {
    const { created } = await t.services.vault.createMany(actor, people(25));
    expect(created).toHaveLength(25);
    expect((await t.services.keyRotation.status(actor.workspaceId)).find((k) => k.purpose === 'data')).toMatchObject({ version: 1, subjectKeys: 25 });

    expect(await t.services.keyRotation.rotate(actor)).toBe(2);
    const { created: later } = await t.services.vault.createMany(actor, people(5, 100));
    const status = await t.services.keyRotation.status(actor.workspaceId);
    expect(status.filter((k) => k.purpose === 'data').map((k) => [k.version, k.subjectKeys])).toEqual([
      [1, 25],
      [2, 5],
    ]);

    // Interrupted after the first batch: what was done stays done, the rest waits.
    await expect(
      t.services.keyRotation.rewrap(actor, (progress) => {
        if (progress.done >= 10) throw new Error('power cut');
      }, 10),
    ).rejects.toThrow('power cut');
    expect((await t.services.keyRotation.status(actor.workspaceId)).find((k) => k.version === 1)?.subjectKeys).toBe(15);

    const progress: number[] = [];
    const result = await t.services.keyRotation.rewrap(actor, (p) => progress.push(p.done), 10);
    expect(result).toEqual({ rewrapped: 15, version: 2, retiredBelow: 2 });
    expect(progress).toEqual([0, 10, 15]);
    const after = await t.services.keyRotation.status(actor.workspaceId);
    expect(after.find((k) => k.purpose === 'data' && k.version === 1)).toMatchObject({ subjectKeys: 0, retiredAt: expect.any(String) });
    expect(after.find((k) => k.purpose === 'data' && k.version === 2)).toMatchObject({ subjectKeys: 30, retiredAt: null });

    // Every customer still reads the same through a keyring with cold caches (as a restarted server would).
    const cold = createVaultGateway({ db: t.db, clock: t.clock, audit: t.services.audit, keyring: createKeyring({ keys: t.keys, clock: t.clock }), fields: t.services.fields });
    for (const id of [...created, ...later]) {
      const record = await cold.get(actor, id);
      expect(record.name).toMatch(/^Person \d+$/);
      expect(record.phone).toMatch(/^\+86139\d{8}$/);
    }
    const events = await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'keys.%').orderBy('seq').execute();
    // Ids order events only to the millisecond: compare as sets with their counts.
    expect(events.map((e) => e.action).sort()).toEqual(['keys.rewrap_failed', 'keys.rewrap_started', 'keys.rewrap_started', 'keys.rewrapped', 'keys.rotated']);
  });

  it('stops between batches when cancelled, keeps the old version until the rest is moved, and resumes', async () => {
    await t.services.vault.createMany(actor, people(25));
    await t.services.keyRotation.rotate(actor);
    const controller = new AbortController();
    const cancelled = t.services.keyRotation.rewrap(actor, (p) => p.done >= 10 && controller.abort(), 10, controller.signal);
    await expect(cancelled).rejects.toThrow(RewrapCancelled);
    await expect(cancelled).rejects.toMatchObject({ rewrapped: 10 });
    const status = await t.services.keyRotation.status(actor.workspaceId);
    expect(status.filter((k) => k.purpose === 'data').map((k) => [k.version, k.subjectKeys, k.retiredAt])).toEqual([
      [1, 15, null],
      [2, 10, null],
    ]);

    expect(await t.services.keyRotation.rewrap(actor, undefined, 10)).toEqual({ rewrapped: 15, version: 2, retiredBelow: 2 });
    const events = await t.db.selectFrom('audit_events').select(['action', 'metadata']).where('action', 'like', 'keys.rewrap%').orderBy('seq').execute();
    expect(events.map((e) => [e.action, JSON.parse(e.metadata)])).toEqual(
      expect.arrayContaining([
        ['keys.rewrap_started', { toVersion: 2, pending: 25 }],
        ['keys.rewrap_cancelled', { rewrapped: 10, toVersion: 2 }],
        ['keys.rewrap_started', { toVersion: 2, pending: 15 }],
        ['keys.rewrapped', { rewrapped: 15, toVersion: 2, retiredBelow: 2 }],
      ]),
    );
    expect(events).toHaveLength(4);
  });
});
