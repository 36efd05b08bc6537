import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { call, createTestApp, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

async function create(body: Record<string, unknown>): Promise<string> {
  const response = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

async function pairs(): Promise<{ customer_a: string; customer_b: string; score: number; reasons: string }[]> {
  return t.db.selectFrom('duplicate_candidates').select(['customer_a', 'customer_b', 'score', 'reasons']).where('workspace_id', '=', workspaceId).execute();
}

const pair = (a: string, b: string) => (a < b ? [a, b] : [b, a]);

describe('duplicate detection as customers are created', () => {
  it('flags the same email across records, whatever the names', async () => {
    const a = await create({ name: '王伟', email: 'wei@example.com' });
    const b = await create({ name: 'Wang Wei', email: 'WEI@example.com' });
    const found = await pairs();
    expect(found.map((p) => [p.customer_a, p.customer_b])).toEqual([pair(a, b)]);
    expect(JSON.parse(found[0]!.reasons)).toContain('email');
    expect(found[0]!.score).toBeGreaterThanOrEqual(90);
  });

  it('flags a further email of a customer too', async () => {
    const a = await create({ name: '李娜' });
    await call(t, 'POST', `/api/customers/${a}/contact-points`, { session: admin, body: { type: 'email', value: 'na@example.com' } });
    const b = await create({ name: '李娜', email: 'na@example.com' });
    expect((await pairs()).map((p) => [p.customer_a, p.customer_b])).toEqual([pair(a, b)]);
  });

  it('flags the same name in the same city: traditional and simplified, full-width and spaced', async () => {
    const a = await create({ name: '王伟', city: '北京' });
    const b = await create({ name: '王 偉', city: '北京市' });
    const c = await create({ name: 'ＷＡＮＧ Wei', city: '上海' });
    const d = await create({ name: 'Wei Wang', city: '上海' });
    const found = await pairs();
    expect(found.map((p) => [p.customer_a, p.customer_b]).sort()).toEqual([pair(a, b), pair(c, d)].sort());
    expect(found.every((p) => p.score >= 60)).toBe(true);
  });

  it('flags names that sound alike in one city', async () => {
    const a = await create({ name: '张三丰', city: '杭州' });
    const b = await create({ name: '張三峰', city: '杭州' });
    const [found] = await pairs();
    expect([found!.customer_a, found!.customer_b]).toEqual(pair(a, b));
    expect(JSON.parse(found!.reasons)).toEqual(['name_sound', 'city']);
  });

  it('does not flag the same name in different cities, nor a name alone', async () => {
    await create({ name: '王伟', city: '北京' });
    await create({ name: '王伟', city: '广州' });
    await create({ name: '王伟' });
    expect(await pairs()).toEqual([]);
  });

  it('flags nobody by a name the city shares with many (a common name), yet still by a shared identifier', async () => {
    for (let i = 0; i < 4; i++) await create({ name: '王伟', city: '北京', email: `wang.wei.${i}@example.com` });
    const before = (await pairs()).length;
    await create({ name: '王伟', city: '北京', email: 'another.wang.wei@example.com' });
    expect((await pairs()).length).toBe(before);
    const same = await create({ name: '王伟', city: '北京', email: 'wang.wei.0@example.com' });
    const flagged = (await pairs()).filter((p) => p.customer_a === same || p.customer_b === same);
    expect(flagged).toHaveLength(1);
    expect(JSON.parse(flagged[0]!.reasons)).toContain('email');
  });

  it('flags within one batch and against stored customers, once per pair', async () => {
    const system = systemActor(workspaceId, 'test');
    const first = await create({ name: '陈静', companyName: '星辰科技有限公司' });
    const { created } = await t.services.vault.createMany(system, [
      { kind: 'person', name: '陈静', companyName: '星辰科技' },
      { kind: 'person', name: '赵磊', phone: '13800138000' },
      { kind: 'person', name: '赵磊', phone: '+86 138 0013 8000' },
    ]);
    const found = await pairs();
    expect(found.map((p) => [p.customer_a, p.customer_b]).sort()).toEqual([pair(first, created[0]!), pair(created[1]!, created[2]!)].sort());
  });

  it('scans customers stored before, without flagging a pair twice', async () => {
    const a = await create({ name: '周杰', city: '台北' });
    const b = await create({ name: '周傑', city: '臺北' });
    expect(await pairs()).toHaveLength(1);
    await t.db.deleteFrom('duplicate_candidates').execute();
    await t.db.deleteFrom('customer_lookup').where('field', '=', 'dup.block').execute();
    const result = await t.services.vault.scanDuplicates(systemActor(workspaceId, 'test'));
    expect(result).toEqual({ customers: 2, flagged: 1 });
    expect((await pairs()).map((p) => [p.customer_a, p.customer_b])).toEqual([pair(a, b)]);
    expect((await t.services.vault.scanDuplicates(systemActor(workspaceId, 'test'))).flagged).toBe(0);
  });

  it('stores block keys blind-indexed, never the names', async () => {
    await create({ name: '王伟', city: '北京' });
    const rows = await t.db.selectFrom('customer_lookup').select('token').where('field', '=', 'dup.block').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Buffer.from(row.token).toString('utf8')).not.toContain('王');
  });
});
