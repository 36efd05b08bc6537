import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import {
  buildWorkspace,
  call,
  createTestApp,
  memberWithoutAccess,
  signIn,
  STRONG_PASSWORD,
  TEST_DATABASE_URL,
  uniqueEmail,
  workspaceWithAdmin,
  type Session,
  type TestApp,
} from '../../../test/factories.js';

/**
 * Field history (issue #5): who changed which field when, old → new, written in the
 * transaction of the change and shown at the reader's level for each field.
 */
let t: TestApp;
let admin: Session;
let owner: Awaited<ReturnType<typeof buildWorkspace>>;
let workspaceId: string;

beforeEach(async () => {
  t = await createTestApp();
  ({ owner, workspaceId, admin } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

interface Entry {
  id: string;
  at: string;
  field: string;
  kind: string;
  actor: { type: string; id: string | null; name: string | null };
  old?: unknown;
  new?: unknown;
}

const NATIONAL_ID = '11010519491231002X';

async function createPerson(body: Record<string, unknown>, session = admin): Promise<Record<string, unknown> & { id: string }> {
  const response = await call(t, 'POST', '/api/customers', { session, body: { kind: 'person', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const patch = (id: string, body: Record<string, unknown>, session = admin) => call(t, 'PATCH', `/api/customers/${id}`, { session, body });
const history = (id: string, session = admin, query = '') => call(t, 'GET', `/api/customers/${id}/history${query}`, { session });
const entries = async (id: string, session = admin, query = ''): Promise<Entry[]> => {
  const response = await history(id, session, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
};
/** What an entry says, without its id and time. */
const said = ({ field, kind, old, new: next }: Entry) => ({ field, kind, ...(old === undefined ? {} : { old }), ...(next === undefined ? {} : { new: next }) });
const historyRows = (customerId: string) => t.db.selectFrom('customer_field_history').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();

describe('writing the history', () => {
  it('records each changed field of a PATCH with who and when, newest first, and nothing for an unchanged value', async () => {
    const customer = await createPerson({ name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000', source: 'Trade fair' });
    expect(await entries(customer.id)).toEqual([]);
    t.clock.advance(60_000);
    expect((await patch(customer.id, { phone: '+86 139 0000 1111', email: null, source: 'Website', lifecycleStage: 'prospect' })).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await patch(customer.id, { phone: '13900001111', lifecycleStage: 'customer' })).statusCode).toBe(200);

    const items = await entries(customer.id);
    expect(items.map(said)).toEqual([
      { field: 'lifecycleStage', kind: 'set', old: 'prospect', new: 'customer' },
      { field: 'lifecycleStage', kind: 'set', new: 'prospect' },
      { field: 'source', kind: 'set', old: 'Trade fair', new: 'Website' },
      { field: 'email', kind: 'cleared', old: 'zhang.wei@example.com' },
      { field: 'phone', kind: 'set', old: '+8613800138000', new: '+8613900001111' },
    ]);
    expect(items[0]!.at).toBe('2026-11-29T09:02:00.000Z');
    expect(items[4]!.at).toBe('2026-11-29T09:01:00.000Z');
    expect(items[0]!.actor).toEqual({ type: 'user', id: owner.user.id, name: 'Olivia Owner' });
    // The same phone typed another way is no change.
    expect(items.filter((item) => item.field === 'phone')).toHaveLength(1);
  });

  it('writes nothing when the change fails: the history is part of the change’s transaction', async () => {
    const customer = await createPerson({ name: '张伟', phone: '138 0013 8000' });
    const record = t.services.audit.record.bind(t.services.audit);
    vi.spyOn(t.services.audit, 'record').mockImplementation(((actor, auditEvent, executor) => {
      if (auditEvent.action === 'customer.updated') throw new Error('audit store unavailable');
      return record(actor, auditEvent, executor);
    }) as AuditService['record']);
    expect((await patch(customer.id, { phone: '139 0000 1111' })).statusCode).toBe(500);
    vi.restoreAllMocks();
    expect(await historyRows(customer.id)).toEqual([]);
    // A refused value writes nothing either.
    expect((await patch(customer.id, { phone: 'abc' })).statusCode).toBe(400);
    expect(await historyRows(customer.id)).toEqual([]);
  });

  it('records the customer’s email taking a contact point’s value when it is made primary, atomically', async () => {
    const customer = await createPerson({ name: '张伟', email: 'zhang.wei@example.com' });
    const work = (await call(t, 'POST', `/api/customers/${customer.id}/contact-points`, { session: admin, body: { type: 'email', value: 'wei@corp.example' } })).json();
    const makePrimary = () => call(t, 'POST', `/api/customers/${customer.id}/contact-points/${work.id}/primary`, { session: admin });
    expect((await makePrimary()).statusCode).toBe(200);
    expect((await entries(customer.id)).map(said)).toEqual([{ field: 'email', kind: 'set', old: 'zhang.wei@example.com', new: 'wei@corp.example' }]);

    const record = t.services.audit.record.bind(t.services.audit);
    vi.spyOn(t.services.audit, 'record').mockImplementation(((actor, auditEvent, executor) => {
      if (auditEvent.action === 'contact_point.made_primary') throw new Error('audit store unavailable');
      return record(actor, auditEvent, executor);
    }) as AuditService['record']);
    expect((await makePrimary()).statusCode).toBe(500);
    vi.restoreAllMocks();
    expect(await historyRows(customer.id)).toHaveLength(1);
  });

  it('records the address field following the primary address', async () => {
    const customer = await createPerson({ name: '张伟' });
    const added = await call(t, 'POST', `/api/customers/${customer.id}/addresses`, { session: admin, body: { type: 'home', country: 'CN', region: '北京市', city: '北京市', district: '朝阳区', street: '建国路 88 号' } });
    expect(added.statusCode, added.body).toBe(201);
    expect((await entries(customer.id)).map(said)).toEqual([{ field: 'address', kind: 'set', new: '北京市朝阳区建国路 88 号' }]);
    await call(t, 'DELETE', `/api/customers/${customer.id}/addresses/${added.json().id}`, { session: admin });
    expect((await entries(customer.id)).map(said)[0]).toEqual({ field: 'address', kind: 'cleared', old: '北京市朝阳区建国路 88 号' });
  });

  it('records values the retention job clears, by the job, encrypted ones included', async () => {
    for (const body of [
      { key: 'campaignNote', sensitivity: 'internal' },
      { key: 'visitPurpose', sensitivity: 'personal' },
    ]) {
      const added = await call(t, 'POST', '/api/admin/fields', { session: admin, body: { kind: 'person', type: 'text', labels: { en: 'F', 'zh-CN': '字段' }, retentionDays: 30, ...body } });
      expect(added.statusCode, added.body).toBe(201);
    }
    const customer = await createPerson({ name: '王芳', campaignNote: 'Spring fair', visitPurpose: 'Loan enquiry' });
    t.clock.advance(31 * 86_400_000);
    expect(await t.services.vault.applyRetention()).toBe(2);
    admin = await signIn(t, owner.email, owner.password);
    const items = await entries(customer.id);
    expect(items.map(said).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'campaignNote', kind: 'retention', old: 'Spring fair' },
      { field: 'visitPurpose', kind: 'retention', old: 'Loan enquiry' },
    ]);
    expect(items.map((item) => item.actor)).toEqual([
      { type: 'system', id: 'retention', name: 'retention' },
      { type: 'system', id: 'retention', name: 'retention' },
    ]);
  });

  it('moves a field’s history with its class, and records the reclassification', async () => {
    const field = { kind: 'person', key: 'giftPreference', type: 'text', labels: { en: 'Gift preference', 'zh-CN': '礼品偏好' }, sensitivity: 'internal' };
    expect((await call(t, 'POST', '/api/admin/fields', { session: admin, body: field })).statusCode).toBe(201);
    const customer = await createPerson({ name: '赵敏', giftPreference: 'Oolong tea' });
    await patch(customer.id, { giftPreference: 'Green tea canary' });
    const [plain] = await historyRows(customer.id);
    expect([plain!.values_plain, plain!.values_sealed]).toEqual([JSON.stringify({ old: 'Oolong tea', new: 'Green tea canary' }), null]);

    const reclassify = (sensitivity: string) => call(t, 'POST', '/api/admin/fields/person/giftPreference/reclassify', { session: admin, body: { sensitivity, reason: 'The DPO says so' } });
    expect((await reclassify('personal')).statusCode).toBe(200);
    const sealed = await historyRows(customer.id);
    expect(sealed.map((row) => [row.change, row.values_plain, row.values_sealed === null])).toEqual([
      ['set', null, false],
      ['reclassified', JSON.stringify({ old: 'internal', new: 'personal' }), true],
    ]);
    expect(Buffer.from(sealed[0]!.values_sealed!).toString('latin1')).not.toContain('canary');
    expect((await entries(customer.id)).map(said)).toEqual([
      { field: 'giftPreference', kind: 'reclassified', old: 'internal', new: 'personal' },
      { field: 'giftPreference', kind: 'set', old: 'Oolong tea', new: 'Green tea canary' },
    ]);

    expect((await reclassify('internal')).statusCode).toBe(200);
    expect((await historyRows(customer.id))[0]!.values_plain).toBe(JSON.stringify({ old: 'Oolong tea', new: 'Green tea canary' }));
    expect((await entries(customer.id))[0]).toMatchObject({ kind: 'reclassified', old: 'personal', new: 'internal' });
  });

  it('keeps old and new personal values out of the database files', async () => {
    const customer = await createPerson({ name: '金丝雀测试', email: 'canary.7f3a@example.net', phone: '+86 139 1234 5678', address: 'Canary Wharf 7F3A' });
    await patch(customer.id, { name: '雀金丝改名', email: 'canary.b41d@example.net', phone: '+86 137 8765 4321', address: 'Canary Row B41D', nationalId: NATIONAL_ID });
    await patch(customer.id, { email: null, address: null, nationalId: null });
    expect(await historyRows(customer.id)).toHaveLength(8);
    await entries(customer.id);
    const needles = ['金丝雀', '雀金丝', 'canary.7f3a', 'canary.b41d', '8613912345678', '8613787654321', NATIONAL_ID, 'Canary Wharf', 'Canary Row'];
    let haystack: string;
    if (TEST_DATABASE_URL) {
      haystack = execFileSync('pg_dump', ['--dbname', TEST_DATABASE_URL, '--schema', t.pgSchema!, '--data-only', '--no-owner'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(haystack).toContain('customer_field_history');
    } else {
      const file = t.config.sqlitePath;
      haystack = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1') + fs.readFileSync(f).toString('utf8')).join('');
    }
    expect(haystack.includes(customer.id)).toBe(true);
    for (const needle of needles) expect(haystack.includes(needle), needle).toBe(false);
  });

  it('replays to the customer’s current values, whatever the sequence of changes', async () => {
    const value = (options: readonly string[]) => fc.option(fc.constantFrom(...options), { nil: null });
    const change = fc.record(
      {
        name: fc.constantFrom('张伟', '李娜', 'Wang Fang'),
        email: value(['a@example.com', 'b@example.org', 'c@example.net']),
        phone: value(['+8613800138000', '+8613912345678', '+14155552671']),
        source: value(['Trade fair', 'Website', 'Referral']),
        lifecycleStage: value(['lead', 'prospect', 'customer']),
        tags: fc.option(fc.subarray(['vip', 'wholesale', 'beijing'], { minLength: 1 }), { nil: null }),
      },
      { requiredKeys: [] },
    );
    const keys = ['name', 'email', 'phone', 'source', 'lifecycleStage', 'tags'];
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 6 }), async (changes) => {
        const created = await createPerson({ name: '张伟', phone: '+8613800138000', source: 'Trade fair' });
        for (const body of changes) expect((await patch(created.id, body)).statusCode).toBe(200);
        const state: Record<string, unknown> = Object.fromEntries(keys.filter((key) => key in created).map((key) => [key, created[key]]));
        const all: Entry[] = [];
        for (let cursor: string | null = null, first = true; first || cursor; first = false) {
          const page: { items: Entry[]; nextCursor: string | null } = (await history(created.id, admin, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
          all.push(...page.items);
          cursor = page.nextCursor;
        }
        for (const entry of all.reverse()) {
          expect(state[entry.field], entry.field).toEqual(entry.old);
          if (entry.new === undefined) delete state[entry.field];
          else state[entry.field] = entry.new;
        }
        const current = (await call(t, 'GET', `/api/customers/${created.id}`, { session: admin })).json();
        expect(state).toEqual(Object.fromEntries(keys.filter((key) => key in current).map((key) => [key, current[key]])));
      }),
      { numRuns: 15 },
    );
  });
});

describe('reading the history', () => {
  const teams: Record<string, string> = {};
  async function member(role: string, team: string | null): Promise<Session> {
    const email = uniqueEmail(role);
    await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: role, password: STRONG_PASSWORD, role, teamId: team ? teams[team]! : null });
    return signIn(t, email, STRONG_PASSWORD);
  }
  beforeEach(async () => {
    const system = systemActor(workspaceId, 'test');
    teams.east = (await t.services.access.addTeam(system, { name: 'East' })).id;
    teams.shanghai = (await t.services.access.addTeam(system, { name: 'Shanghai', parentId: teams.east })).id;
    teams.west = (await t.services.access.addTeam(system, { name: 'West' })).id;
  });

  /** A customer with a history of a personal, a sensitive and an internal field. */
  async function changedCustomer(session = admin) {
    const customer = await createPerson({ name: '李娜', email: 'li.na@example.com', phone: '139 1234 5678' }, session);
    await patch(customer.id, { phone: '137 0000 1111', source: 'Website' });
    await patch(customer.id, { nationalId: NATIONAL_ID, email: 'na.li@example.com' });
    return customer.id;
  }

  it('shows the owner clear values, sensitive ones masked (only a reveal shows those), and records the read', async () => {
    const id = await changedCustomer();
    const response = (await history(id)).json();
    expect(response.items.map(said)).toEqual([
      { field: 'email', kind: 'set', old: 'li.na@example.com', new: 'na.li@example.com' },
      { field: 'nationalId', kind: 'set', new: '110***********002X' },
      { field: 'source', kind: 'set', new: 'Website' },
      { field: 'phone', kind: 'set', old: '+8613912345678', new: '+8613700001111' },
    ]);
    expect(response.fields.sort()).toEqual(['email', 'nationalId', 'phone', 'source']);
    expect(response.nextCursor).toBeNull();

    const events = await t.db.selectFrom('audit_events').select(['metadata', 'object_id', 'actor_id']).where('action', '=', 'customer.history_viewed').orderBy('seq').execute();
    expect(events.map((e) => [e.object_id, e.actor_id, JSON.parse(e.metadata)])).toEqual([[id, owner.user.id, { fields: { email: 'clear', nationalId: 'masked', source: 'clear', phone: 'clear' }, count: 4 }]]);
  });

  it('filters by field and pages newest first', async () => {
    const id = await changedCustomer();
    expect((await entries(id, admin, '?field=phone')).map(said)).toEqual([{ field: 'phone', kind: 'set', old: '+8613912345678', new: '+8613700001111' }]);
    const first = (await history(id, admin, '?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await history(id, admin, `?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items.map(said)).toEqual([{ field: 'phone', kind: 'set', old: '+8613912345678', new: '+8613700001111' }]);
    expect(second.nextCursor).toBeNull();
    expect((await history(id, admin, '?field=shoeSize')).json().error).toMatchObject({ code: 'unknown_field', field: 'field' });
    for (const query of ['?limit=0', '?limit=201', '?cursor=abc', '?field=a.b', '?colour=red']) expect((await history(id, admin, query)).statusCode, query).toBe(400);
  });

  it('shows a sales rep a sub-team’s customer masked and no sensitive field at all, and nothing of other teams', async () => {
    const rep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const westRep = await member('sales_rep', 'west');
    const shanghai = (await createPerson({ name: '李娜', phone: '139 1234 5678' }, shanghaiRep)).id;
    await patch(shanghai, { phone: '137 0000 1111' }, shanghaiRep);
    await patch(shanghai, { nationalId: NATIONAL_ID });
    const west = (await createPerson({ name: 'Wang Fang', phone: '137 0000 2222' }, westRep)).id;
    await patch(west, { phone: '137 0000 3333' }, westRep);

    // The rep who made the change sees it in clear on their own customer.
    expect((await entries(shanghai, shanghaiRep)).map(said)).toEqual([{ field: 'phone', kind: 'set', old: '+8613912345678', new: '+8613700001111' }]);
    const seen = (await history(shanghai, rep)).json();
    expect(seen.items.map(said)).toEqual([{ field: 'phone', kind: 'set', old: '139****5678', new: '137****1111' }]);
    expect(seen.fields).toEqual(['phone']);
    expect((await history(shanghai, rep, '?field=nationalId')).json().error).toMatchObject({ code: 'field_hidden', field: 'field' });
    expect((await history(west, rep)).statusCode).toBe(404);
  });

  it('shows an analyst personal values masked', async () => {
    const analyst = await member('analyst', null);
    const id = await changedCustomer();
    expect((await entries(id, analyst)).map(said)).toEqual([
      { field: 'email', kind: 'set', old: 'l***@example.com', new: 'n***@example.com' },
      { field: 'source', kind: 'set', new: 'Website' },
      { field: 'phone', kind: 'set', old: '139****5678', new: '137****1111' },
    ]);
  });

  it('answers 404 for another workspace’s customer, a deleted one or none, 403 without access, 401 to a stranger', async () => {
    const id = await changedCustomer();
    const other = await buildWorkspace(t);
    const outsider = await signIn(t, other.email, other.password);
    expect((await history(id, outsider)).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/customers/${id}/history`)).statusCode).toBe(401);
    expect((await history(id, await memberWithoutAccess(t, admin, workspaceId))).statusCode).toBe(403);
    expect((await history('0190f5a2-0000-7000-8000-000000000000')).statusCode).toBe(404);
    await call(t, 'DELETE', `/api/customers/${id}`, { session: admin });
    expect((await history(id)).statusCode).toBe(404);
    // Nothing of the other workspace's reads landed in this one's trail.
    const outsiderEvents = await t.db.selectFrom('audit_events').select('action').where('workspace_id', '=', other.workspaceId).where('action', '=', 'customer.history_viewed').orderBy('seq').execute();
    expect(outsiderEvents).toEqual([]);
  });

  it('is shredded with the customer: erasure leaves no history and no key to open a copy of it', async () => {
    const id = await changedCustomer();
    const copy = (await historyRows(id)).filter((row) => row.values_sealed !== null);
    expect(copy.length).toBeGreaterThan(0);
    expect((await call(t, 'POST', `/api/customers/${id}/erase`, { session: admin, body: { reason: 'GDPR request #4711' } })).statusCode).toBe(204);
    expect(await historyRows(id)).toEqual([]);
    expect(await t.db.selectFrom('subject_keys').selectAll().where('customer_id', '=', id).execute()).toEqual([]);
    // A backup still holding the rows holds ciphertext only.
    for (const row of copy) expect(Buffer.from(row.values_sealed!).toString('latin1')).not.toContain('example.com');
    expect((await history(id)).statusCode).toBe(404);
  });
});
