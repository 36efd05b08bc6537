import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { buildWorkspace, call, createTestApp, inviteMember, signIn, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import { SEARCH_LIMITS } from './schema.js';
import { createAuditSearch } from './service.js';

let t: TestApp;
let admin: Session;
let workspaceId: string;
let ownerId: string;
let owner: Awaited<ReturnType<typeof buildWorkspace>>;
beforeEach(async () => {
  // Sessions that outlive the days the clock is moved on by.
  t = await createTestApp({ env: { CUSTOS_SESSION_IDLE_MINUTES: '1440', CUSTOS_SESSION_ABSOLUTE_HOURS: '720' } });
  ({ workspaceId, admin, owner } = await workspaceWithAdmin(t));
  ownerId = await userIdOf(admin);
});
afterEach(async () => {
  await t.close();
});

async function userIdOf(session: Session): Promise<string> {
  return (await call(t, 'GET', '/api/auth/me', { session })).json().user.id;
}

async function createCustomer(name: string, session = admin): Promise<string> {
  const created = await call(t, 'POST', '/api/customers', { session, body: { kind: 'person', name, email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`, phone: '13800138000' } });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

type Item = { id: string; seq: number; at: string; action: string; actor: { type: string; id: string | null; name: string | null; email: string | null }; tokenId: string | null; object: { type: string; id: string } | null; outcome: string; metadata: Record<string, unknown> };

async function search(query: string, session = admin): Promise<{ items: Item[]; nextCursor: string | null }> {
  const response = await call(t, 'GET', `/api/audit${query ? `?${query}` : ''}`, { session });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function eventsOf(action: string, workspace = workspaceId) {
  return t.db.selectFrom('audit_events').select(['object_type', 'object_id', 'metadata', 'actor_id']).where('workspace_id', '=', workspace).where('action', '=', action).orderBy('seq').execute();
}

describe('who may search the audit trail', () => {
  it('owners, administrators and auditors may; sales reps and support agents get 403 (recorded); strangers 401', async () => {
    const auditor = await inviteMember(t, admin, 'auditor');
    const administrator = await inviteMember(t, admin, 'admin');
    const rep = await inviteMember(t, admin, 'sales_rep');
    const agent = await inviteMember(t, admin, 'support_agent');
    const paths = ['/api/audit', `/api/audit/exposure?actor=${ownerId}`, '/api/audit/actors'];
    for (const path of paths) {
      for (const session of [admin, administrator, auditor]) expect((await call(t, 'GET', path, { session })).statusCode, path).toBe(200);
      for (const session of [rep, agent]) {
        const refused = await call(t, 'GET', path, { session });
        expect(refused.statusCode, path).toBe(403);
        expect(refused.json().error.code).toBe('forbidden');
      }
      expect((await call(t, 'GET', path)).statusCode, path).toBe(401);
    }
    // Refused before its parameters are read: a 403, not a 400 telling what the route takes.
    expect((await call(t, 'GET', '/api/audit?nonsense=1', { session: rep })).statusCode).toBe(403);
    const denials = await eventsOf('access.denied');
    expect(denials.map((e) => JSON.parse(e.metadata).route)).toEqual(expect.arrayContaining(['/api/audit', '/api/audit/exposure', '/api/audit/actors']));
  });

  it('an API token acts with its owner’s readAudit; a narrowed token has no capabilities', async () => {
    const full = (await call(t, 'POST', '/api/account/tokens', { session: admin, body: { name: 'siem' } })).json().token;
    const narrowed = (await call(t, 'POST', '/api/account/tokens', { session: admin, body: { name: 'reader', narrowing: { readOnly: true } } })).json().token;
    expect((await call(t, 'GET', '/api/audit', { token: full })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/audit', { token: narrowed })).statusCode).toBe(403);
  });
});

describe('searching', () => {
  it('answers newest first with the actor named, and records the search by its filters’ names only', async () => {
    const id = await createCustomer('Zhang Wei');
    await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    const { items, nextCursor } = await search(`customerId=${id}`);
    expect(items.map((e) => e.action)).toEqual(['customer.viewed', 'customer.created']);
    expect(nextCursor).toBeNull();
    expect(items[0]).toMatchObject({ actor: { type: 'user', id: ownerId, name: 'Olivia Owner' }, object: { type: 'customer', id }, outcome: 'success' });
    expect(items[0]!.actor.email).toMatch(/@example\.com$/);
    expect(Date.parse(items[0]!.at)).toBe(t.clock.now().getTime());
    expect(items[0]!.metadata.fields).toMatchObject({ name: 'clear' });

    const [searched] = await eventsOf('audit.searched');
    expect(JSON.parse(searched!.metadata)).toEqual({ filters: ['customerId'], page: false, results: 2 });
    expect(searched!.metadata).not.toContain(id);
  });

  it('filters by actor: a user’s id, one of their tokens, or a system job', async () => {
    const member = await inviteMember(t, admin, 'support_agent');
    const memberId = await userIdOf(member);
    const customer = await createCustomer('Li Na');
    await call(t, 'GET', `/api/customers/${customer}`, { session: member });
    const created = (await call(t, 'POST', '/api/account/tokens', { session: member, body: { name: 'script' } })).json();
    await call(t, 'GET', `/api/customers/${customer}`, { token: created.token });
    await t.services.audit.record(systemActor(workspaceId, 'retention'), { action: 'customer.retention_cleared', outcome: 'success', metadata: { fields: ['phone'], retentionDays: 30 }, object: { type: 'customer', id: customer } });

    const byMember = await search(`actor=${memberId}&action=customer.viewed`);
    expect(byMember.items.map((e) => e.tokenId)).toEqual([created.item.id, null]);
    const byToken = await search(`actor=${created.item.id}`);
    expect(byToken.items.map((e) => [e.action, e.actor.id, e.tokenId])).toEqual([['customer.viewed', memberId, created.item.id]]);
    const bySystem = await search('actor=retention');
    expect(bySystem.items.map((e) => [e.action, e.actor])).toEqual([['customer.retention_cleared', { type: 'system', id: 'retention', name: 'retention', email: null }]]);
  });

  it('filters by customer: their own events and the list pages and lookups that showed them', async () => {
    const shown = await createCustomer('Wang Fang');
    const other = await createCustomer('Chen Jie');
    await call(t, 'GET', '/api/customers?limit=10', { session: admin });
    await call(t, 'GET', `/api/customers?email=${encodeURIComponent('wang.fang@example.com')}`, { session: admin });
    await call(t, 'GET', `/api/customers/${other}`, { session: admin });
    const { items } = await search(`customerId=${shown}`);
    expect(items.map((e) => e.action)).toEqual(['customer.looked_up', 'customer.listed', 'customer.created']);
    expect((await search(`customerId=${other}`)).items.map((e) => e.action)).toEqual(['customer.viewed', 'customer.listed', 'customer.created']);
  });

  it('filters by action (exact or an area with .*), outcome and time range', async () => {
    const id = await createCustomer('Zhao Lei');
    t.clock.advance(3_600_000);
    await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { name: 'Zhao Lei 2' } });
    const rep = await inviteMember(t, admin, 'sales_rep');
    await call(t, 'GET', '/api/audit', { session: rep });

    expect((await search('action=customer.viewed')).items.map((e) => e.action)).toEqual(['customer.viewed']);
    expect(new Set((await search('action=customer.*')).items.map((e) => e.action))).toEqual(new Set(['customer.created', 'customer.viewed', 'customer.updated']));
    expect((await search('action=access.*')).items.every((e) => e.action === 'access.denied')).toBe(true);
    expect((await search('outcome=denied')).items.map((e) => e.action)).toEqual(['access.denied']);

    const start = new Date(t.clock.now().getTime() - 60_000).toISOString();
    const recent = await search(`action=customer.*&from=${encodeURIComponent(start)}`);
    expect(recent.items.map((e) => e.action)).toEqual(['customer.updated', 'customer.viewed']);
    const early = await search(`action=customer.*&to=${encodeURIComponent(start)}`);
    expect(early.items.map((e) => e.action)).toEqual(['customer.created']);
    const day = t.clock.now().toISOString().slice(0, 10);
    expect((await search(`action=customer.*&from=${day}&to=${day}`)).items).toHaveLength(3);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    const cases: [string, string][] = [
      ['from=yesterday', 'from'],
      ['to=2026-02-30', 'to'],
      ['from=2026-11-30&to=2026-11-01', 'to'],
      ['cursor=bm9wZQ', 'cursor'],
      ['limit=201', 'limit'],
      ['action=DROP%20TABLE', 'action'],
      ['customerId=nope', 'customerId'],
      ['format=xml', 'format'],
      ['outcome=maybe', 'outcome'],
      ['actor=' + 'a'.repeat(65), 'actor'],
      ['sort=at', 'sort'],
    ];
    for (const [query, field] of cases) {
      const response = await call(t, 'GET', `/api/audit?${query}`, { session: admin });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.field, query).toBe(field);
    }
  });

  it('pages with an opaque cursor, every event once', async () => {
    for (let i = 0; i < 7; i++) {
      await createCustomer(`Page Person ${i}`);
      if (i % 2 === 0) t.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await search(`action=customer.created&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    const all = (await search('action=customer.created&limit=200')).items.map((e) => e.id);
    expect(seen).toEqual(all);
    const searched = (await eventsOf('audit.searched')).map((e) => JSON.parse(e.metadata).page);
    expect(searched.slice(0, 3)).toEqual([false, true, true]);
  });

  it('never shows another workspace’s events, whatever the filters say', async () => {
    const mine = await createCustomer('Mine');
    const other = await buildWorkspace(t);
    const otherAdmin = await signIn(t, other.email, other.password);
    const otherOwnerId = await userIdOf(otherAdmin);
    const theirs = await createCustomer('Theirs', otherAdmin);
    await call(t, 'GET', `/api/customers/${theirs}`, { session: otherAdmin });
    await call(t, 'GET', '/api/customers', { session: otherAdmin });

    for (const query of [`customerId=${theirs}`, `actor=${otherOwnerId}`]) {
      expect((await search(query)).items, query).toEqual([]);
      expect((await call(t, 'GET', `/api/audit?${query}&format=ndjson`, { session: admin })).body, query).toBe('');
    }
    const everything = (await search('limit=200')).items;
    expect(everything.some((e) => e.object?.id === mine)).toBe(true);
    expect(everything.some((e) => e.object?.id === theirs || e.actor.id === otherOwnerId)).toBe(false);
    const exposure = (await call(t, 'GET', `/api/audit/exposure?actor=${otherOwnerId}`, { session: admin })).json();
    expect(exposure).toMatchObject({ customers: [], totalCustomers: 0, events: 0 });
    const actors = (await call(t, 'GET', '/api/audit/actors', { session: admin })).json();
    expect(actors.users.map((u: { id: string }) => u.id)).toEqual([ownerId]);
  });
});

describe('exporting', () => {
  it('streams JSON lines of every match, with the count in a header, and records the export before it', async () => {
    for (let i = 0; i < 3; i++) await createCustomer(`Export Person ${i}`);
    const response = await call(t, 'GET', '/api/audit?action=customer.created&format=ndjson', { session: admin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-events-\d{8}-\d{6}\.ndjson"$/);
    expect(response.headers['x-row-count']).toBe('3');
    expect(response.headers['x-next-cursor']).toBeUndefined();
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((e) => e.action)).toEqual(['customer.created', 'customer.created', 'customer.created']);
    expect(lines[0]).toMatchObject({ actor: { id: ownerId, name: 'Olivia Owner' }, object: { type: 'customer' } });
    const [exported] = await eventsOf('audit.exported');
    expect(JSON.parse(exported!.metadata)).toEqual({ what: 'events', format: 'ndjson', rows: 3, filters: ['action'], truncated: false });
  });

  it('writes CSV with every cell that a spreadsheet would run as a formula neutralized', async () => {
    const id = await createCustomer('Formula Victim');
    const hostile = '=HYPERLINK("http://evil.example","click"),@SUM(1)';
    await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie: admin.cookieHeader, 'user-agent': hostile } });
    await t.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { cookie: admin.cookieHeader, 'user-agent': '-2+3' } });
    const response = await call(t, 'GET', `/api/audit?action=customer.viewed&format=csv`, { session: admin });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['x-row-count']).toBe('2');
    const rows = response.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toBe('id,seq,at,actorType,actorId,actorName,actorEmail,sessionId,tokenId,ip,userAgent,action,objectType,objectId,outcome,metadata');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(`,'-2+3,customer.viewed,`);
    expect(rows[2]).toContain(`,"'=HYPERLINK(""http://evil.example"",""click""),@SUM(1)",customer.viewed,`);
    expect(JSON.parse((await eventsOf('audit.exported'))[0]!.metadata)).toMatchObject({ format: 'csv', rows: 2 });
  });

  it('stops at its bound and says where the next file starts', async () => {
    const search = createAuditSearch({ db: t.db, clock: t.clock, audit: t.services.audit, limits: { exportRows: 4, exposureEvents: SEARCH_LIMITS.exposureEvents } });
    for (let i = 0; i < 6; i++) await createCustomer(`Bound ${i}`);
    const actor = (await t.services.auth.authenticateSession(admin.cookie, { ip: null, userAgent: null }))!.actor;
    const read = async (file: { lines: Iterable<string> | AsyncIterable<string> }) => {
      let text = '';
      for await (const chunk of file.lines) text += chunk;
      return text.trimEnd().split('\n').map((line) => JSON.parse(line).id as string);
    };
    const first = await search.exportEvents(actor, { action: 'customer.created' }, 'ndjson');
    expect(first.rows).toBe(4);
    expect(first.nextCursor).not.toBeNull();
    const rest = await search.exportEvents(actor, { action: 'customer.created', cursor: first.nextCursor! }, 'ndjson');
    expect(rest).toMatchObject({ rows: 2, nextCursor: null });
    const ids = [...(await read(first)), ...(await read(rest))];
    expect(new Set(ids).size).toBe(6);
    expect((await eventsOf('audit.exported')).map((e) => JSON.parse(e.metadata).truncated)).toEqual([true, false]);
  });
});

describe('breach scoping', () => {
  /** From 09:00 UTC, twice 20 hours on: three different days. */
  const HOURS_20 = 20 * 3_600_000;

  /** Four customers; a support agent views one twice, lists a page of them, and one is looked at by the owner, who reveals a sensitive field. */
  async function scenario() {
    const agent = await inviteMember(t, admin, 'support_agent');
    const agentId = await userIdOf(agent);
    const ids = [];
    for (const name of ['Ada One', 'Bo Two', 'Cy Three']) ids.push(await createCustomer(name));
    const [a, b, c] = ids as [string, string, string];
    const unseen = await createCustomer('Dee Unseen');
    t.clock.advance(HOURS_20);
    await call(t, 'GET', `/api/customers/${a}`, { session: agent });
    t.clock.advance(60_000);
    await call(t, 'GET', `/api/customers/${a}`, { session: agent });
    await call(t, 'GET', `/api/customers/${a}/notes`, { session: agent });
    t.clock.advance(HOURS_20);
    await call(t, 'GET', `/api/customers?limit=3&sort=createdAt`, { session: agent });
    t.clock.advance(60_000);
    admin = await signIn(t, owner.email, owner.password);
    await call(t, 'PATCH', `/api/customers/${c}`, { session: admin, body: { nationalId: '11010519491231002X' } });
    const revealed = await call(t, 'POST', `/api/customers/${c}/reveal`, { session: admin, body: { fields: ['nationalId'], reason: 'Checking a contract' } });
    expect(revealed.statusCode, revealed.body).toBe(200);
    return { agent, agentId, a, b, c, unseen };
  }

  it('tells which customers a user saw, when, how often and which fields at which level', async () => {
    const { agentId, a, b, c, unseen } = await scenario();
    const response = await call(t, 'GET', `/api/audit/exposure?actor=${agentId}`, { session: admin });
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.totalCustomers).toBe(3);
    expect(answer.events).toBe(4);
    expect(answer.days.map((d: { events: number }) => d.events)).toEqual([3, 1]);
    const byId = Object.fromEntries(answer.customers.map((entry: { customerId: string }) => [entry.customerId, entry]));
    expect(Object.keys(byId).sort()).toEqual([a, b, c].sort());
    expect(byId[unseen]).toBeUndefined();
    // A support agent sees personal values masked; the list page says so as the views do.
    expect(byId[a]).toMatchObject({ events: 4, activity: ['notes'], fields: { name: 'masked', email: 'masked', phone: 'masked' }, tokenIds: [] });
    expect(byId[b]).toMatchObject({ events: 1, fields: { name: 'masked' } });
    expect(Date.parse(byId[a].lastSeen)).toBeGreaterThan(Date.parse(byId[a].firstSeen));
    expect(answer.unnamedExports).toEqual({ events: 0, rows: 0 });

    const [queried] = await eventsOf('audit.exposure_queried');
    expect(queried).toMatchObject({ object_type: 'user', object_id: agentId });
    expect(JSON.parse(queried!.metadata)).toEqual({ by: 'actor', filters: [], results: 3 });
  });

  it('tells who saw a customer, with the highest level of each field', async () => {
    const { agentId, c } = await scenario();
    const answer = (await call(t, 'GET', `/api/audit/exposure?customerId=${c}`, { session: admin })).json();
    expect(answer.totalActors).toBe(2);
    const byActor = Object.fromEntries(answer.actors.map((entry: { actor: { id: string } }) => [entry.actor.id, entry]));
    expect(byActor[agentId]).toMatchObject({ actor: { type: 'user', name: 'support_agent' }, events: 1, fields: { name: 'masked' } });
    // The owner revealed the national ID: the highest level there is.
    expect(byActor[ownerId]).toMatchObject({ actor: { type: 'user', name: 'Olivia Owner' }, events: 1, fields: { nationalId: 'revealed' } });
    expect(answer.actors[0].actor.id).toBe(ownerId);
  });

  it('narrows by time, by token, and exports the answer as CSV', async () => {
    const { agent, agentId, a, b } = await scenario();
    const created = (await call(t, 'POST', '/api/account/tokens', { session: agent, body: { name: 'export script' } })).json();
    await call(t, 'GET', `/api/customers/${b}`, { token: created.token });

    const byToken = (await call(t, 'GET', `/api/audit/exposure?actor=${created.item.id}`, { session: admin })).json();
    expect(byToken.customers.map((entry: { customerId: string; tokenIds: string[] }) => [entry.customerId, entry.tokenIds])).toEqual([[b, [created.item.id]]]);

    // Ten hours back: after the views of the first day, before the list page of the next.
    const firstDay = new Date(t.clock.now().getTime() - 36_000_000).toISOString();
    const early = (await call(t, 'GET', `/api/audit/exposure?actor=${agentId}&to=${encodeURIComponent(firstDay)}`, { session: admin })).json();
    expect(early.customers.map((entry: { customerId: string }) => entry.customerId)).toEqual([a]);

    const file = await call(t, 'GET', `/api/audit/exposure?customerId=${b}&format=csv`, { session: admin });
    expect(file.statusCode).toBe(200);
    expect(file.headers['x-row-count']).toBe('1');
    const rows = file.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toBe('actorType,actorId,actorName,actorEmail,tokenIds,firstSeen,lastSeen,events,fields,activity');
    expect(rows[1]).toContain(`user,${agentId},support_agent,`);
    expect(rows[1]).toContain(created.item.id);
    expect(rows[1]).toContain('name:masked');
    const [exported] = await eventsOf('audit.exported');
    expect(exported).toMatchObject({ object_type: 'customer', object_id: b });
    expect(JSON.parse(exported!.metadata)).toEqual({ what: 'exposure', format: 'csv', rows: 1, filters: [], truncated: false });
  });

  it('counts exports whose events do not name their customers', async () => {
    const { agent, agentId } = await scenario();
    const actor = (await t.services.auth.authenticateSession(agent.cookie, { ip: null, userAgent: null }))!.actor;
    await t.services.audit.record(actor, { action: 'customers.exported', outcome: 'success', metadata: { rows: 250 } });
    const answer = (await call(t, 'GET', `/api/audit/exposure?actor=${agentId}`, { session: admin })).json();
    expect(answer).toMatchObject({ totalCustomers: 3, events: 5, unnamedExports: { events: 1, rows: 250 } });
  });

  it('asks about one subject at a time, and refuses a range too broad to read whole', async () => {
    for (const query of ['', `actor=${ownerId}&customerId=0190f5a2-0000-7000-8000-000000000000`]) {
      const response = await call(t, 'GET', `/api/audit/exposure?${query}`, { session: admin });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('exposure_subject');
    }
    const search = createAuditSearch({ db: t.db, clock: t.clock, audit: t.services.audit, limits: { exportRows: SEARCH_LIMITS.exportRows, exposureEvents: 2 } });
    const id = await createCustomer('Often Seen');
    for (let i = 0; i < 3; i++) await call(t, 'GET', `/api/customers/${id}`, { session: admin });
    const actor = (await t.services.auth.authenticateSession(admin.cookie, { ip: null, userAgent: null }))!.actor;
    await expect(search.exposure(actor, { customerId: id })).rejects.toMatchObject({ status: 400, code: 'exposure_too_broad', field: 'from' });
  });

  it('list pages now record the highest level each field was shown at', async () => {
    await createCustomer('Level Check');
    const agent = await inviteMember(t, admin, 'support_agent');
    await call(t, 'GET', '/api/customers', { session: agent });
    const [listed] = await eventsOf('customer.listed');
    expect(JSON.parse(listed!.metadata).fields).toMatchObject({ name: 'masked', email: 'masked' });
  });
});

describe('actors to ask about', () => {
  it('lists the workspace’s users and every token, revoked ones included', async () => {
    const created = (await call(t, 'POST', '/api/account/tokens', { session: admin, body: { name: 'old script' } })).json();
    await call(t, 'DELETE', `/api/account/tokens/${created.item.id}`, { session: admin });
    const answer = (await call(t, 'GET', '/api/audit/actors', { session: admin })).json();
    expect(answer.users).toEqual([expect.objectContaining({ id: ownerId, displayName: 'Olivia Owner', status: 'active' })]);
    expect(answer.tokens).toEqual([expect.objectContaining({ id: created.item.id, name: 'old script', userId: ownerId })]);
    expect(answer.tokens[0].revokedAt).not.toBeNull();
  });
});
