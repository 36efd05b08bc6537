import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { auditActions, call, createTestApp, inviteMember, memberWithoutAccess, signIn, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let owner: Awaited<ReturnType<typeof workspaceWithAdmin>>['owner'];
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin, owner } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

async function ok(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, session = admin) {
  const response = await call(t, method, url, { session, body });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.statusCode === 204 ? null : response.json();
}

/** Two records of one person, each with rows of every kind. */
async function twins(session = admin, city = '北京') {
  const tag = city === '北京' ? '' : `${city.length}${Math.random().toString(36).slice(2, 6)}.`;
  const a = (await ok('POST', '/api/customers', { kind: 'person', name: '王伟', city, email: `${tag}wei@example.com`, phone: tag ? null : '13800138000', gender: 'male' }, session)).id as string;
  const b = (await ok('POST', '/api/customers', { kind: 'person', name: '王偉', city, email: `${tag}wang.wei@example.org`, birthDate: '1990-05-01', source: 'fair' }, session)).id as string;
  return { a, b };
}

async function withRows(id: string, tag: string) {
  await ok('POST', `/api/customers/${id}/notes`, { body: `Note of ${tag}` });
  await ok('POST', `/api/customers/${id}/contact-points`, { type: 'phone', value: tag === 'a' ? '13900139000' : '13700137000' });
  await ok('POST', `/api/customers/${id}/contact-points`, { type: 'im', channel: 'wechat', value: `wx_${tag}` });
  await ok('POST', `/api/customers/${id}/addresses`, { type: 'home', country: 'CN', street: `${tag} Road 1` });
  await ok('POST', `/api/customers/${id}/transactions`, { occurredAt: '2026-11-01T10:00:00.000Z', amountMinor: 1000, currency: 'CNY', status: 'paid' });
  await ok('POST', `/api/customers/${id}/cases`, { subject: `Case of ${tag}` });
  await t.services.vault.ingestEvents(systemActor(workspaceId, 'test'), [{ customerId: id, type: 'page_view', occurredAt: '2026-11-02T10:00:00.000Z' }]);
}

async function everything(id: string) {
  const get = async (what: string) => (await ok('GET', `/api/customers/${id}/${what}`)).items as Record<string, unknown>[];
  return {
    notes: (await get('notes')).map((n) => n.body).sort(),
    contactPoints: (await get('contact-points')).map((c) => `${c.type}:${c.value}`).sort(),
    addresses: (await get('addresses')).length,
    transactions: (await get('transactions')).length,
    cases: (await get('cases')).map((c) => c.subject).sort(),
    events: (await get('events')).length,
  };
}

describe('merging two customers', () => {
  it('keeps the chosen value per field and every row of both, and undo restores both exactly', async () => {
    const { a, b } = await twins();
    await withRows(a, 'a');
    await withRows(b, 'b');
    const [pair] = (await ok('GET', '/api/duplicates')).items;
    expect(pair.customers.map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
    expect(pair.reasons).toEqual(['name', 'city']);
    const beforeA = await ok('GET', `/api/customers/${a}`);
    const beforeB = await ok('GET', `/api/customers/${b}`);
    const rowsA = await everything(a);
    const rowsB = await everything(b);

    const merged = await ok('POST', '/api/customers/merge', { survivorId: a, mergedId: b, fields: { name: 'merged', email: 'survivor' } });
    // One field from each side; empty fields of the survivor take the other's value by default.
    expect(merged.survivor).toMatchObject({ id: a, name: '王偉', email: 'wei@example.com', phone: '+8613800138000', gender: 'male', birthDate: '1990-05-01', source: 'fair' });
    const after = await everything(a);
    expect(after.notes).toEqual([...rowsA.notes, ...rowsB.notes].sort());
    // The merged customer's primary email was not kept as the email: it stays as a further one.
    expect(after.contactPoints).toEqual([...rowsA.contactPoints, ...rowsB.contactPoints, 'email:wang.wei@example.org'].sort());
    expect(after.addresses).toBe(rowsA.addresses + rowsB.addresses);
    expect(after.transactions).toBe(2);
    expect(after.events).toBe(2);
    expect(after.cases).toEqual(['Case of a', 'Case of b']);
    expect((await call(t, 'GET', `/api/customers/${b}`, { session: admin })).statusCode).toBe(404);
    // Found by the merged customer's email now.
    expect((await ok('GET', `/api/customers?email=${encodeURIComponent('wang.wei@example.org')}`)).items.map((c: { id: string }) => c.id)).toEqual([a]);
    expect((await ok('GET', '/api/duplicates')).items).toEqual([]);
    expect((await ok('GET', '/api/duplicates?status=merged')).items).toHaveLength(1);

    const event = await t.db.selectFrom('audit_events').select(['metadata', 'object_id']).where('action', '=', 'customer.merged').executeTakeFirstOrThrow();
    const metadata = JSON.parse(event.metadata);
    expect(metadata).toMatchObject({ customerIds: [a, b], survivorId: a, mergedId: b, fields: { name: 'merged', email: 'survivor', birthDate: 'merged' } });
    expect(event.metadata).not.toContain('王');
    expect(event.metadata).not.toContain('example');

    const { items: merges } = await ok('GET', '/api/customers/merges');
    expect(merges.map((m: { id: string }) => m.id)).toEqual([merged.mergeId]);
    const undone = await ok('POST', `/api/customers/merges/${merged.mergeId}/undo`);
    expect(undone.survivor).toEqual({ ...beforeA, allowed: undefined, updatedAt: undone.survivor.updatedAt });
    expect(await ok('GET', `/api/customers/${b}`)).toEqual(beforeB);
    expect(await everything(a)).toEqual(rowsA);
    // The merged customer's notes decrypt again under its own key.
    expect(await everything(b)).toEqual(rowsB);
    expect((await ok('GET', `/api/customers?email=${encodeURIComponent('wang.wei@example.org')}`)).items.map((c: { id: string }) => c.id)).toEqual([b]);
    expect((await ok('GET', '/api/duplicates')).items).toHaveLength(1);
    expect((await ok('GET', '/api/customers/merges')).items).toEqual([]);
    expect(await auditActions(t, workspaceId)).toEqual(expect.arrayContaining(['customer.merged', 'customer.unmerged']));
    expect((await call(t, 'POST', `/api/customers/merges/${merged.mergeId}/undo`, { session: admin })).statusCode).toBe(404);
  });

  it('refuses to undo over a later change, and after 30 days', async () => {
    const { a, b } = await twins();
    const first = await ok('POST', '/api/customers/merge', { survivorId: a, mergedId: b, fields: {} });
    t.clock.advance(60_000);
    await ok('PATCH', `/api/customers/${a}`, { city: '上海' });
    const blocked = await call(t, 'POST', `/api/customers/merges/${first.mergeId}/undo`, { session: admin });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('undo_blocked');

    const { a: c, b: d } = await twins(admin, '深圳');
    const second = await ok('POST', '/api/customers/merge', { survivorId: c, mergedId: d, fields: {} });
    t.clock.advance(31 * 86_400_000);
    const later = await signIn(t, owner.email, owner.password);
    expect((await call(t, 'POST', `/api/customers/merges/${second.mergeId}/undo`, { session: later })).json().error.code).toBe('undo_expired');
  });

  it('refuses bad pairs', async () => {
    const { a } = await twins();
    const company = (await ok('POST', '/api/customers', { kind: 'company', name: 'Acme' })).id;
    expect((await call(t, 'POST', '/api/customers/merge', { session: admin, body: { survivorId: a, mergedId: a, fields: {} } })).statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/customers/merge', { session: admin, body: { survivorId: a, mergedId: company, fields: {} } })).json().error.code).toBe('kind_mismatch');
    const { b } = await twins();
    expect((await call(t, 'POST', '/api/customers/merge', { session: admin, body: { survivorId: a, mergedId: b, fields: { shoeSize: 'merged' } } })).statusCode).toBe(400);
  });
});

describe('who may list, dismiss, merge and undo', () => {
  it('lets a sales rep act on their own records only, and nobody without access', async () => {
    const rep = await inviteMember(t, admin, 'sales_rep');
    const mine = await twins(rep);
    const theirs = await twins(admin, '广州');
    const listed = (await ok('GET', '/api/duplicates', undefined, rep)).items.map((p: { customers: { id: string }[] }) => p.customers.map((c) => c.id).sort());
    expect(listed).toEqual([[mine.a, mine.b].sort()]);
    expect((await ok('GET', '/api/duplicates')).items).toHaveLength(2);

    const outOfReach = await call(t, 'POST', '/api/customers/merge', { session: rep, body: { survivorId: theirs.a, mergedId: theirs.b, fields: {} } });
    expect(outOfReach.statusCode).toBe(404);
    const mixed = await call(t, 'POST', '/api/customers/merge', { session: rep, body: { survivorId: mine.a, mergedId: theirs.b, fields: {} } });
    expect(mixed.statusCode).toBe(404);

    const none = await memberWithoutAccess(t, admin, workspaceId);
    expect((await call(t, 'GET', '/api/duplicates', { session: none })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/customers/merge', { session: none, body: { survivorId: mine.a, mergedId: mine.b, fields: {} } })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/duplicates/scan', { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/duplicates')).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/customers/merges')).statusCode).toBe(401);

    const analyst = await inviteMember(t, admin, 'read_only');
    expect((await call(t, 'POST', '/api/customers/merge', { session: analyst, body: { survivorId: mine.a, mergedId: mine.b, fields: {} } })).statusCode).toBe(403);

    const theirPair = (await ok('GET', '/api/duplicates')).items.find((p: { customers: { id: string }[] }) => p.customers.some((c) => c.id === theirs.a));
    expect((await call(t, 'POST', `/api/duplicates/${theirPair.id}/dismiss`, { session: rep })).statusCode).toBe(404);
    await ok('POST', `/api/duplicates/${theirPair.id}/dismiss`);
    expect((await ok('GET', '/api/duplicates?status=dismissed')).items.map((p: { id: string }) => p.id)).toEqual([theirPair.id]);

    const merge = await ok('POST', '/api/customers/merge', { survivorId: mine.a, mergedId: mine.b, fields: {} }, rep);
    expect((await call(t, 'POST', `/api/customers/merges/${merge.mergeId}/undo`, { session: analyst })).statusCode).toBe(403);
    await ok('POST', `/api/customers/merges/${merge.mergeId}/undo`, undefined, rep);
    expect(await auditActions(t, workspaceId)).toEqual(expect.arrayContaining(['duplicates.listed', 'duplicate.dismissed', 'customer.merged', 'customer.unmerged']));
  });

  it('lets settings managers scan, with progress', async () => {
    await twins();
    await t.db.deleteFrom('duplicate_candidates').execute();
    const started = await call(t, 'POST', '/api/duplicates/scan', { session: admin });
    expect(started.statusCode).toBe(202);
    let progress = started.json();
    for (let i = 0; i < 100 && progress.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      progress = await ok('GET', '/api/duplicates/scan');
    }
    expect(progress).toMatchObject({ status: 'completed', done: 2, total: 2, flagged: 1 });
    expect(await auditActions(t, workspaceId)).toContain('duplicates.scanned');
  });
});
