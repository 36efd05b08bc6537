import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { buildWorkspace, call, createTestApp, memberWithoutAccess, signIn, TEST_DATABASE_URL, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
let owner: Awaited<ReturnType<typeof buildWorkspace>>;
beforeEach(async () => {
  t = await createTestApp();
  ({ owner, workspaceId, admin } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

const NATIONAL_ID = '11010519491231002X';
const zhangWei = { kind: 'person', name: ' 张伟 ', email: ' Zhang.Wei@Example.COM ', phone: '138 0013 8000', nationalId: NATIONAL_ID.toLowerCase(), gender: 'male' };

async function createCustomer(body: Record<string, unknown> = zhangWei, session = admin) {
  return call(t, 'POST', '/api/customers', { session, body });
}

describe('customers through the records gateway', () => {
  it('standardizes on the way in and shows sensitive values masked, even to an admin', async () => {
    const created = await createCustomer();
    expect(created.statusCode).toBe(201);
    const record = created.json();
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(record).toMatchObject({ kind: 'person', name: '张伟', email: 'Zhang.Wei@Example.COM', phone: '+8613800138000', gender: 'male' });
    expect(record.nationalId).toBe('110***********002X');

    const read = (await call(t, 'GET', `/api/customers/${record.id}`, { session: admin })).json();
    expect(read).toEqual(record);
  });

  it('finds a customer by phone typed in any format, by email in any case, by national ID, and by name', async () => {
    const { id } = (await createCustomer()).json();
    await createCustomer({ kind: 'person', name: 'Wei Zhang', email: 'wei@example.org', phone: '+1 415 555 2671' });
    for (const phone of ['+86-138-0013-8000', '0086 13800138000', '13800138000', '(+86) 138-0013-8000']) {
      const found = await call(t, 'GET', `/api/customers?phone=${encodeURIComponent(phone)}`, { session: admin });
      expect(found.json().items.map((c: { id: string }) => c.id), phone).toEqual([id]);
    }
    expect((await call(t, 'GET', `/api/customers?email=${encodeURIComponent('zhang.wei@example.com')}`, { session: admin })).json().items).toHaveLength(1);
    expect((await call(t, 'GET', `/api/customers?nationalId=${NATIONAL_ID}`, { session: admin })).json().items).toHaveLength(1);
    for (const name of ['张', '张伟']) {
      const found = (await call(t, 'GET', `/api/customers?name=${encodeURIComponent(name)}`, { session: admin })).json().items;
      expect(found.map((c: { id: string }) => c.id), name).toEqual([id]);
    }
    // Typing the pinyin finds the Chinese name as well as the romanized one.
    for (const query of ['Zhang', 'wei', 'zhang wei', 'zhangwei']) {
      const names = (await call(t, 'GET', `/api/customers?name=${encodeURIComponent(query)}`, { session: admin })).json().items.map((c: { name: string }) => c.name);
      expect(names.sort(), query).toEqual(query === 'zhangwei' ? ['张伟'] : ['Wei Zhang', '张伟']);
    }
    expect((await call(t, 'GET', '/api/customers?phone=13900000000', { session: admin })).json().items).toEqual([]);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...zhangWei, phone: '12345' }, 'phone'],
      [{ ...zhangWei, email: 'not-an-email' }, 'email'],
      [{ ...zhangWei, nationalId: '110105194912310021' }, 'nationalId'],
      [{ ...zhangWei, gender: 'robot' }, 'gender'],
      [{ ...zhangWei, shoeSize: 42 }, 'shoeSize'],
      [{ kind: 'person', email: 'a@example.com' }, 'name'],
      [{ ...zhangWei, kind: 'alien' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const response = await createCustomer(body);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
    const rows = await t.db.selectFrom('customers').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('reveals a sensitive value only with a stated reason, and records it', async () => {
    const { id } = (await createCustomer()).json();
    const noReason = await call(t, 'POST', `/api/customers/${id}/reveal`, { session: admin, body: { fields: ['nationalId'], reason: '' } });
    expect(noReason.statusCode).toBe(400);
    const revealed = await call(t, 'POST', `/api/customers/${id}/reveal`, { session: admin, body: { fields: ['nationalId'], reason: 'Verifying identity for a contract' } });
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toEqual({ nationalId: NATIONAL_ID });
    const event = await t.db.selectFrom('audit_events').select(['metadata', 'object_id']).where('action', '=', 'customer.revealed').executeTakeFirstOrThrow();
    expect(event.object_id).toBe(id);
    expect(JSON.parse(event.metadata)).toEqual({ fields: ['nationalId'], reason: 'Verifying identity for a contract' });
  });

  it('records who created and who saw which fields at which level, never the values', async () => {
    const { id } = (await createCustomer()).json();
    await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    await call(t, 'GET', `/api/customers?phone=13800138000`, { session: admin });
    const events = await t.db.selectFrom('audit_events').select(['action', 'metadata']).where('workspace_id', '=', workspaceId).where('action', 'like', 'customer.%').orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['customer.created', 'customer.viewed', 'customer.looked_up']);
    expect(JSON.parse(events[1]!.metadata).fields).toMatchObject({ name: 'clear', email: 'clear', phone: 'clear', nationalId: 'masked' });
    // A lookup names the customers it showed (who saw whom), never the value looked for.
    expect(JSON.parse(events[2]!.metadata)).toEqual({ field: 'phone', matches: 1, customerIds: [id] });
    const all = events.map((e) => e.metadata).join(' ');
    for (const secret of ['张伟', '13800138000', 'example.com', NATIONAL_ID]) expect(all).not.toContain(secret);
  });
});

describe('who may reach customer records', () => {
  it('refuses a role without access to customers, and strangers', async () => {
    const { id } = (await createCustomer()).json();
    const rep = await memberWithoutAccess(t, admin, workspaceId);
    expect((await createCustomer(zhangWei, rep)).statusCode).toBe(403);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/customers', { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/customers/${id}/reveal`, { session: rep, body: { fields: ['nationalId'], reason: 'curious about it' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/customers/${id}` })).statusCode).toBe(401);
  });

  it('never shows one workspace’s customers to another', async () => {
    const { id } = (await createCustomer()).json();
    const { admin: otherAdmin } = await workspaceWithAdmin(t);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: otherAdmin })).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/customers?phone=13800138000', { session: otherAdmin })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/customers', { session: otherAdmin })).json().items).toEqual([]);
    expect((await call(t, 'POST', `/api/customers/${id}/reveal`, { session: otherAdmin, body: { fields: ['nationalId'], reason: 'cross-tenant probe' } })).statusCode).toBe(404);
  });
});

describe('nothing personal at rest in clear', () => {
  it('keeps canary values out of the database files (SQLite file and WAL, or a pg_dump)', async () => {
    const canary = { kind: 'person', name: '金丝雀测试', email: 'canary.7f3a@example.net', phone: '+86 139 1234 5678', nationalId: NATIONAL_ID, address: 'Canary Wharf 7F3A' };
    const { id } = (await createCustomer(canary)).json();
    await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    const needles = ['金丝雀', 'canary.7f3a', '8613912345678', '139 1234 5678', '13912345678', NATIONAL_ID, 'Canary Wharf'];
    let haystack: string;
    if (TEST_DATABASE_URL) {
      // What an attacker with a dump of the database reads: every table of this test's schema.
      haystack = execFileSync('pg_dump', ['--dbname', TEST_DATABASE_URL, '--schema', t.pgSchema!, '--data-only', '--no-owner'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(haystack).toContain('COPY');
      expect(haystack.length).toBeGreaterThan(10_000);
    } else {
      const file = t.config.sqlitePath;
      haystack = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1') + fs.readFileSync(f).toString('utf8')).join('');
      expect(haystack.length).toBeGreaterThan(10_000);
    }
    // The haystack is the real thing: the customer's id, stored in clear, is in it.
    expect(haystack.includes(id)).toBe(true);
    for (const needle of needles) expect(haystack.includes(needle), needle).toBe(false);
  });
});

describe('changing, deleting and restoring', () => {
  it('updates fields through the gateway: re-standardized, re-indexed, recorded', async () => {
    const { id } = (await createCustomer()).json();
    const updated = await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { phone: '+86 139 0000 1111', email: null, address: '北京市朝阳区' } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ phone: '+8613900001111', address: '北京市朝阳区', name: '张伟' });
    expect(updated.json()).not.toHaveProperty('email');
    expect((await call(t, 'GET', '/api/customers?phone=13800138000', { session: admin })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/customers?phone=13900001111', { session: admin })).json().items).toHaveLength(1);
    expect((await call(t, 'GET', '/api/customers?email=zhang.wei@example.com', { session: admin })).json().items).toEqual([]);
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { name: null } })).json().error.field).toBe('name');
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { phone: 'abc' } })).json().error.field).toBe('phone');
    const event = await t.db.selectFrom('audit_events').select('metadata').where('action', '=', 'customer.updated').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata)).toEqual({ fields: ['phone', 'email', 'address'] });
  });

  it('soft-deletes, hides from every read, and restores within 30 days', async () => {
    const { id } = (await createCustomer()).json();
    expect((await call(t, 'DELETE', `/api/customers/${id}`, { session: admin })).statusCode).toBe(204);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: admin })).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/customers?phone=13800138000', { session: admin })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/customers', { session: admin })).json().items).toEqual([]);
    t.clock.advance(29 * 86_400_000);
    admin = await signIn(t, owner.email, owner.password);
    const restored = await call(t, 'POST', `/api/customers/${id}/restore`, { session: admin });
    expect(restored.statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: admin })).statusCode).toBe(200);

    await call(t, 'DELETE', `/api/customers/${id}`, { session: admin });
    t.clock.advance(31 * 86_400_000);
    admin = await signIn(t, owner.email, owner.password);
    expect((await call(t, 'POST', `/api/customers/${id}/restore`, { session: admin })).statusCode).toBe(404);
  });

  it('pages through the list newest first with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await createCustomer({ kind: 'company', name: `Company ${i}` })).json().id);
      t.clock.advance(1000);
    }
    const first = (await call(t, 'GET', '/api/customers?limit=2', { session: admin })).json();
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3]]);
    const second = (await call(t, 'GET', `/api/customers?limit=2&cursor=${first.nextCursor}`, { session: admin })).json();
    expect(second.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const last = (await call(t, 'GET', `/api/customers?limit=2&cursor=${second.nextCursor}`, { session: admin })).json();
    expect(last).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  it('describes the field registry', async () => {
    const fields = (await call(t, 'GET', '/api/customers/fields', { session: admin })).json().items;
    expect(fields.find((f: { kind: string; key: string }) => f.kind === 'person' && f.key === 'nationalId')).toMatchObject({ sensitivity: 'sensitive', lookup: 'exact', labels: { 'zh-CN': '身份证号' } });
  });
});

describe('bulk creation (seeding and imports)', () => {
  it('creates a batch through the same checks, indexes and audit events, returning refusals per row', async () => {
    const actor = systemActor(workspaceId, 'seed-demo');
    const result = await t.services.vault.createMany(actor, [
      { kind: 'person', name: '李娜', phone: '139 1111 2222' },
      { kind: 'person', name: 'Bad Phone', phone: '12' },
      { kind: 'company', name: 'Northwind Ltd', domain: 'northwind.example' },
      { kind: 'person', email: 'no-name@example.com' },
    ]);
    expect(result.created).toHaveLength(2);
    expect(result.rejected).toEqual([
      expect.objectContaining({ index: 1, code: 'invalid_phone', field: 'phone' }),
      expect.objectContaining({ index: 3, code: 'required', field: 'name' }),
    ]);
    const found = (await call(t, 'GET', '/api/customers?phone=13911112222', { session: admin })).json().items;
    expect(found.map((c: { name: string }) => c.name)).toEqual(['李娜']);
    const events = await t.db.selectFrom('audit_events').select(['actor_type', 'actor_id']).where('action', '=', 'customer.created').orderBy('seq').execute();
    expect(events).toEqual([
      { actor_type: 'system', actor_id: 'seed-demo' },
      { actor_type: 'system', actor_id: 'seed-demo' },
    ]);
  });
});

describe('the workspace phone region', () => {
  it('reads numbers without a country code in the region the admin chose', async () => {
    const settings = await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { phoneRegion: 'us' } });
    expect(settings.json()).toMatchObject({ phoneRegion: 'US' });
    const created = (await createCustomer({ kind: 'person', name: 'Ada Lovelace', phone: '(415) 555-2671' })).json();
    expect(created.phone).toBe('+14155552671');
    expect((await call(t, 'GET', '/api/customers?phone=415-555-2671', { session: admin })).json().items).toHaveLength(1);
    // A number with its country code is read the same whatever the region.
    expect((await createCustomer({ ...zhangWei, phone: '+86 138 0013 8000' })).json().phone).toBe('+8613800138000');
    expect((await call(t, 'PATCH', '/api/admin/settings', { session: admin, body: { phoneRegion: 'XX' } })).json().error.field).toBe('phoneRegion');
  });
});

describe('relationship and preference fields', () => {
  it('keeps lifecycle stage, source and contact preferences as internal values in clear', async () => {
    const created = await createCustomer({ ...zhangWei, tags: ['VIP', ' vip ', '华东区'], lifecycleStage: 'prospect', source: 'WeChat mini program', preferredChannels: ['wechat', 'email', 'wechat'], preferredLanguage: 'zh-CN', doNotContact: false });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ tags: ['VIP', '华东区'], lifecycleStage: 'prospect', source: 'WeChat mini program', preferredChannels: ['wechat', 'email'], preferredLanguage: 'zh-CN', doNotContact: false });
    expect((await createCustomer({ ...zhangWei, preferredChannels: ['pigeon'] })).json().error.field).toBe('preferredChannels');
    expect((await createCustomer({ ...zhangWei, doNotContact: 'yes' })).json().error.field).toBe('doNotContact');
    const row = await t.db.selectFrom('customers').select('plain_values').executeTakeFirstOrThrow();
    expect(JSON.parse(row.plain_values)).toMatchObject({ lifecycleStage: 'prospect', doNotContact: false });
  });
});

describe('erasure (crypto-shredding)', () => {
  it('erases a customer on request: key destroyed, lookups gone, unreadable even from a copy of the ciphertext', async () => {
    const { id } = (await createCustomer()).json();
    await call(t, 'POST', `/api/customers/${id}/notes`, { session: admin, body: { body: 'private remark' } });
    const copy = await t.db.selectFrom('customers').select(['personal_values']).where('id', '=', id).executeTakeFirstOrThrow();
    expect((await call(t, 'POST', `/api/customers/${id}/erase`, { session: admin, body: { reason: '' } })).statusCode).toBe(400);
    expect((await call(t, 'POST', `/api/customers/${id}/erase`, { session: admin, body: { reason: 'GDPR request #4711' } })).statusCode).toBe(204);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: admin })).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/customers?phone=13800138000', { session: admin })).json().items).toEqual([]);
    for (const table of ['customers', 'subject_keys', 'customer_lookup', 'customer_notes'] as const) {
      expect(await t.db.selectFrom(table).selectAll().where('workspace_id', '=', workspaceId).execute(), table).toEqual([]);
    }
    // A backup still holding the ciphertext is useless without the subject key.
    expect(copy.personal_values).not.toBeNull();
    expect(await t.services.keyRotation.status(workspaceId)).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'data', subjectKeys: 0 })]));
    const event = await t.db.selectFrom('audit_events').select('metadata').where('action', '=', 'customer.erased').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata)).toEqual({ reason: 'GDPR request #4711' });
  });

  it('purges customers deleted more than 30 days ago, and only those', async () => {
    const old = (await createCustomer()).json().id;
    const recent = (await createCustomer({ kind: 'company', name: 'Recent Ltd' })).json().id;
    await call(t, 'DELETE', `/api/customers/${old}`, { session: admin });
    t.clock.advance(20 * 86_400_000);
    admin = await signIn(t, owner.email, owner.password);
    await call(t, 'DELETE', `/api/customers/${recent}`, { session: admin });
    t.clock.advance(11 * 86_400_000);
    expect(await t.services.vault.purgeDeleted()).toBe(1);
    expect(await t.services.vault.purgeDeleted()).toBe(0);
    const left = await t.db.selectFrom('customers').select('id').execute();
    expect(left.map((r) => r.id)).toEqual([recent]);
    const events = await t.db.selectFrom('audit_events').select(['actor_type', 'actor_id', 'object_id']).where('action', '=', 'customer.erased').orderBy('seq').execute();
    expect(events).toEqual([{ actor_type: 'system', actor_id: 'purge', object_id: old }]);
  });
});
