import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fieldsFor } from '../vault/built-in-fields.js';
import { PREFERENCE_CHANNELS, PREFERENCE_LANGUAGES } from '../vault/gateway.js';
import { call, createTestApp, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
let customerId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin } = await workspaceWithAdmin(t));
  customerId = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '王芳', phone: '13700001111' } })).json().id;
});
afterEach(async () => {
  await t.close();
});

const path = (id = customerId) => `/api/customers/${id}/preferences`;
const wanted = { channels: ['wechat', 'email'], language: 'zh-CN', topics: [' 绿茶 ', 'Tea ware', 'tea ware'], doNotContact: false };

describe('contact preferences', () => {
  it('reads as no preference at first, then keeps what was set in the customer’s fields', async () => {
    expect((await call(t, 'GET', path(), { session: admin })).json()).toEqual({ channels: [], language: null, topics: [], doNotContact: false });
    const saved = await call(t, 'PUT', path(), { session: admin, body: wanted });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ channels: ['wechat', 'email'], language: 'zh-CN', topics: ['绿茶', 'Tea ware'], doNotContact: false });
    expect((await call(t, 'GET', path(), { session: admin })).json()).toEqual(saved.json());
    const record = (await call(t, 'GET', `/api/customers/${customerId}`, { session: admin })).json();
    expect(record).toMatchObject({ preferredChannels: ['wechat', 'email'], preferredLanguage: 'zh-CN', topics: ['绿茶', 'Tea ware'], doNotContact: false });

    // The whole object is replaced: empty lists and no language clear the fields.
    const cleared = await call(t, 'PUT', path(), { session: admin, body: { channels: [], language: null, topics: [], doNotContact: true } });
    expect(cleared.json()).toEqual({ channels: [], language: null, topics: [], doNotContact: true });
    const row = await t.db.selectFrom('customers').select('plain_values').where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.plain_values)).toEqual({ doNotContact: true });
  });

  it('writes through the same path as a PATCH: audited with the fields touched, reads audited with what was shown', async () => {
    await call(t, 'PUT', path(), { session: admin, body: wanted });
    await call(t, 'GET', path(), { session: admin });
    const events = await t.db.selectFrom('audit_events').select(['action', 'metadata', 'object_id']).where('workspace_id', '=', workspaceId).where('action', 'in', ['customer.updated', 'customer.viewed']).orderBy('id').execute();
    expect(events.map((e) => [e.action, e.object_id, JSON.parse(e.metadata)])).toEqual([
      ['customer.updated', customerId, { fields: ['preferredChannels', 'preferredLanguage', 'topics', 'doNotContact'] }],
      ['customer.viewed', customerId, { fields: { preferredChannels: 'clear', preferredLanguage: 'clear', topics: 'clear', doNotContact: 'clear' } }],
    ]);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...wanted, channels: ['pigeon'] }, 'channels.0'],
      [{ ...wanted, channels: ['email', 'email'] }, 'channels'],
      [{ ...wanted, language: 'fr' }, 'language'],
      [{ ...wanted, topics: ['x'.repeat(41)] }, 'topics.0'],
      [{ ...wanted, topics: Array.from({ length: 31 }, (_, i) => `t${i}`) }, 'topics'],
      [{ ...wanted, topics: ['  '] }, 'topics'],
      [{ ...wanted, vip: true }, 'vip'],
      [{ channels: [], language: null, topics: [] }, 'doNotContact'],
    ];
    for (const [body, field] of cases) {
      const response = await call(t, 'PUT', path(), { session: admin, body });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
    expect((await call(t, 'GET', path(), { session: admin })).json()).toEqual({ channels: [], language: null, topics: [], doNotContact: false });
  });

  it('is closed to roles without access, to strangers, and to other workspaces', async () => {
    const rep = await memberWithoutAccess(t, admin, workspaceId);
    expect((await call(t, 'GET', path(), { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'PUT', path(), { session: rep, body: wanted })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: path() })).statusCode).toBe(401);

    const { admin: otherAdmin } = await workspaceWithAdmin(t);
    expect((await call(t, 'GET', path(), { session: otherAdmin })).statusCode).toBe(404);
    expect((await call(t, 'PUT', path(), { session: otherAdmin, body: wanted })).statusCode).toBe(404);
  });

  it('offers the choices the customer fields accept, and a topics field for both kinds', async () => {
    for (const kind of ['person', 'company'] as const) {
      const field = (key: string) => fieldsFor(kind).find((f) => f.key === key);
      expect(field('preferredChannels')?.options).toEqual([...PREFERENCE_CHANNELS]);
      expect(field('preferredLanguage')?.options).toEqual([...PREFERENCE_LANGUAGES]);
      expect(field('topics')).toMatchObject({ type: 'tags', sensitivity: 'internal', labels: { en: 'Topics', 'zh-CN': '感兴趣的话题' }, purposes: ['marketing'] });
    }
    const company = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'company', name: 'Northwind Ltd' } })).json().id;
    expect((await call(t, 'PUT', path(company), { session: admin, body: wanted })).json().topics).toEqual(['绿茶', 'Tea ware']);
  });
});
