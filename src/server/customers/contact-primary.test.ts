import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditService } from '../audit/service.js';
import { call, createTestApp, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
let customerId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin } = await workspaceWithAdmin(t));
  customerId = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '张伟', email: 'Zhang.Wei@Example.com', phone: '138 0013 8000' } })).json().id;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

interface ContactPoint {
  id: string;
  type: string;
  channel: string | null;
  label: string | null;
  value: string;
  primary: boolean;
}

const addContactPoint = async (body: Record<string, unknown>, id = customerId) => (await call(t, 'POST', `/api/customers/${id}/contact-points`, { session: admin, body })).json() as ContactPoint;
const makePrimary = (contactPointId: string, session = admin, id = customerId) => call(t, 'POST', `/api/customers/${id}/contact-points/${contactPointId}/primary`, { session });
const customer = async () => (await call(t, 'GET', `/api/customers/${customerId}`, { session: admin })).json();
const lookup = async (key: string, value: string) =>
  (await call(t, 'GET', `/api/customers?${key}=${encodeURIComponent(value)}`, { session: admin })).json().items.map((c: { id: string }) => c.id) as string[];
const lookupRows = async (field: string) => (await t.db.selectFrom('customer_lookup').select('token').where('customer_id', '=', customerId).where('field', '=', field).execute()).length;

describe('making a contact point primary', () => {
  it('swaps an email with the primary one; both stay findable, each under its own index', async () => {
    const work = await addContactPoint({ type: 'email', label: 'work', value: 'Wei.Zhang@Corp.Example' });
    const swapped = await makePrimary(work.id);
    expect(swapped.statusCode).toBe(200);
    // The same entry now holds the old primary, without the label that named the other address.
    expect(swapped.json().items).toEqual([{ id: work.id, type: 'email', channel: null, label: null, value: 'Zhang.Wei@Example.com', primary: false }]);
    expect(await customer()).toMatchObject({ email: 'Wei.Zhang@Corp.Example', phone: '+8613800138000' });

    expect(await lookup('email', 'wei.zhang@corp.example')).toEqual([customerId]);
    expect(await lookup('email', 'zhang.wei@example.com')).toEqual([customerId]);
    expect(await lookupRows('person.email')).toBe(1);
    expect(await lookupRows('contact.email')).toBe(1);

    // Swapping back restores the start, and removing the contact point forgets only its value.
    await makePrimary(work.id);
    expect((await customer()).email).toBe('Zhang.Wei@Example.com');
    await call(t, 'DELETE', `/api/customers/${customerId}/contact-points/${work.id}`, { session: admin });
    expect(await lookup('email', 'wei.zhang@corp.example')).toEqual([]);
    expect(await lookup('email', 'zhang.wei@example.com')).toEqual([customerId]);
  });

  it('swaps a phone, and promotes a value when the customer had no primary one', async () => {
    const mobile = await addContactPoint({ type: 'phone', value: '186 0000 2222' });
    const items = (await makePrimary(mobile.id)).json().items as ContactPoint[];
    expect(items).toEqual([expect.objectContaining({ id: mobile.id, type: 'phone', value: '+8613800138000' })]);
    expect((await customer()).phone).toBe('+8618600002222');
    expect(await lookup('phone', '18600002222')).toEqual([customerId]);
    expect(await lookup('phone', '13800138000')).toEqual([customerId]);

    await call(t, 'PATCH', `/api/customers/${customerId}`, { session: admin, body: { email: null } });
    const other = await addContactPoint({ type: 'email', value: 'only@example.org' });
    expect((await makePrimary(other.id)).json().items.filter((cp: ContactPoint) => cp.type === 'email')).toEqual([]);
    expect((await customer()).email).toBe('only@example.org');
    expect(await lookup('email', 'only@example.org')).toEqual([customerId]);
    expect(await lookupRows('contact.email')).toBe(0);
  });

  it('makes a messaging handle the primary one of its app only', async () => {
    const first = await addContactPoint({ type: 'im', channel: 'wechat', value: 'zhangwei_1' });
    const second = await addContactPoint({ type: 'im', channel: 'wechat', value: 'zhangwei_2' });
    const whatsapp = await addContactPoint({ type: 'im', channel: 'whatsapp', value: '+8613800138000' });
    expect([first.primary, second.primary, whatsapp.primary]).toEqual([true, false, true]);
    const items = (await makePrimary(second.id)).json().items as ContactPoint[];
    expect(items.map((cp) => [cp.id, cp.primary])).toEqual([
      [first.id, false],
      [second.id, true],
      [whatsapp.id, true],
    ]);
  });

  it('records the change in the same transaction, and writes nothing when it cannot be recorded', async () => {
    const work = await addContactPoint({ type: 'email', label: 'work', value: 'wei.zhang@corp.example' });
    await makePrimary(work.id);
    const event = await t.db.selectFrom('audit_events').select(['metadata', 'object_id']).where('workspace_id', '=', workspaceId).where('action', '=', 'contact_point.made_primary').executeTakeFirstOrThrow();
    expect([event.object_id, JSON.parse(event.metadata)]).toEqual([work.id, { customerId, type: 'email' }]);

    const record = t.services.audit.record.bind(t.services.audit);
    vi.spyOn(t.services.audit, 'record').mockImplementation(((actor, auditEvent, executor) => {
      if (auditEvent.action === 'contact_point.made_primary') throw new Error('audit store unavailable');
      return record(actor, auditEvent, executor);
    }) as AuditService['record']);
    expect((await makePrimary(work.id)).statusCode).toBe(500);
    vi.restoreAllMocks();
    expect((await customer()).email).toBe('wei.zhang@corp.example');
    expect((await call(t, 'GET', `/api/customers/${customerId}/contact-points`, { session: admin })).json().items).toEqual([expect.objectContaining({ id: work.id, value: 'Zhang.Wei@Example.com' })]);
    expect(await lookup('email', 'zhang.wei@example.com')).toEqual([customerId]);
  });

  it('refuses unknown contact points, a company’s email, other roles, strangers and other workspaces', async () => {
    const work = await addContactPoint({ type: 'email', value: 'wei.zhang@corp.example' });
    expect((await makePrimary('0190f5a2-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const company = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'company', name: 'Northwind Ltd' } })).json().id;
    const companyEmail = await addContactPoint({ type: 'email', value: 'sales@northwind.example' }, company);
    expect((await makePrimary(companyEmail.id, admin, company)).json().error.code).toBe('no_primary_field');
    // A contact point of another customer is not reached through this one.
    expect((await makePrimary(companyEmail.id)).statusCode).toBe(404);

    expect((await makePrimary(work.id, await memberWithoutAccess(t, admin, workspaceId))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/customers/${customerId}/contact-points/${work.id}/primary` })).statusCode).toBe(401);
    expect((await makePrimary(work.id, (await workspaceWithAdmin(t)).admin)).statusCode).toBe(404);
    expect((await customer()).email).toBe('Zhang.Wei@Example.com');
  });
});
