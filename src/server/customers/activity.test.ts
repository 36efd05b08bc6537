import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
let customerId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ admin, workspaceId } = await workspaceWithAdmin(t));
  customerId = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '王芳', phone: '13700001111' } })).json().id;
});
afterEach(async () => {
  await t.close();
});

const order = (extra: Record<string, unknown> = {}) => ({
  externalId: 'SO-1001',
  occurredAt: '2026-11-20T10:00:00+08:00',
  amountMinor: 12_999,
  currency: 'CNY',
  channel: 'tmall',
  status: 'paid',
  lineItems: [{ sku: 'TEA-01', name: '龙井茶', quantity: 1, unitAmountMinor: 12_999 }],
  ...extra,
});

describe('transactions', () => {
  it('records orders in integer minor units and totals them per currency, leaving out refunds', async () => {
    const created = await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order() });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ externalId: 'SO-1001', amountMinor: 12_999, currency: 'CNY', occurredAt: '2026-11-20T02:00:00.000Z' });
    await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order({ externalId: 'SO-1002', amountMinor: 1_001 }) });
    await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order({ externalId: 'SO-1003', amountMinor: 5_000, status: 'refunded' }) });
    await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order({ externalId: 'US-1', amountMinor: 2_500, currency: 'USD' }) });
    const list = (await call(t, 'GET', `/api/customers/${customerId}/transactions`, { session: admin })).json();
    expect(list.items).toHaveLength(4);
    expect(list.totals).toEqual([
      { currency: 'CNY', amountMinor: 14_000, count: 2 },
      { currency: 'USD', amountMinor: 2_500, count: 1 },
    ]);
  });

  it('refuses a re-sent order, fractional amounts and unknown currencies', async () => {
    await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order() });
    const again = await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('externalId');
    expect((await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order({ externalId: 'x', amountMinor: 12.5 }) })).json().error.field).toBe('amountMinor');
    expect((await call(t, 'POST', `/api/customers/${customerId}/transactions`, { session: admin, body: order({ externalId: 'y', currency: 'yuan' }) })).json().error.field).toBe('currency');
  });
});

describe('behaviour events', () => {
  it('ingests a batch of up to 1,000, refusing events for unknown customers one by one, and pages the timeline newest first', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      customerId,
      type: i % 2 ? 'page.view' : 'cart.add',
      occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
      properties: { path: `/products/${i}`, 'utm_source': 'wechat' },
    }));
    events[10] = { ...events[10]!, customerId: '0190f5a2-0000-7000-8000-000000000000' };
    const result = await call(t, 'POST', '/api/events', { session: admin, body: { events } });
    expect(result.statusCode).toBe(200);
    expect(result.json()).toEqual({ accepted: 999, rejected: [{ index: 10, code: 'customer_not_found', field: 'customerId' }] });

    const first = (await call(t, 'GET', `/api/customers/${customerId}/events?limit=100`, { session: admin })).json();
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toMatchObject({ type: 'page.view', properties: { path: '/products/999' } });
    let seen = first.items.length;
    let cursor = first.nextCursor;
    while (cursor) {
      const page = (await call(t, 'GET', `/api/customers/${customerId}/events?limit=200&cursor=${cursor}`, { session: admin })).json();
      seen += page.items.length;
      cursor = page.nextCursor;
    }
    expect(seen).toBe(999);
    expect((await call(t, 'POST', '/api/events', { session: admin, body: { events: [...events, events[0]] } })).statusCode).toBe(400);
  });

  it('is closed to roles without access and to other workspaces', async () => {
    const rep = await memberWithoutAccess(t, admin, workspaceId);
    expect((await call(t, 'GET', `/api/customers/${customerId}/events`, { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/events', { session: rep, body: { events: [{ customerId, type: 'x', occurredAt: '2026-11-01T00:00:00Z' }] } })).statusCode).toBe(403);

    const { admin: otherAdmin } = await workspaceWithAdmin(t);
    expect((await call(t, 'GET', `/api/customers/${customerId}/transactions`, { session: otherAdmin })).statusCode).toBe(404);
    const foreign = await call(t, 'POST', '/api/events', { session: otherAdmin, body: { events: [{ customerId, type: 'page.view', occurredAt: '2026-11-01T00:00:00Z' }] } });
    expect(foreign.json()).toEqual({ accepted: 0, rejected: [{ index: 0, code: 'customer_not_found', field: 'customerId' }] });
  });
});

describe('notes', () => {
  it('keeps notes encrypted at rest, lists them newest first, and deletes them', async () => {
    const first = await call(t, 'POST', `/api/customers/${customerId}/notes`, { session: admin, body: { body: '客户希望周五下午回电，手机尾号1111' } });
    expect(first.statusCode).toBe(201);
    t.clock.advance(1000);
    await call(t, 'POST', `/api/customers/${customerId}/notes`, { session: admin, body: { body: 'Sent the contract draft.' } });
    const list = (await call(t, 'GET', `/api/customers/${customerId}/notes`, { session: admin })).json().items;
    expect(list.map((n: { body: string }) => n.body)).toEqual(['Sent the contract draft.', '客户希望周五下午回电，手机尾号1111']);
    const stored = await t.db.selectFrom('customer_notes').select('body').execute();
    for (const row of stored) expect(Buffer.from(row.body).toString('utf8')).not.toMatch(/contract|客户/);
    expect((await call(t, 'DELETE', `/api/customers/${customerId}/notes/${first.json().id}`, { session: admin })).statusCode).toBe(204);
    expect((await call(t, 'GET', `/api/customers/${customerId}/notes`, { session: admin })).json().items).toHaveLength(1);
    expect((await call(t, 'DELETE', `/api/customers/${customerId}/notes/${first.json().id}`, { session: admin })).statusCode).toBe(404);
    const actions = (await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'note.%').orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['note.created', 'note.created', 'note.deleted']);
  });
});

describe('contact points', () => {
  it('keeps further emails, phones and handles encrypted, finds the customer by any of them, and forgets removed ones', async () => {
    const work = await call(t, 'POST', `/api/customers/${customerId}/contact-points`, { session: admin, body: { type: 'email', label: 'work', value: ' Wang.Fang@Corp.Example ' } });
    expect(work.statusCode).toBe(201);
    expect(work.json()).toMatchObject({ type: 'email', label: 'work', value: 'Wang.Fang@Corp.Example', primary: false });
    const mobile = (await call(t, 'POST', `/api/customers/${customerId}/contact-points`, { session: admin, body: { type: 'phone', value: '+86 186 0000 2222' } })).json();
    const wechat = (await call(t, 'POST', `/api/customers/${customerId}/contact-points`, { session: admin, body: { type: 'im', channel: 'wechat', value: 'wangfang_88' } })).json();
    expect(wechat.primary).toBe(true);
    expect((await call(t, 'POST', `/api/customers/${customerId}/contact-points`, { session: admin, body: { type: 'im', value: 'x' } })).json().error.field).toBe('channel');
    expect((await call(t, 'POST', `/api/customers/${customerId}/contact-points`, { session: admin, body: { type: 'phone', value: '123' } })).statusCode).toBe(400);

    const list = (await call(t, 'GET', `/api/customers/${customerId}/contact-points`, { session: admin })).json().items;
    expect(list.map((cp: { value: string }) => cp.value)).toEqual(['Wang.Fang@Corp.Example', '+8618600002222', 'wangfang_88']);
    expect((await call(t, 'GET', '/api/customers?email=wang.fang@corp.example', { session: admin })).json().items.map((c: { id: string }) => c.id)).toEqual([customerId]);
    expect((await call(t, 'GET', '/api/customers?phone=18600002222', { session: admin })).json().items.map((c: { id: string }) => c.id)).toEqual([customerId]);

    const stored = await t.db.selectFrom('customer_contact_points').select('value').execute();
    for (const row of stored) expect(Buffer.from(row.value).toString('latin1')).not.toMatch(/wang|18600002222/i);

    expect((await call(t, 'DELETE', `/api/customers/${customerId}/contact-points/${mobile.id}`, { session: admin })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/customers?phone=18600002222', { session: admin })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/customers?phone=13700001111', { session: admin })).json().items).toHaveLength(1);
    const actions = (await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'contact_point.%').orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['contact_point.added', 'contact_point.added', 'contact_point.added', 'contact_point.removed']);
  });
});
