import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { systemActor } from '../actor.js';
import { buildWorkspace, call, createTestApp, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

/** GET /api/customers: filters and sort on plain values, keyset paging, one search box. */

type Item = { id: string; kind: string } & Record<string, unknown>;

async function listAll(t: TestApp, session: Session, query: Record<string, string | string[]>, limit: number): Promise<Item[]> {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const params = new URLSearchParams({ limit: String(limit) });
    for (const [key, value] of Object.entries(query)) for (const each of [value].flat()) params.append(key, each);
    if (cursor) params.set('cursor', cursor);
    const response = await call(t, 'GET', `/api/customers?${params}`, { session });
    if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    const page = response.json() as { items: Item[]; nextCursor: string | null };
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('the list did not end');
}

const ids = (items: Item[]) => items.map((item) => item.id);

describe('the customers list', () => {
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
    const response = await call(t, 'POST', '/api/customers', { session: admin, body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  it('filters on plain values with every operator, and refuses encrypted fields', async () => {
    const lead = await create({ kind: 'person', name: '张伟', lifecycleStage: 'lead', tags: ['VIP', 'beijing'], source: 'Trade fair' });
    const customer = await create({ kind: 'person', name: 'Li Na', lifecycleStage: 'customer', doNotContact: true, tags: ['shanghai'] });
    const company = await create({ kind: 'company', name: 'Acme Trading', domain: 'acme.cn', industry: 'Retail', lifecycleStage: 'customer' });
    const bare = await create({ kind: 'person', name: 'Wang Fang' });
    const filter = async (...filters: string[]) => ids(await listAll(t, admin, { filter: filters }, 50)).sort();

    expect(await filter('lifecycleStage:eq:customer')).toEqual([customer, company].sort());
    expect(await filter('lifecycleStage:ne:customer')).toEqual([lead, bare].sort());
    expect(await filter('lifecycleStage:in:lead|customer')).toEqual([lead, customer, company].sort());
    expect(await filter('lifecycleStage:empty')).toEqual([bare]);
    expect(await filter('lifecycleStage:notEmpty', 'lifecycleStage:eq:lead')).toEqual([lead]);
    expect(await filter('tags:contains:vip')).toEqual([lead]);
    expect(await filter('tags:in:shanghai|beijing')).toEqual([lead, customer].sort());
    expect(await filter('tags:empty')).toEqual([company, bare].sort());
    expect(await filter('doNotContact:eq:true')).toEqual([customer]);
    expect(await filter('source:contains:FAIR')).toEqual([lead]);
    expect(await filter('domain:eq:acme.cn')).toEqual([company]);
    expect(await filter(`createdAt:gte:${t.clock.now().toISOString()}`)).toHaveLength(4);
    expect(await filter('createdAt:lt:2000-01-01')).toEqual([]);
    expect(ids(await listAll(t, admin, { kind: 'company' }, 50))).toEqual([company]);

    for (const [query, code, field] of [
      ['filter=email:eq:a@b.cn', 'field_not_filterable', 'email'],
      ['filter=name:contains:张', 'field_not_filterable', 'name'],
      ['filter=nationalId:empty', 'field_not_filterable', 'nationalId'],
      ['sort=phone', 'field_not_sortable', 'phone'],
      ['sort=tags', 'field_not_sortable', 'tags'],
      ['filter=shoeSize:eq:42', 'unknown_field', 'shoeSize'],
      ['filter=lifecycleStage:gt', 'invalid_filter', 'lifecycleStage'],
      ['filter=doNotContact:eq:maybe', 'invalid_filter', 'doNotContact'],
      ['filter=lifecycleStage:like:lead', 'invalid_filter', 'lifecycleStage'],
      ['cursor=bm90LWEtY3Vyc29y', 'invalid_cursor', 'cursor'],
    ] as const) {
      const response = await call(t, 'GET', `/api/customers?${query}`, { session: admin });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error, query).toMatchObject({ code, field });
    }
  });

  it('sorts by a plain value with the customers lacking it last, and a cursor of one sort is refused by another', async () => {
    const b = await create({ kind: 'person', name: 'B', lifecycleStage: 'prospect' });
    const none = await create({ kind: 'person', name: 'N' });
    const a = await create({ kind: 'person', name: 'A', lifecycleStage: 'churned' });
    expect(ids(await listAll(t, admin, { sort: 'lifecycleStage' }, 1))).toEqual([a, b, none]);
    expect(ids(await listAll(t, admin, { sort: '-lifecycleStage' }, 1))).toEqual([b, a, none]);
    expect(ids(await listAll(t, admin, {}, 2))).toEqual([a, none, b]);

    const first = (await call(t, 'GET', '/api/customers?sort=lifecycleStage&limit=1', { session: admin })).json();
    const other = await call(t, 'GET', `/api/customers?sort=-updatedAt&cursor=${first.nextCursor}`, { session: admin });
    expect(other.json().error.code).toBe('invalid_cursor');
  });

  it('finds with one search box: email, a phone typed another way, a name token, or text in a plain value', async () => {
    const zhang = await create({ kind: 'person', name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000', tags: ['Key account'] });
    const acme = await create({ kind: 'company', name: 'Acme Trading', industry: 'Wholesale' });
    await create({ kind: 'person', name: 'Li Na', email: 'li.na@example.com' });
    const search = async (q: string, extra: Record<string, string> = {}) => ids(await listAll(t, admin, { q, ...extra }, 50)).sort();

    expect(await search('Zhang.Wei@Example.com')).toEqual([zhang]);
    expect(await search('+86-138-0013-8000')).toEqual([zhang]);
    expect(await search('张')).toEqual([zhang]);
    expect(await search('zhang')).toEqual([zhang]);
    expect(await search('acme')).toEqual([acme]);
    expect(await search('wholesale')).toEqual([acme]);
    expect(await search('key acc')).toEqual([zhang]);
    expect(await search('acme', { kind: 'person' })).toEqual([]);
    expect(await search('nobody@example.com')).toEqual([]);
    // Text that only JSON syntax or a field key would match finds nothing.
    expect(await search('lifecycle')).toEqual([]);
  });

  it('records which customers a page showed and the shape of its query, never the values searched for', async () => {
    await create({ kind: 'person', name: '张伟', email: 'zhang.wei@example.com', lifecycleStage: 'lead' });
    await call(t, 'GET', `/api/customers?q=${encodeURIComponent('zhang.wei@example.com')}&filter=lifecycleStage:eq:lead&sort=-updatedAt`, { session: admin });
    const event = await t.db
      .selectFrom('audit_events')
      .select(['metadata'])
      .where('workspace_id', '=', workspaceId)
      .where('action', '=', 'customer.listed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const metadata = JSON.parse(event.metadata);
    expect(metadata.customerIds).toHaveLength(1);
    expect(metadata.query).toEqual({ search: 'email', kind: null, filters: ['lifecycleStage:eq'], sort: '-updatedAt' });
    expect(event.metadata).not.toContain('zhang');
    expect(event.metadata).not.toContain('lead"');
  });

  it('links people to a company of the workspace, and lists a company’s people', async () => {
    const acme = await create({ kind: 'company', name: 'Acme Trading' });
    const zhang = await create({ kind: 'person', name: '张伟', companyId: acme });
    await create({ kind: 'person', name: 'Li Na' });
    expect((await call(t, 'GET', `/api/customers/${zhang}`, { session: admin })).json().companyId).toBe(acme);
    expect(ids(await listAll(t, admin, { kind: 'person', filter: `companyId:eq:${acme}` }, 50))).toEqual([zhang]);

    const refused = async (companyId: string) => {
      const response = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'X', companyId } });
      expect(response.statusCode, companyId).toBe(400);
      return response.json().error;
    };
    expect(await refused(zhang)).toMatchObject({ code: 'company_not_found', field: 'companyId' });
    expect(await refused('not-an-id')).toMatchObject({ code: 'invalid_value', field: 'companyId' });
    const elsewhere = await buildWorkspace(t);
    const { created: [theirs] } = await t.services.vault.createMany(systemActor(elsewhere.workspaceId, 'test'), [{ kind: 'company', name: 'Another workspace’s company' }]);
    expect(await refused(theirs!)).toMatchObject({ code: 'company_not_found' });
    expect((await call(t, 'PATCH', `/api/customers/${zhang}`, { session: admin, body: { companyId: zhang } })).json().error.code).toBe('company_not_found');

    const batch = await t.services.vault.createMany(systemActor(workspaceId, 'test'), [
      { kind: 'person', name: 'A', companyId: acme },
      { kind: 'person', name: 'B', companyId: zhang },
    ]);
    expect(batch.created).toHaveLength(1);
    expect(batch.rejected).toEqual([expect.objectContaining({ index: 1, code: 'company_not_found', field: 'companyId' })]);
  });

  it('is for those who may read customers: a member is refused, a stranger is not signed in', async () => {
    const rep = await memberWithoutAccess(t, admin, workspaceId);
    expect((await call(t, 'GET', '/api/customers?q=acme', { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/customers?filter=lifecycleStage:eq:lead')).statusCode).toBe(401);
  });
});

/**
 * Keyset paging, property-based: for random values (some missing), any sort key and
 * direction and any page size, walking the pages yields every customer exactly once, in the
 * order sorting them in memory gives.
 */
describe('keyset paging', () => {
  let t: TestApp;
  let admin: Session;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ workspaceId, admin } = await workspaceWithAdmin(t));
    const field = await call(t, 'POST', '/api/admin/fields', {
      session: admin,
      body: { kind: 'person', key: 'score', type: 'number', labels: { en: 'Score', 'zh-CN': '评分' }, sensitivity: 'internal' },
    });
    expect(field.statusCode, field.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks every customer exactly once in sort order', async () => {
    const stages = ['lead', 'prospect', 'customer', 'churned'] as const;
    const row = fc.record({ stage: fc.option(fc.constantFrom(...stages), { nil: undefined }), score: fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 0, maxLength: 12 }),
        fc.constantFrom('lifecycleStage', 'score', 'createdAt', 'updatedAt'),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        async (rows, key, descending, limit) => {
          await t.db.deleteFrom('customers').where('workspace_id', '=', workspaceId).execute();
          const inputs = rows.map((r, i) => ({ kind: 'person', name: `P${i}`, lifecycleStage: r.stage, score: r.score }));
          const { created } = await t.services.vault.createMany(systemActor(workspaceId, 'test'), inputs);
          const valueOf = (i: number) => (key === 'lifecycleStage' ? rows[i]!.stage : key === 'score' ? rows[i]!.score : undefined);
          // In memory: values ascending or descending, missing values last, ties by id in the same direction.
          const order = created
            .map((id, i) => ({ id, value: valueOf(i) }))
            .sort((x, y) => {
              if ((x.value === undefined) !== (y.value === undefined)) return x.value === undefined ? 1 : -1;
              const byValue = x.value === y.value ? 0 : (x.value as string | number) < (y.value as string | number) ? -1 : 1;
              const byId = x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
              return (byValue || byId) * (descending ? -1 : 1);
            })
            .map((entry) => entry.id);
          const walked = ids(await listAll(t, admin, { sort: `${descending ? '-' : ''}${key}` }, limit));
          // Created in one batch, in one millisecond: by creation time they tie, and ties go by id.
          const byId = [...created].sort();
          if (key === 'createdAt' || key === 'updatedAt') expect(walked).toEqual(descending ? byId.reverse() : byId);
          else expect(walked).toEqual(order);
        },
      ),
      { numRuns: 25 },
    );
  });
});
