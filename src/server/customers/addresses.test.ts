import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditService } from '../audit/service.js';
import { addressLine } from '../vault/gateway/addresses.js';
import { call, createTestApp, inviteMember, memberWithoutAccess, TEST_DATABASE_URL, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';


let t: TestApp;
let admin: Session;
let workspaceId: string;
let customerId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin } = await workspaceWithAdmin(t));
  customerId = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '张伟', phone: '13800138000' } })).json().id;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

const beijing = { type: 'home', label: ' 家 ', country: 'cn', region: '北京市', city: '北京市', district: '朝阳区', street: ' 建国路 88 号 ', postalCode: '１０００２２' };
const mountainView = { type: 'work', country: 'United States', region: 'CA', city: 'Mountain View', street: '1600 Amphitheatre Pkwy', postalCode: '94043' };

const addressesPath = (id = customerId) => `/api/customers/${id}/addresses`;
const addAddress = (body: Record<string, unknown>, session = admin, id = customerId) => call(t, 'POST', addressesPath(id), { session, body });
const listAddresses = async () => (await call(t, 'GET', addressesPath(), { session: admin })).json().items as { id: string; street: string; primary: boolean }[];
const addressField = async () => (await call(t, 'GET', `/api/customers/${customerId}`, { session: admin })).json().address as string | undefined;

describe('addresses', () => {
  it('standardizes an address on the way in; the first one is primary and the customer’s address field shows it on one line', async () => {
    const created = await addAddress(beijing);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      type: 'home',
      label: '家',
      country: 'CN',
      region: '北京市',
      city: '北京市',
      district: '朝阳区',
      street: '建国路 88 号',
      postalCode: '100022',
      primary: true,
      createdAt: '2026-11-29T09:00:00.000Z',
    });
    expect(await addressField()).toBe('北京市朝阳区建国路 88 号');
    const second = (await addAddress(mountainView)).json();
    expect(second).toMatchObject({ country: 'US', label: null, district: null, primary: false });
    expect(await addressField()).toBe('北京市朝阳区建国路 88 号');
  });

  it('keeps one primary address, which the address field follows through changes and removals', async () => {
    const home = (await addAddress(beijing)).json();
    t.clock.advance(1000);
    const work = (await addAddress(mountainView)).json();
    expect((await listAddresses()).map((a) => [a.id, a.primary])).toEqual([[home.id, true], [work.id, false]]);

    const promoted = await call(t, 'PATCH', `${addressesPath()}/${work.id}`, { session: admin, body: { primary: true } });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().primary).toBe(true);
    expect((await listAddresses()).map((a) => [a.id, a.primary])).toEqual([[work.id, true], [home.id, false]]);
    expect(await addressField()).toBe('1600 Amphitheatre Pkwy, Mountain View, CA, 94043, United States');

    // Editing another address leaves the field alone; editing the primary one updates it.
    await call(t, 'PATCH', `${addressesPath()}/${home.id}`, { session: admin, body: { street: '建国路 99 号' } });
    expect(await addressField()).toBe('1600 Amphitheatre Pkwy, Mountain View, CA, 94043, United States');
    const edited = await call(t, 'PATCH', `${addressesPath()}/${work.id}`, { session: admin, body: { region: null, postalCode: 'ca 94043-1351' } });
    expect(edited.json()).toMatchObject({ region: null, postalCode: 'CA 94043-1351', street: '1600 Amphitheatre Pkwy' });
    expect(await addressField()).toBe('1600 Amphitheatre Pkwy, Mountain View, CA 94043-1351, United States');

    const unmark = await call(t, 'PATCH', `${addressesPath()}/${work.id}`, { session: admin, body: { primary: false } });
    expect(unmark.statusCode).toBe(400);
    expect(unmark.json().error).toMatchObject({ code: 'primary_required', field: 'primary' });

    // A new address marked primary takes the mark from the others.
    const shipping = (await addAddress({ type: 'shipping', country: 'CN', region: '上海市', district: '浦东新区', street: '世纪大道 1 号', primary: true })).json();
    expect((await listAddresses()).filter((a) => a.primary).map((a) => a.id)).toEqual([shipping.id]);
    expect(await addressField()).toBe('上海市浦东新区世纪大道 1 号');

    // Removing the primary one hands the mark to the oldest left; removing the last clears the field.
    expect((await call(t, 'DELETE', `${addressesPath()}/${shipping.id}`, { session: admin })).statusCode).toBe(204);
    expect((await listAddresses()).map((a) => [a.id, a.primary])).toEqual([[home.id, true], [work.id, false]]);
    expect(await addressField()).toBe('北京市朝阳区建国路 99 号');
    await call(t, 'DELETE', `${addressesPath()}/${work.id}`, { session: admin });
    expect(await addressField()).toBe('北京市朝阳区建国路 99 号');
    await call(t, 'DELETE', `${addressesPath()}/${home.id}`, { session: admin });
    expect(await listAddresses()).toEqual([]);
    expect(await addressField()).toBeUndefined();
    expect((await call(t, 'DELETE', `${addressesPath()}/${home.id}`, { session: admin })).statusCode).toBe(404);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...beijing, country: 'XX' }, 'country'],
      [{ ...beijing, country: 'Atlantis' }, 'country'],
      [{ ...beijing, street: 'x'.repeat(301) }, 'street'],
      [{ ...beijing, street: '   ' }, 'street'],
      [{ ...beijing, label: 'x'.repeat(41) }, 'label'],
      [{ ...beijing, postalCode: '100#22' }, 'postalCode'],
      [{ ...beijing, type: 'holiday' }, 'type'],
      [{ ...beijing, floor: 3 }, 'floor'],
      [{ type: 'home', street: '建国路' }, 'country'],
    ];
    for (const [body, field] of cases) {
      const response = await addAddress(body);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field, JSON.stringify(body).slice(0, 60)).toBe(field);
    }
    expect(await t.db.selectFrom('customer_addresses').select('id').execute()).toEqual([]);

    const { id } = (await addAddress(beijing)).json();
    for (const [body, field] of [[{ country: 'ZZ' }, 'country'], [{ street: '' }, 'street'], [{ city: 'x'.repeat(101) }, 'city'], [{ owner: 'me' }, 'owner']] as const) {
      const response = await call(t, 'PATCH', `${addressesPath()}/${id}`, { session: admin, body });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
    expect((await listAddresses())[0]).toMatchObject({ street: '建国路 88 号' });
  });

  it('records each change in the same transaction as the change, and who read the addresses', async () => {
    const { id } = (await addAddress(beijing)).json();
    await call(t, 'PATCH', `${addressesPath()}/${id}`, { session: admin, body: { street: '建国路 99 号', city: null } });
    await listAddresses();
    await call(t, 'DELETE', `${addressesPath()}/${id}`, { session: admin });
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'object_id', 'metadata'])
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('action', 'like', 'address.%'), eb('action', '=', 'customer.activity_viewed')]))
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, JSON.parse(e.metadata)])).toEqual([
      ['address.added', { customerId, type: 'home', primary: true }],
      ['address.updated', { customerId, fields: ['street', 'city'], primary: true }],
      ['customer.activity_viewed', { what: 'addresses', count: 1 }],
      ['address.removed', { customerId, primary: true }],
    ]);
    expect(events.map((e) => e.metadata).join(' ')).not.toMatch(/建国路|朝阳/);

    // When the audit event cannot be written, neither is the address nor the address field.
    const record = t.services.audit.record.bind(t.services.audit);
    vi.spyOn(t.services.audit, 'record').mockImplementation(((actor, event, executor) => {
      if (event.action === 'address.added') throw new Error('audit store unavailable');
      return record(actor, event, executor);
    }) as AuditService['record']);
    expect((await addAddress(beijing)).statusCode).toBe(500);
    expect(await t.db.selectFrom('customer_addresses').select('id').execute()).toEqual([]);
    expect(await addressField()).toBeUndefined();
  });

  it('is closed to roles without access, to strangers, and to other workspaces', async () => {
    const { id } = (await addAddress(beijing)).json();
    const rep = await memberWithoutAccess(t, admin, workspaceId);
    expect((await call(t, 'GET', addressesPath(), { session: rep })).statusCode).toBe(403);
    expect((await addAddress(mountainView, rep)).statusCode).toBe(403);
    expect((await call(t, 'PATCH', `${addressesPath()}/${id}`, { session: rep, body: { primary: true } })).statusCode).toBe(403);
    expect((await call(t, 'DELETE', `${addressesPath()}/${id}`, { session: rep })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: addressesPath() })).statusCode).toBe(401);

    const { admin: otherAdmin } = await workspaceWithAdmin(t);
    expect((await call(t, 'GET', addressesPath(), { session: otherAdmin })).statusCode).toBe(404);
    expect((await addAddress(mountainView, otherAdmin)).statusCode).toBe(404);
    expect((await call(t, 'PATCH', `${addressesPath()}/${id}`, { session: otherAdmin, body: { street: 'x' } })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `${addressesPath()}/${id}`, { session: otherAdmin })).statusCode).toBe(404);
    // Another customer of the same workspace does not reach this customer's address either.
    const otherCustomer = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '李娜' } })).json().id;
    expect((await call(t, 'DELETE', `${addressesPath(otherCustomer)}/${id}`, { session: admin })).statusCode).toBe(404);
    expect(await listAddresses()).toHaveLength(1);
  });

  it('masks everything but the type and country for a viewer without clearance for personal data', async () => {
    await addAddress(beijing);
    // An auditor reads every customer, personal values masked (the default roles of issue #4).
    const auditor = await inviteMember(t, admin, 'auditor');
    const seen = (await call(t, 'GET', addressesPath(), { session: auditor })).json().items;
    expect(seen).toEqual([
      expect.objectContaining({ type: 'home', country: 'CN', label: '***', region: '***', city: '***', district: '***', street: '***', postalCode: '***', primary: true }),
    ]);
    expect((await call(t, 'POST', addressesPath(), { session: auditor, body: beijing })).statusCode).toBe(403);
  });

  it('keeps a company’s addresses without an address field to follow', async () => {
    const company = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'company', name: 'Northwind Ltd' } })).json().id;
    expect((await addAddress(mountainView, admin, company)).json()).toMatchObject({ primary: true, country: 'US' });
    expect((await call(t, 'GET', `/api/customers/${company}`, { session: admin })).json()).not.toHaveProperty('address');
  });

  it('goes with the customer when they are erased', async () => {
    await addAddress(beijing);
    expect((await call(t, 'POST', `/api/customers/${customerId}/erase`, { session: admin, body: { reason: 'PIPL request #88' } })).statusCode).toBe(204);
    expect(await t.db.selectFrom('customer_addresses').select('id').where('workspace_id', '=', workspaceId).execute()).toEqual([]);
  });
});

describe('an address on one line', () => {
  it('writes Chinese addresses province first without separators, others street first', () => {
    const parts = { label: null, region: '广东省', city: '深圳市', district: '南山区', street: '科技园路 1 号', postalCode: '518057' };
    expect(addressLine('CN', parts)).toBe('广东省深圳市南山区科技园路 1 号');
    expect(addressLine('GB', { label: 'Office', region: null, city: 'London', district: 'Westminster', street: '10 Downing Street', postalCode: 'SW1A 2AA' })).toBe(
      '10 Downing Street, Westminster, London, SW1A 2AA, United Kingdom',
    );
  });
});

describe('nothing personal at rest in clear', () => {
  it('keeps canary streets out of the database files', async () => {
    const { id } = (await addAddress({ type: 'home', country: 'GB', city: 'Canarytown', street: 'Canary Lane 7F3A', label: 'Canary Label' })).json();
    await addAddress({ type: 'work', country: 'CN', region: '金丝雀省', street: '金丝雀路 7 号' });
    await call(t, 'PATCH', `${addressesPath()}/${id}`, { session: admin, body: { street: 'Canary Lane 7F3B' } });
    await listAddresses();
    await call(t, 'GET', `/api/customers/${customerId}`, { session: admin });
    const needles = ['Canary Lane', 'Canarytown', 'Canary Label', '金丝雀'];
    let haystack: string;
    if (TEST_DATABASE_URL) {
      const rows = await Promise.all(['customer_addresses', 'customers', 'customer_lookup', 'audit_events'].map((table) => t.db.selectFrom(table as 'customers').selectAll().execute()));
      haystack = JSON.stringify(rows, (_k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
    } else {
      const file = t.config.sqlitePath;
      haystack = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1') + fs.readFileSync(f).toString('utf8')).join('');
      expect(haystack.length).toBeGreaterThan(10_000);
    }
    for (const needle of needles) expect(haystack.includes(needle), needle).toBe(false);
  });
});
