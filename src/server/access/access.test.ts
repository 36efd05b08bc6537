import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { DEFAULT_ROLES } from './default-roles.js';
import { buildWorkspace, call, createTestApp, inviteMember, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

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

/** A user holding a role of the workspace's own (invitations offer the built-in roles only). */
async function userWithCustomRole(role: string): Promise<void> {
  await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email: uniqueEmail(role), displayName: role, password: STRONG_PASSWORD, role });
}

const salesRep = DEFAULT_ROLES.find((role) => role.key === 'sales_rep')!;
const actions = async () => (await t.db.selectFrom('audit_events').select(['action', 'metadata']).where('workspace_id', '=', workspaceId).orderBy('id').execute()).map((e) => e.action);

describe('roles as data', () => {
  it('lists the default roles, adds a custom one, changes and resets roles, and records every change', async () => {
    const listed = (await call(t, 'GET', '/api/admin/roles', { session: owner })).json().items;
    expect(listed.map((r: { key: string }) => r.key)).toEqual(DEFAULT_ROLES.map((r) => r.key));

    const custom = await call(t, 'POST', '/api/admin/roles', {
      session: owner,
      body: { key: 'key_account_manager', labels: { en: 'Key account manager', 'zh-CN': '大客户经理' }, permissions: salesRep.permissions },
    });
    expect(custom.statusCode, custom.body).toBe(201);
    expect(custom.json()).toMatchObject({ key: 'key_account_manager', builtIn: false });

    const narrower = { ...salesRep.permissions, objects: { customers: { read: 'own' } } };
    const changed = await call(t, 'PATCH', '/api/admin/roles/sales_rep', { session: owner, body: { permissions: narrower } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().permissions.objects).toEqual({ customers: { read: 'own' } });
    const event = await t.db.selectFrom('audit_events').select('metadata').where('action', '=', 'role.updated').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata).changes).toEqual(expect.arrayContaining(['objects.customers.read', 'objects.notes.read']));

    expect((await call(t, 'DELETE', '/api/admin/roles/sales_rep', { session: owner })).statusCode).toBe(204);
    const reset = (await call(t, 'GET', '/api/admin/roles', { session: owner })).json().items.find((r: { key: string }) => r.key === 'sales_rep');
    expect(reset.permissions).toEqual(salesRep.permissions);

    expect(await actions()).toEqual(expect.arrayContaining(['role.created', 'role.updated', 'role.reset']));
  });

  it('refuses to change the owner role, bad permissions, duplicate keys and deleting a role in use', async () => {
    expect((await call(t, 'PATCH', '/api/admin/roles/owner', { session: owner, body: { labels: { en: 'Boss', 'zh-CN': '老板' } } })).json().error.code).toBe('role_locked');
    const bad = await call(t, 'POST', '/api/admin/roles', {
      session: owner,
      body: { key: 'broken', labels: { en: 'B', 'zh-CN': 'B' }, permissions: { ...salesRep.permissions, objects: { customers: { read: 'everyone' } } } },
    });
    expect(bad.statusCode).toBe(400);
    const unknownObject = await call(t, 'POST', '/api/admin/roles', {
      session: owner,
      body: { key: 'broken', labels: { en: 'B', 'zh-CN': 'B' }, permissions: { ...salesRep.permissions, objects: { deals: { read: 'all' } } } },
    });
    expect(unknownObject.statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key: 'sales_rep', labels: { en: 'x', 'zh-CN': 'x' }, permissions: salesRep.permissions } })).statusCode).toBe(409);

    await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key: 'temp_staff', labels: { en: 'Temp', 'zh-CN': '临时' }, permissions: salesRep.permissions } });
    await userWithCustomRole('temp_staff');
    expect((await call(t, 'DELETE', '/api/admin/roles/temp_staff', { session: owner })).json().error.code).toBe('role_in_use');
  });

  it('is for those whose role manages roles: a sales rep is refused, a stranger is not signed in', async () => {
    const rep = await inviteMember(t, owner, 'sales_rep');
    expect((await call(t, 'GET', '/api/admin/roles', { session: rep })).statusCode).toBe(403);
    expect((await call(t, 'PATCH', '/api/admin/roles/sales_rep', { session: rep, body: { labels: { en: 'x', 'zh-CN': 'x' } } })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/admin/teams', { session: rep, body: { name: 'Mine' } })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/admin/teams')).statusCode).toBe(401);
  });

  it('keeps managing users and managing settings apart: each capability opens its own pages only', async () => {
    const nothing = { objects: {}, fields: { byClass: { public: 'hidden', internal: 'hidden', personal: 'hidden', sensitive: 'hidden' }, byField: {} } };
    for (const [key, capability] of [['settings_keeper', 'manageSettings'], ['people_manager', 'manageUsers']]) {
      const made = await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key, labels: { en: key, 'zh-CN': key }, permissions: { ...nothing, capabilities: [capability] } } });
      expect(made.statusCode, made.body).toBe(201);
    }
    const as = async (role: string) => {
      const email = uniqueEmail(role);
      await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: role, password: STRONG_PASSWORD, role });
      return signIn(t, email, STRONG_PASSWORD);
    };
    const keeper = await as('settings_keeper');
    const manager = await as('people_manager');
    for (const url of ['/api/admin/settings', '/api/admin/keys']) {
      expect((await call(t, 'GET', url, { session: keeper })).statusCode, url).toBe(200);
      expect((await call(t, 'GET', url, { session: manager })).statusCode, url).toBe(403);
    }
    const field = { kind: 'person', key: 'loyaltyTier', type: 'text', labels: { en: 'Tier', 'zh-CN': '等级' }, sensitivity: 'internal' };
    expect((await call(t, 'POST', '/api/admin/fields', { session: manager, body: field })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/admin/fields', { session: keeper, body: field })).statusCode).toBe(201);
    expect((await call(t, 'GET', '/api/admin/users', { session: keeper })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/admin/users', { session: manager })).statusCode).toBe(200);
  });
});

describe('teams', () => {
  it('builds a hierarchy, refuses cycles, moves users, and deletes only empty teams', async () => {
    const east = (await call(t, 'POST', '/api/admin/teams', { session: owner, body: { name: 'Sales East' } })).json();
    const shanghai = (await call(t, 'POST', '/api/admin/teams', { session: owner, body: { name: 'Shanghai', parentId: east.id } })).json();
    expect(shanghai).toMatchObject({ name: 'Shanghai', parentId: east.id });
    expect((await call(t, 'POST', '/api/admin/teams', { session: owner, body: { name: 'Shanghai' } })).statusCode).toBe(409);
    expect((await call(t, 'PATCH', `/api/admin/teams/${east.id}`, { session: owner, body: { parentId: shanghai.id } })).json().error.code).toBe('team_cycle');
    expect((await call(t, 'PATCH', `/api/admin/teams/${east.id}`, { session: owner, body: { name: 'East' } })).json().name).toBe('East');

    const me = (await call(t, 'GET', '/api/auth/me', { session: owner })).json();
    expect((await call(t, 'PUT', `/api/admin/users/${me.user.id}/team`, { session: owner, body: { teamId: shanghai.id } })).statusCode).toBe(204);
    expect((await call(t, 'DELETE', `/api/admin/teams/${east.id}`, { session: owner })).json().error.code).toBe('team_has_subteams');
    expect((await call(t, 'DELETE', `/api/admin/teams/${shanghai.id}`, { session: owner })).json().error.code).toBe('team_has_members');
    await call(t, 'PUT', `/api/admin/users/${me.user.id}/team`, { session: owner, body: { teamId: null } });
    expect((await call(t, 'DELETE', `/api/admin/teams/${shanghai.id}`, { session: owner })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/admin/teams', { session: owner })).json().items).toEqual([{ id: east.id, name: 'East', parentId: null }]);
    expect(await actions()).toEqual(expect.arrayContaining(['team.created', 'team.updated', 'user.team_changed', 'team.deleted']));
  });

  it('gives users the workspace’s own roles and shows each user’s team', async () => {
    await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key: 'key_account_manager', labels: { en: 'KAM', 'zh-CN': '大客户经理' }, permissions: salesRep.permissions } });
    const team = (await call(t, 'POST', '/api/admin/teams', { session: owner, body: { name: 'Key accounts' } })).json();
    const invited = await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: uniqueEmail('kam'), role: 'key_account_manager' } });
    expect(invited.statusCode, invited.body).toBe(201);
    const rep = await inviteMember(t, owner, 'sales_rep');
    const repId = (await call(t, 'GET', '/api/auth/me', { session: rep })).json().user.id;
    expect((await call(t, 'PATCH', `/api/admin/users/${repId}`, { session: owner, body: { role: 'key_account_manager' } })).json().user.role).toBe('key_account_manager');
    expect((await call(t, 'PATCH', `/api/admin/users/${repId}`, { session: owner, body: { role: 'wizard' } })).json().error.code).toBe('invalid_role');
    await call(t, 'PUT', `/api/admin/users/${repId}/team`, { session: owner, body: { teamId: team.id } });
    const listed = (await call(t, 'GET', '/api/admin/users', { session: owner })).json().items.find((u: { id: string }) => u.id === repId);
    expect(listed).toMatchObject({ role: 'key_account_manager', teamId: team.id });
  });

  it('keeps each workspace’s teams and roles to itself', async () => {
    await call(t, 'POST', '/api/admin/teams', { session: owner, body: { name: 'Sales East' } });
    const other = await buildWorkspace(t);
    const theirOwner = await signIn(t, other.email, other.password);
    expect((await call(t, 'GET', '/api/admin/teams', { session: theirOwner })).json().items).toEqual([]);
    const ours = (await call(t, 'GET', '/api/admin/teams', { session: owner })).json().items[0];
    expect((await call(t, 'DELETE', `/api/admin/teams/${ours.id}`, { session: theirOwner })).statusCode).toBe(404);
  });
});
