import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { buildWorkspace, call, createTestApp, signIn, STRONG_PASSWORD, TEST_DATABASE_URL, uniqueEmail, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
beforeEach(async () => {
  t = await createTestApp();
  const owner = await buildWorkspace(t);
  admin = await signIn(t, owner.email, owner.password);
});
afterEach(async () => {
  await t.close();
});

const field = (extra: Record<string, unknown> = {}) => ({
  kind: 'person',
  key: 'membershipTier',
  type: 'select',
  labels: { en: 'Membership tier', 'zh-CN': '会员等级' },
  sensitivity: 'internal',
  options: ['silver', 'gold'],
  ...extra,
});

describe('custom fields, without a migration or a restart', () => {
  it('adds fields an admin defines, validates their values, stores them by class and finds them by exact lookup', async () => {
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() })).statusCode).toBe(201);
    const card = await call(t, 'POST', '/api/admin/fields', {
      session: admin,
      body: { kind: 'person', key: 'bankCard', type: 'bank_card', labels: { en: 'Bank card', 'zh-CN': '银行卡号' }, sensitivity: 'sensitive', lookup: 'exact' },
    });
    expect(card.statusCode).toBe(201);
    const registry = (await call(t, 'GET', '/api/customers/fields', { session: admin })).json().items;
    expect(registry.map((f: { key: string }) => f.key)).toEqual(expect.arrayContaining(['membershipTier', 'bankCard', 'name']));

    const created = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '赵敏', membershipTier: 'gold', bankCard: '6222 0212 3456 7890 128' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ membershipTier: 'gold', bankCard: '**** **** **** 0128' });
    const bad = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'X', bankCard: '6222 0212 3456 7890 127' } });
    expect(bad.json().error).toMatchObject({ field: 'bankCard' });
    expect((await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'X', membershipTier: 'platinum' } })).json().error.field).toBe('membershipTier');

    if (!TEST_DATABASE_URL) {
      const file = fs.readFileSync(t.config.sqlitePath).toString('latin1') + (fs.existsSync(`${t.config.sqlitePath}-wal`) ? fs.readFileSync(`${t.config.sqlitePath}-wal`).toString('latin1') : '');
      expect(file).not.toContain('6222021234567890128');
    }
  });

  it('refuses bad definitions and keeps type and class fixed', async () => {
    await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() });
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() })).statusCode).toBe(409);
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field({ key: 'email' }) })).statusCode).toBe(409);
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field({ key: 'Bad Key' }) })).json().error.field).toBe('key');
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field({ key: 'noOptions', options: undefined }) })).json().error.field).toBe('options');
    const change = await call(t, 'PATCH', '/api/admin/fields/person/membershipTier', { session: admin, body: { sensitivity: 'public' } });
    expect(change.statusCode).toBe(400);
    expect(change.json().error.field).toBe('sensitivity');
    expect((await call(t, 'PATCH', '/api/admin/fields/person/membershipTier', { session: admin, body: { options: ['gold'] } })).json().error.code).toBe('option_in_use');
    expect((await call(t, 'PATCH', '/api/admin/fields/person/name', { session: admin, body: { required: false } })).json().error.code).toBe('built_in_field');
  });

  it('archives a field: gone from forms and records, refused on write, values kept', async () => {
    await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() });
    const { id } = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'Li', membershipTier: 'silver' } })).json();
    const archived = await call(t, 'PATCH', '/api/admin/fields/person/membershipTier', { session: admin, body: { archived: true, options: ['silver', 'gold', 'platinum'] } });
    expect(archived.json()).toMatchObject({ archived: true, options: ['silver', 'gold', 'platinum'] });
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: admin })).json()).not.toHaveProperty('membershipTier');
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { membershipTier: 'gold' } })).json().error.code).toBe('unknown_field');
    await call(t, 'PATCH', '/api/admin/fields/person/membershipTier', { session: admin, body: { archived: false } });
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: admin })).json().membershipTier).toBe('silver');
  });

  it('is for admins only, and recorded', async () => {
    const email = uniqueEmail('mgr');
    const invite = (await call(t, 'POST', '/api/admin/invitations', { session: admin, body: { email, role: 'sales_manager' } })).json();
    await call(t, 'POST', '/api/invitations/accept', { body: { token: new URL(invite.inviteUrl).hash.slice(7), displayName: 'M', password: STRONG_PASSWORD } });
    const manager = await signIn(t, email, STRONG_PASSWORD);
    expect((await call(t, 'POST', '/api/admin/fields', { session: manager, body: field() })).statusCode).toBe(403);
    await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() });
    const actions = (await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'field.%').execute()).map((e) => e.action);
    expect(actions).toEqual(['field.created']);
  });
});
