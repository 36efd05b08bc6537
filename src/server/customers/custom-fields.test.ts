import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { buildWorkspace, call, createTestApp, inviteMember, signIn, TEST_DATABASE_URL, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let owner: Awaited<ReturnType<typeof buildWorkspace>>;
beforeEach(async () => {
  t = await createTestApp();
  ({ owner, admin } = await workspaceWithAdmin(t));
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
    const manager = await inviteMember(t, admin, 'sales_manager');
    expect((await call(t, 'POST', '/api/admin/fields', { session: manager, body: field() })).statusCode).toBe(403);
    await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() });
    const actions = (await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'field.%').orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(['field.created']);
  });
});

describe('changing a field’s class: the audited re-encryption step', () => {
  const reclassify = (key: string, sensitivity: string, reason = 'The DPO classed it personal', session = admin) =>
    call(t, 'POST', `/api/admin/fields/person/${key}/reclassify`, { session, body: { sensitivity, reason } });
  const stored = async (id: string) => t.db.selectFrom('customers').select(['plain_values', 'personal_values', 'sensitive_values']).where('id', '=', id).executeTakeFirstOrThrow();

  it('moves every stored value into the customer’s sealed values and back, in one recorded step', async () => {
    const note = { kind: 'person', key: 'giftPreference', type: 'text', labels: { en: 'Gift preference', 'zh-CN': '礼品偏好' }, sensitivity: 'internal' };
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: note })).statusCode).toBe(201);
    const withValue = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '赵敏', giftPreference: 'Oolong tea canary' } })).json();
    const without = (await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'Li Na' } })).json();
    expect((await stored(withValue.id)).plain_values).toContain('Oolong tea canary');

    t.clock.advance(60_000);
    const raised = await reclassify('giftPreference', 'personal');
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ moved: 1, field: { key: 'giftPreference', sensitivity: 'personal' } });
    expect((await stored(withValue.id)).plain_values).not.toContain('Oolong');
    const afterRaise = (await call(t, 'GET', `/api/customers/${withValue.id}`, { session: admin })).json();
    expect(afterRaise.giftPreference).toBe('Oolong tea canary');
    // Moving a value between storage classes is not a change to the customer: their last-change time stays.
    expect(afterRaise.updatedAt).toBe(withValue.updatedAt);
    expect((await call(t, 'GET', `/api/customers/${without.id}`, { session: admin })).json().giftPreference).toBeUndefined();
    // Encrypted now: it can no longer filter the list.
    expect((await call(t, 'GET', '/api/customers?filter=giftPreference:notEmpty', { session: admin })).json().error.code).toBe('field_not_filterable');

    expect((await reclassify('giftPreference', 'sensitive')).json().moved).toBe(1);
    expect((await call(t, 'GET', `/api/customers/${withValue.id}`, { session: admin })).json().giftPreference).not.toContain('Oolong');
    const revealed = await call(t, 'POST', `/api/customers/${withValue.id}/reveal`, { session: admin, body: { fields: ['giftPreference'], reason: 'Buying the gift' } });
    expect(revealed.json()).toEqual({ giftPreference: 'Oolong tea canary' });

    expect((await reclassify('giftPreference', 'internal', 'Not personal after all')).json().moved).toBe(1);
    expect((await stored(withValue.id)).plain_values).toContain('Oolong tea canary');
    expect((await stored(withValue.id)).sensitive_values).toBeNull();

    const events = await t.db.selectFrom('audit_events').select(['metadata']).where('action', '=', 'field.reclassified').orderBy('id').execute();
    expect(events.map((e) => JSON.parse(e.metadata))).toEqual([
      { kind: 'person', key: 'giftPreference', from: 'internal', to: 'personal', reason: 'The DPO classed it personal', customers: 1 },
      { kind: 'person', key: 'giftPreference', from: 'personal', to: 'sensitive', reason: 'The DPO classed it personal', customers: 1 },
      { kind: 'person', key: 'giftPreference', from: 'sensitive', to: 'internal', reason: 'Not personal after all', customers: 1 },
    ]);
  });

  it('refuses built-in fields, the same class, a missing reason and anyone but an admin', async () => {
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field() })).statusCode).toBe(201);
    expect((await reclassify('email', 'internal')).statusCode).toBe(409);
    expect((await reclassify('membershipTier', 'internal')).json().error.code).toBe('same_class');
    expect((await reclassify('membershipTier', 'personal', 'no')).statusCode).toBe(400);
    expect((await reclassify('nothing', 'personal')).statusCode).toBe(404);
    const rep = await inviteMember(t, admin, 'sales_rep');
    expect((await reclassify('membershipTier', 'personal', 'Because I say so', rep)).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/admin/fields/person/membershipTier/reclassify', { body: { sensitivity: 'public', reason: 'stranger' } })).statusCode).toBe(401);
  });
});

describe('field rules: unique values, bounds, retention', () => {
  const addField = (body: Record<string, unknown>) =>
    call(t, 'POST', '/api/admin/fields', { session: admin, body: { kind: 'person', labels: { en: 'F', 'zh-CN': '字段' }, sensitivity: 'internal', ...body } });
  const createPerson = (values: Record<string, unknown>) => call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: '王芳', ...values } });

  it('keeps unique values unique on create, batch create and update, through the blind index', async () => {
    const created = await addField({ key: 'memberNo', type: 'text', sensitivity: 'personal', unique: true });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ unique: true, lookup: 'exact' });
    const first = await createPerson({ memberNo: 'M-001' });
    expect(first.statusCode).toBe(201);
    // Matching is on the normalized value: case does not make a second member number.
    expect((await createPerson({ memberNo: 'm-001' })).json().error).toMatchObject({ code: 'duplicate_value', field: 'memberNo' });
    const second = (await createPerson({ memberNo: 'M-002' })).json();
    expect((await call(t, 'PATCH', `/api/customers/${second.id}`, { session: admin, body: { memberNo: 'M-001' } })).statusCode).toBe(409);
    expect((await call(t, 'PATCH', `/api/customers/${first.json().id}`, { session: admin, body: { memberNo: 'M-001', name: '王芳芳' } })).statusCode).toBe(200);

    const workspaceId = (await call(t, 'GET', '/api/auth/me', { session: admin })).json().workspace.id;
    const batch = await t.services.vault.createMany({ kind: 'system', workspaceId, name: 'test', ip: null, userAgent: null }, [
      { kind: 'person', name: 'A', memberNo: 'M-003' },
      { kind: 'person', name: 'B', memberNo: 'M-003' },
      { kind: 'person', name: 'C', memberNo: 'M-002' },
    ]);
    expect(batch.created).toHaveLength(1);
    expect(batch.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'duplicate_value'],
      [2, 'duplicate_value'],
    ]);
    // A deleted customer's value is free again, and they cannot come back holding it twice.
    await call(t, 'DELETE', `/api/customers/${second.id}`, { session: admin });
    expect((await createPerson({ memberNo: 'M-002' })).statusCode).toBe(201);
    const restored = await call(t, 'POST', `/api/customers/${second.id}/restore`, { session: admin });
    expect(restored.statusCode).toBe(409);
    expect(restored.json().error).toMatchObject({ code: 'duplicate_value', field: 'memberNo' });
  });

  it('turns uniqueness on only when no two customers share a value, and only for exact-lookup types', async () => {
    expect((await addField({ key: 'shoeSize', type: 'number', unique: true })).json().error.code).toBe('invalid_lookup');
    expect((await addField({ key: 'wechatId', type: 'text', lookup: 'exact' })).statusCode).toBe(201);
    await createPerson({ wechatId: 'wf_88' });
    const twin = (await createPerson({ wechatId: 'wf_88' })).json();
    const turnOn = () => call(t, 'PATCH', '/api/admin/fields/person/wechatId', { session: admin, body: { unique: true } });
    expect((await turnOn()).json().error.code).toBe('duplicate_values');
    await call(t, 'PATCH', `/api/customers/${twin.id}`, { session: admin, body: { wechatId: 'wf_89' } });
    expect((await turnOn()).json()).toMatchObject({ unique: true });
  });

  it('bounds lengths and numbers, naming the field', async () => {
    expect((await addField({ key: 'nickname', type: 'text', validation: { minLength: 2, maxLength: 5 } })).statusCode).toBe(201);
    expect((await addField({ key: 'creditLimit', type: 'money', validation: { min: 0, max: 1_000_000 } })).statusCode).toBe(201);
    expect((await addField({ key: 'badBounds', type: 'text', validation: { min: 1 } })).json().error.code).toBe('invalid_validation');
    expect((await addField({ key: 'badOrder', type: 'number', validation: { min: 5, max: 1 } })).json().error.code).toBe('invalid_validation');
    expect((await createPerson({ nickname: '小' })).json().error).toMatchObject({ code: 'too_short', field: 'nickname' });
    expect((await createPerson({ nickname: '小王小王小王' })).json().error).toMatchObject({ code: 'too_long', field: 'nickname' });
    expect((await createPerson({ creditLimit: { amount: 1_000_001, currency: 'CNY' } })).json().error).toMatchObject({ code: 'too_large', field: 'creditLimit' });
    expect((await createPerson({ nickname: '小王', creditLimit: { amount: 500_000, currency: 'CNY' } })).statusCode).toBe(201);
    // Bounds can change or go.
    expect((await call(t, 'PATCH', '/api/admin/fields/person/nickname', { session: admin, body: { validation: null } })).json().validation).toBeUndefined();
    expect((await createPerson({ nickname: '小' })).statusCode).toBe(201);
  });

  it('clears values past their retention period on customers not updated since, recorded, encrypted values included', async () => {
    expect((await addField({ key: 'campaignNote', type: 'text', retentionDays: 30 })).json().retentionDays).toBe(30);
    expect((await addField({ key: 'visitPurpose', type: 'text', sensitivity: 'personal', retentionDays: 30 })).statusCode).toBe(201);
    const old = (await createPerson({ campaignNote: 'Spring fair', visitPurpose: 'Loan enquiry' })).json();
    t.clock.advance(20 * 86_400_000);
    admin = await signIn(t, owner.email, owner.password);
    const recent = (await createPerson({ campaignNote: 'Autumn fair', visitPurpose: 'Deposit' })).json();
    t.clock.advance(11 * 86_400_000);

    expect(await t.services.vault.applyRetention()).toBe(2);
    // A month on, the admin signs in again to look.
    admin = await signIn(t, owner.email, owner.password);
    const oldNow = (await call(t, 'GET', `/api/customers/${old.id}`, { session: admin })).json();
    expect(oldNow.campaignNote).toBeUndefined();
    expect(oldNow.visitPurpose).toBeUndefined();
    expect(oldNow.name).toBe('王芳');
    expect((await call(t, 'GET', `/api/customers/${recent.id}`, { session: admin })).json()).toMatchObject({ campaignNote: 'Autumn fair', visitPurpose: 'Deposit' });
    expect(await t.services.vault.applyRetention()).toBe(0);

    const events = await t.db.selectFrom('audit_events').select(['metadata', 'actor_id', 'object_id']).where('action', '=', 'customer.retention_cleared').orderBy('seq').execute();
    expect(events.map((e) => [e.object_id, e.actor_id, JSON.parse(e.metadata)])).toEqual([
      [old.id, 'retention', { fields: ['campaignNote'], retentionDays: 30 }],
      [old.id, 'retention', { fields: ['visitPurpose'], retentionDays: 30 }],
    ]);
  });
});
