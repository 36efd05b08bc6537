import { DEFAULT_ROLES } from '../access/default-roles.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, inviteMember, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import type { Actor } from '../actor.js';
import { VIEW_LIMITS } from './schema.js';
import { mayChangeView, maySeeView } from './service.js';

let t: TestApp;
let owner: Session;
let workspaceId: string;
beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin: owner } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

const leads = { name: 'Open leads', definition: { kind: 'person', filters: ['lifecycleStage:eq:lead'], sort: '-updatedAt', columns: ['name', 'email', 'lifecycleStage'] } };

const create = (session: Session, body: unknown) => call(t, 'POST', '/api/views', { session, body });
const names = async (session: Session) => (await call(t, 'GET', '/api/views', { session })).json().items.map((view: { name: string }) => view.name);

describe('saved views of the customers list', () => {
  it('saves, lists, renames, redefines and deletes a view', async () => {
    const created = await create(owner, leads);
    expect(created.statusCode).toBe(201);
    const view = created.json();
    expect(view).toMatchObject({ name: 'Open leads', shared: false, mine: true, canChange: true, definition: leads.definition });
    expect(view.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);

    expect((await call(t, 'GET', '/api/views', { session: owner })).json().items).toEqual([view]);

    t.clock.advance(60_000);
    const renamed = await call(t, 'PATCH', `/api/views/${view.id}`, { session: owner, body: { name: '  Leads, newest first ', definition: { q: ' acme ', filters: [] } } });
    expect(renamed.statusCode).toBe(200);
    // Blank parts are left out; the search is trimmed.
    expect(renamed.json()).toMatchObject({ name: 'Leads, newest first', definition: { q: 'acme' } });
    expect(renamed.json().definition).toEqual({ q: 'acme' });
    expect(renamed.json().updatedAt).not.toBe(view.updatedAt);

    expect((await call(t, 'DELETE', `/api/views/${view.id}`, { session: owner })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/views', { session: owner })).json().items).toEqual([]);
    expect((await call(t, 'DELETE', `/api/views/${view.id}`, { session: owner })).statusCode).toBe(404);
  });

  it('shows a shared view to colleagues, who may use it; a private one stays its owner’s', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    await create(owner, { ...leads, name: 'Mine only' });
    const shared = (await create(owner, { ...leads, name: 'Team leads', shared: true })).json();
    await create(admin, { ...leads, name: 'Admin’s own' });

    expect(await names(owner)).toEqual(['Mine only', 'Team leads']);
    expect(await names(admin)).toEqual(['Admin’s own', 'Team leads']);
    const seen = (await call(t, 'GET', '/api/views', { session: admin })).json().items.find((v: { id: string }) => v.id === shared.id);
    expect(seen).toMatchObject({ mine: false, shared: true });

    // Un-sharing takes it away from the colleague again.
    await call(t, 'PATCH', `/api/views/${shared.id}`, { session: owner, body: { shared: false } });
    expect(await names(admin)).toEqual(['Admin’s own']);
  });

  it('lets only the owner change a private view: to others it does not exist', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    const mine = (await create(owner, leads)).json();
    expect((await call(t, 'PATCH', `/api/views/${mine.id}`, { session: admin, body: { name: 'Taken over' } })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/views/${mine.id}`, { session: admin })).statusCode).toBe(404);
    expect(await names(owner)).toEqual(['Open leads']);
  });

  it('lets a workspace admin tidy up a colleague’s shared view', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    const shared = (await create(owner, { ...leads, shared: true })).json();
    const renamed = await call(t, 'PATCH', `/api/views/${shared.id}`, { session: admin, body: { name: 'Leads (team)' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Leads (team)', mine: false, canChange: true });
    expect((await call(t, 'DELETE', `/api/views/${shared.id}`, { session: admin })).statusCode).toBe(204);
    expect(await names(owner)).toEqual([]);
  });

  it('keeps workspaces apart', async () => {
    const shared = (await create(owner, { ...leads, shared: true })).json();
    const { admin: stranger } = await workspaceWithAdmin(t);
    expect(await names(stranger)).toEqual([]);
    expect((await call(t, 'PATCH', `/api/views/${shared.id}`, { session: stranger, body: { name: 'x' } })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/views/${shared.id}`, { session: stranger })).statusCode).toBe(404);
    expect(await names(owner)).toEqual(['Open leads']);
  });

  it('keeps no personal value: filters and sort on public and internal fields only, no email or phone as the search', async () => {
    const cases: [unknown, string, string][] = [
      [{ filters: ['email:eq:zhang.wei@example.com'] }, 'field_not_filterable', 'email'],
      [{ kind: 'person', filters: ['name:contains:张'] }, 'field_not_filterable', 'name'],
      [{ filters: ['nationalId:notEmpty'] }, 'field_not_filterable', 'nationalId'],
      [{ sort: '-phone' }, 'field_not_sortable', 'phone'],
      [{ filters: ['shoeSize:gt:42'] }, 'unknown_field', 'shoeSize'],
      [{ kind: 'company', filters: ['gender:eq:female'] }, 'unknown_field', 'gender'],
      [{ kind: 'company', filters: ['companyId:empty'] }, 'unknown_field', 'companyId'],
      [{ filters: ['doNotContact:eq:maybe'] }, 'invalid_filter', 'doNotContact'],
      [{ sort: 'tags' }, 'field_not_sortable', 'tags'],
      [{ q: 'zhang.wei@example.com' }, 'personal_value_in_view', 'q'],
      [{ q: '138 0013 8000' }, 'personal_value_in_view', 'q'],
      [{ q: '１３８００１３８０００' }, 'personal_value_in_view', 'q'],
    ];
    for (const [definition, code, field] of cases) {
      const response = await create(owner, { name: 'x', definition });
      expect(response.statusCode, JSON.stringify(definition)).toBe(400);
      expect(response.json().error).toMatchObject({ code, field });
    }
    // A company's name is public; record keys and internal fields are fine with any kind.
    const fine = await create(owner, { name: 'ok', definition: { kind: 'company', q: 'Acme 2024', filters: ['name:contains:acme', 'createdAt:gte:2026-01-01T00:00:00.000Z', 'tags:contains:vip', 'source:empty'], sort: 'name' } });
    expect(fine.statusCode).toBe(201);
    expect(await names(owner)).toEqual(['ok']);
  });

  it('refuses unknown properties, malformed filters and oversized views with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...leads, color: 'red' }, 'color'],
      [{ ...leads, definition: { ...leads.definition, groupBy: 'owner' } }, 'groupBy'],
      [{ ...leads, name: '' }, 'name'],
      [{ ...leads, name: '   ' }, 'name'],
      [{ ...leads, name: 'x'.repeat(VIEW_LIMITS.name + 1) }, 'name'],
      [{ ...leads, definition: { filters: ['lifecycleStage=lead'] } }, 'definition.filters.0'],
      [{ ...leads, definition: { filters: ['lifecycleStage:like:lead'] } }, 'definition.filters.0'],
      [{ ...leads, definition: { filters: Array.from({ length: VIEW_LIMITS.filters + 1 }, () => 'source:empty') } }, 'definition.filters'],
      [{ ...leads, definition: { columns: Array.from({ length: VIEW_LIMITS.columns + 1 }, (_, i) => `field${i}`) } }, 'definition.columns'],
      [{ ...leads, definition: { sort: 'name desc' } }, 'definition.sort'],
      [{ ...leads, definition: { kind: 'robot' } }, 'definition.kind'],
    ];
    for (const [body, field] of cases) {
      const response = await create(owner, body);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().error.field, JSON.stringify(body).slice(0, 80)).toBe(field);
    }
    const view = (await create(owner, leads)).json();
    const empty = await call(t, 'PATCH', `/api/views/${view.id}`, { session: owner, body: {} });
    expect(empty.statusCode).toBe(400);
    expect((await call(t, 'PATCH', `/api/views/${view.id}`, { session: owner, body: { owner: 'someone' } })).json().error.field).toBe('owner');
    expect(await names(owner)).toEqual(['Open leads']);
  });

  it(`keeps at most ${VIEW_LIMITS.viewsPerUser} views a user`, async () => {
    for (let i = 0; i < VIEW_LIMITS.viewsPerUser; i += 1) expect((await create(owner, { name: `View ${i}`, definition: {} })).statusCode).toBe(201);
    const one = await create(owner, { name: 'One too many', definition: {} });
    expect(one.statusCode).toBe(409);
    expect(one.json().error.code).toBe('too_many_views');
    expect(await names(owner)).toHaveLength(VIEW_LIMITS.viewsPerUser);
    // The bound is per user: a colleague still has room.
    expect((await create(await inviteMember(t, owner, 'admin'), { name: 'Mine', definition: {} })).statusCode).toBe(201);
  });

  it('records who created, changed and deleted a view, never its settings', async () => {
    const view = (await create(owner, { name: 'Churned VIPs', definition: { q: 'acme', filters: ['tags:contains:vip'] } })).json();
    await call(t, 'PATCH', `/api/views/${view.id}`, { session: owner, body: { shared: true } });
    await call(t, 'DELETE', `/api/views/${view.id}`, { session: owner });
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'metadata', 'object_id', 'actor_type'])
      .where('workspace_id', '=', workspaceId)
      .where('action', 'like', 'view.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.action, JSON.parse(e.metadata)])).toEqual([
      ['view.created', { shared: false }],
      ['view.updated', { changes: ['shared'], shared: true }],
      ['view.deleted', { ownerId: expect.any(String), shared: true }],
    ]);
    expect(events.every((e) => e.object_id === view.id && e.actor_type === 'user')).toBe(true);
    expect(events.map((e) => e.metadata).join(' ')).not.toMatch(/acme|vip|Churned/);
  });
});

describe('who may keep views: whoever may read customers', () => {
  it('lets an admin, refuses a member with 403 (recorded) and a stranger with 401', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    expect((await create(admin, leads)).statusCode).toBe(201);

    const rep = await memberWithoutAccess(t, owner, workspaceId);
    expect((await call(t, 'GET', '/api/views', { session: rep })).statusCode).toBe(403);
    expect((await create(rep, leads)).statusCode).toBe(403);
    const shared = (await create(owner, { ...leads, shared: true })).json();
    expect((await call(t, 'PATCH', `/api/views/${shared.id}`, { session: rep, body: { name: 'x' } })).statusCode).toBe(403);
    expect((await call(t, 'DELETE', `/api/views/${shared.id}`, { session: rep })).statusCode).toBe(403);
    const denied = await t.db.selectFrom('audit_events').select('action').where('workspace_id', '=', workspaceId).where('action', '=', 'access.denied').orderBy('seq').execute();
    expect(denied).toHaveLength(4);

    expect((await call(t, 'GET', '/api/views')).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/views', { body: leads })).statusCode).toBe(401);
    expect((await call(t, 'PATCH', `/api/views/${shared.id}`, { body: { name: 'x' } })).statusCode).toBe(401);
    expect((await call(t, 'DELETE', `/api/views/${shared.id}`)).statusCode).toBe(401);
  });
});

describe('the view policy', () => {
  const actor = (userId: string, role: 'owner' | 'admin' | 'sales_rep'): Extract<Actor, { kind: 'user' }> => ({
    kind: 'user',
    workspaceId: 'w',
    userId,
    role,
    access: { userId, teamId: null, subtree: new Set(), permissions: DEFAULT_ROLES.find((r) => r.key === role)!.permissions },
    breakGlassId: null,
    sessionId: null,
    tokenId: null,
    reauthAt: null,
    ip: null,
    userAgent: null,
  });
  it.each([
    ['the owner, private', actor('u1', 'sales_rep'), { owner_user_id: 'u1', shared: 0 }, true, true],
    ['a colleague, private', actor('u2', 'admin'), { owner_user_id: 'u1', shared: 0 }, false, false],
    ['an admin, shared', actor('u2', 'admin'), { owner_user_id: 'u1', shared: 1 }, true, true],
    ['a workspace owner, shared', actor('u2', 'owner'), { owner_user_id: 'u1', shared: 1 }, true, true],
    ['a member, shared', actor('u2', 'sales_rep'), { owner_user_id: 'u1', shared: 1 }, true, false],
  ] as const)('%s', (_, who, view, sees, changes) => {
    expect(maySeeView(who, view)).toBe(sees);
    expect(mayChangeView(who, view)).toBe(changes);
  });
});
