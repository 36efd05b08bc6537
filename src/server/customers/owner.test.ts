import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import { call, createTestApp, memberWithoutAccess, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

/**
 * Issue #4, item 3: every customer has an owner and an owning team; handing a customer over is
 * itself permissioned (the `reassignOwner` capability, the record within the update scope, and
 * a manager only within their sub-teams) and recorded with the change. Item 9: a customer read
 * on its own says what the caller may do to it, as the server would decide.
 */
let t: TestApp;
let owner: Session;
let ownerId: string;
let workspaceId: string;
const teams: Record<string, string> = {};

interface Member {
  session: Session;
  id: string;
}

async function member(role: string, team: string | null): Promise<Member> {
  const email = uniqueEmail(role);
  const user = await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: `${role} ${team ?? 'none'}`, password: STRONG_PASSWORD, role, teamId: team ? teams[team]! : null });
  return { session: await signIn(t, email, STRONG_PASSWORD), id: user.id };
}

async function createAs(session: Session, body: Record<string, unknown> = {}): Promise<string> {
  const response = await call(t, 'POST', '/api/customers', { session, body: { kind: 'person', name: '张伟', phone: '138 0013 8000', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const reassign = (session: Session | undefined, id: string, body: Record<string, unknown>) => call(t, 'PUT', `/api/customers/${id}/owner`, { session, body });
const reassignMany = (session: Session, body: Record<string, unknown>) => call(t, 'POST', '/api/customers/reassign', { session, body });
const stored = (id: string) => t.db.selectFrom('customers').select(['owner_user_id', 'team_id']).where('id', '=', id).executeTakeFirstOrThrow();
const ownerEvents = async () =>
  (await t.db.selectFrom('audit_events').select(['object_id', 'metadata']).where('workspace_id', '=', workspaceId).where('action', '=', 'customer.owner_changed').orderBy('id').execute()).map((event) => ({
    id: event.object_id,
    ...JSON.parse(event.metadata),
  }));

beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin: owner } = await workspaceWithAdmin(t));
  ownerId = (await call(t, 'GET', '/api/auth/me', { session: owner })).json().user.id;
  const system = systemActor(workspaceId, 'test');
  teams.east = (await t.services.access.addTeam(system, { name: 'East' })).id;
  teams.shanghai = (await t.services.access.addTeam(system, { name: 'Shanghai', parentId: teams.east })).id;
  teams.west = (await t.services.access.addTeam(system, { name: 'West' })).id;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await t.close();
});

describe('reassigning a customer’s owner', () => {
  it('lets the owner hand a customer to a sales rep, who then reads it in clear as their own; the change is recorded', async () => {
    const rep = await member('sales_rep', 'east');
    const id = await createAs(owner);
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: rep.session })).statusCode).toBe(404);

    const moved = await reassign(owner, id, { ownerId: rep.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id, ownerId: rep.id, phone: '+8613800138000', allowed: { update: true, delete: true, reassign: true } });
    // The owning team follows the new owner unless another is named.
    expect(await stored(id)).toEqual({ owner_user_id: rep.id, team_id: teams.east });
    expect(await ownerEvents()).toEqual([{ id, from: ownerId, to: rep.id, fromTeam: null, toTeam: teams.east }]);

    const read = (await call(t, 'GET', `/api/customers/${id}`, { session: rep.session })).json();
    expect(read).toMatchObject({ name: '张伟', phone: '+8613800138000', ownerId: rep.id, allowed: { update: true, delete: true, reassign: false, reveal: false } });

    // Handing it to whoever already has it changes nothing and records nothing.
    expect((await reassign(owner, id, { ownerId: rep.id })).statusCode).toBe(200);
    expect(await ownerEvents()).toHaveLength(1);
  });

  it('lets an administrator hand a customer to anyone in the workspace, into any team or none', async () => {
    const admin = await member('admin', null);
    const westRep = await member('sales_rep', 'west');
    const id = await createAs(owner);
    expect((await reassign(admin.session, id, { ownerId: westRep.id, teamId: teams.east })).statusCode).toBe(200);
    expect(await stored(id)).toEqual({ owner_user_id: westRep.id, team_id: teams.east });
    expect((await reassign(admin.session, id, { ownerId: westRep.id, teamId: null })).statusCode).toBe(200);
    expect(await stored(id)).toEqual({ owner_user_id: westRep.id, team_id: null });
  });

  it('lets a sales manager hand customers only to users of their team and sub-teams, into those teams', async () => {
    const manager = await member('sales_manager', 'east');
    const eastRep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const westRep = await member('sales_rep', 'west');
    const id = await createAs(eastRep.session);

    expect((await reassign(manager.session, id, { ownerId: shanghaiRep.id })).statusCode).toBe(200);
    expect(await stored(id)).toEqual({ owner_user_id: shanghaiRep.id, team_id: teams.shanghai });

    const outside = await reassign(manager.session, id, { ownerId: westRep.id });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error).toMatchObject({ code: 'owner_out_of_scope', field: 'ownerId' });
    // Nor into a team outside theirs, nor out of every team (the customer would leave their reach).
    for (const teamId of [teams.west, null]) {
      const refused = await reassign(manager.session, id, { ownerId: eastRep.id, teamId });
      expect(refused.statusCode, String(teamId)).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'team_out_of_scope', field: 'teamId' });
    }
    expect(await stored(id)).toEqual({ owner_user_id: shanghaiRep.id, team_id: teams.shanghai });

    // Their own, they may take; another team's customer is not theirs to see.
    expect((await reassign(manager.session, id, { ownerId: manager.id })).statusCode).toBe(200);
    const west = await createAs(westRep.session);
    expect((await reassign(manager.session, west, { ownerId: eastRep.id })).statusCode).toBe(404);
    expect(await stored(west)).toEqual({ owner_user_id: westRep.id, team_id: teams.west });
  });

  it('refuses roles without the capability, strangers and other workspaces, and changes nothing', async () => {
    const rep = await member('sales_rep', 'east');
    const otherRep = await member('sales_rep', 'east');
    const agent = await member('support_agent', null);
    const id = await createAs(rep.session);

    const byRep = await reassign(rep.session, id, { ownerId: otherRep.id });
    expect(byRep.statusCode).toBe(403);
    expect(byRep.json().error.code).toBe('forbidden');
    expect((await reassign(agent.session, id, { ownerId: agent.id })).statusCode).toBe(403);
    expect((await reassign(await memberWithoutAccess(t, owner, workspaceId), id, { ownerId: rep.id })).statusCode).toBe(403);
    expect((await reassign(undefined, id, { ownerId: rep.id })).statusCode).toBe(401);
    const other = await workspaceWithAdmin(t);
    const otherOwnerId = (await call(t, 'GET', '/api/auth/me', { session: other.admin })).json().user.id;
    expect((await reassign(other.admin, id, { ownerId: otherOwnerId })).statusCode).toBe(404);
    expect((await reassign(owner, '0190f5a2-0000-7000-8000-000000000000', { ownerId: rep.id })).statusCode).toBe(404);

    expect(await stored(id)).toEqual({ owner_user_id: rep.id, team_id: teams.east });
    expect(await ownerEvents()).toEqual([]);
    const denied = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).where('action', '=', 'access.denied').orderBy('seq').execute();
    expect(denied.map((event) => JSON.parse(event.metadata).route)).toContain('/api/customers/:id/owner');
  });

  it('names the field when the new owner or team is not one of the workspace’s', async () => {
    const rep = await member('sales_rep', 'east');
    const leaver = await member('sales_rep', 'east');
    const id = await createAs(owner);
    expect((await call(t, 'POST', `/api/admin/users/${leaver.id}/deactivate`, { session: owner })).statusCode).toBe(200);
    const other = await workspaceWithAdmin(t);
    const stranger = (await call(t, 'GET', '/api/auth/me', { session: other.admin })).json().user.id;

    for (const ownerIdGiven of [leaver.id, stranger, '0190f5a2-0000-7000-8000-000000000000']) {
      const refused = await reassign(owner, id, { ownerId: ownerIdGiven });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'invalid_owner', field: 'ownerId' });
    }
    const noTeam = await reassign(owner, id, { ownerId: rep.id, teamId: '0190f5a2-0000-7000-8000-000000000000' });
    expect(noTeam.json().error).toMatchObject({ code: 'invalid_team', field: 'teamId' });
    expect((await reassign(owner, id, { ownerId: 'not-an-id' })).json().error).toMatchObject({ code: 'invalid_input', field: 'ownerId' });
    expect((await reassign(owner, id, { ownerId: rep.id, reason: 'x' })).json().error).toMatchObject({ code: 'invalid_input', field: 'reason' });
    expect(await stored(id)).toEqual({ owner_user_id: ownerId, team_id: null });
  });

  it('records the change in the transaction that makes it: when the event cannot be written, the owner stays', async () => {
    const rep = await member('sales_rep', 'east');
    const ids = [await createAs(owner), await createAs(owner, { phone: '139 1234 5678' })];
    const recordMany = t.services.audit.recordMany.bind(t.services.audit);
    vi.spyOn(t.services.audit, 'recordMany').mockImplementation(((actor, events, executor) => {
      if (events.some((event) => event.action === 'customer.owner_changed')) throw new Error('audit store unavailable');
      return recordMany(actor, events, executor);
    }) as AuditService['recordMany']);
    expect((await reassign(owner, ids[0]!, { ownerId: rep.id })).statusCode).toBe(500);
    expect((await reassignMany(owner, { ids, ownerId: rep.id })).statusCode).toBe(500);
    vi.restoreAllMocks();
    for (const id of ids) expect(await stored(id)).toEqual({ owner_user_id: ownerId, team_id: null });
    expect(await ownerEvents()).toEqual([]);
  });
});

describe('reassigning many customers at once', () => {
  it('hands over each customer the caller may reassign and lists the others as not found, alike', async () => {
    const manager = await member('sales_manager', 'east');
    const eastRep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const westRep = await member('sales_rep', 'west');
    const mine = [await createAs(eastRep.session), await createAs(eastRep.session, { phone: '139 1234 5678' })];
    const west = await createAs(westRep.session);
    const missing = '0190f5a2-0000-7000-8000-000000000000';

    const done = await reassignMany(manager.session, { ids: [...mine, west, missing, mine[0]], ownerId: shanghaiRep.id });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ reassigned: 2, notFound: [west, missing] });
    for (const id of mine) expect(await stored(id)).toEqual({ owner_user_id: shanghaiRep.id, team_id: teams.shanghai });
    expect(await stored(west)).toEqual({ owner_user_id: westRep.id, team_id: teams.west });
    expect((await ownerEvents()).map((event) => [event.id, event.from, event.to])).toEqual(expect.arrayContaining(mine.map((id) => [id, eastRep.id, shanghaiRep.id])));
    expect(await ownerEvents()).toHaveLength(2);

    // The same rules as one at a time.
    expect((await reassignMany(manager.session, { ids: mine, ownerId: westRep.id })).json().error.code).toBe('owner_out_of_scope');
    expect((await reassignMany(eastRep.session, { ids: mine, ownerId: eastRep.id })).statusCode).toBe(403);
    expect((await reassignMany(owner, { ids: [], ownerId: eastRep.id })).json().error).toMatchObject({ code: 'invalid_input', field: 'ids' });
    expect((await reassignMany(owner, { ids: Array.from({ length: 501 }, () => missing), ownerId: eastRep.id })).json().error).toMatchObject({ code: 'invalid_input', field: 'ids' });
  });
});

describe('whom a customer may be handed to', () => {
  it('lists the active users and teams within the caller’s reach, and refuses roles without the capability', async () => {
    const manager = await member('sales_manager', 'east');
    const eastRep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const westRep = await member('sales_rep', 'west');
    const leaver = await member('sales_rep', 'east');
    expect((await call(t, 'POST', `/api/admin/users/${leaver.id}/deactivate`, { session: owner })).statusCode).toBe(200);

    const forManager = (await call(t, 'GET', '/api/customers/assignable-owners', { session: manager.session })).json();
    expect(forManager.items.map((user: { id: string }) => user.id).sort()).toEqual([manager.id, eastRep.id, shanghaiRep.id].sort());
    expect(forManager.items.find((user: { id: string }) => user.id === shanghaiRep.id)).toEqual({ id: shanghaiRep.id, name: 'sales_rep shanghai', teamId: teams.shanghai, teamName: 'Shanghai' });
    expect(forManager.teams).toEqual([
      { id: teams.east, name: 'East' },
      { id: teams.shanghai, name: 'Shanghai' },
    ]);

    const forOwner = (await call(t, 'GET', '/api/customers/assignable-owners', { session: owner })).json();
    expect(forOwner.items.map((user: { id: string }) => user.id).sort()).toEqual([ownerId, manager.id, eastRep.id, shanghaiRep.id, westRep.id].sort());
    expect(forOwner.teams.map((team: { name: string }) => team.name)).toEqual(['East', 'Shanghai', 'West']);

    expect((await call(t, 'GET', '/api/customers/assignable-owners', { session: eastRep.session })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/customers/assignable-owners')).statusCode).toBe(401);
  });

  it('tells the web app who may hand customers over, as the server decides it: the owner, an administrator and a manager, not a rep', async () => {
    const mayReassign = async (session: Session) => (await call(t, 'GET', '/api/auth/me', { session })).json().policies.reassignOwner;
    const manager = await member('sales_manager', 'east');
    const admin = await member('admin', null);
    const rep = await member('sales_rep', 'east');
    const analyst = await member('analyst', null);
    expect(await mayReassign(owner)).toBe(true);
    expect(await mayReassign(admin.session)).toBe(true);
    expect(await mayReassign(manager.session)).toBe(true);
    expect(await mayReassign(rep.session)).toBe(false);
    expect(await mayReassign(analyst.session)).toBe(false);
    expect((await call(t, 'GET', '/api/customers/assignable-owners', { session: rep.session })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/customers/assignable-owners', { session: analyst.session })).statusCode).toBe(403);
  });
});

describe('what a customer read on its own says the caller may do', () => {
  const allowed = async (session: Session, id: string) => (await call(t, 'GET', `/api/customers/${id}`, { session })).json().allowed;

  it('agrees with what the server does for a sales rep: their own, their team’s and a sub-team’s customers', async () => {
    const rep = await member('sales_rep', 'east');
    const teammate = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const own = await createAs(rep.session);
    const team = await createAs(teammate.session, { phone: '139 1234 5678' });
    const sub = await createAs(shanghaiRep.session, { phone: '137 0000 1111' });

    expect(await allowed(rep.session, own)).toEqual({ update: true, delete: true, reassign: false, reveal: false });
    expect(await allowed(rep.session, team)).toEqual({ update: true, delete: false, reassign: false, reveal: false });
    expect(await allowed(rep.session, sub)).toEqual({ update: false, delete: false, reassign: false, reveal: false });

    const change = { lifecycleStage: 'customer' };
    expect((await call(t, 'PATCH', `/api/customers/${own}`, { session: rep.session, body: change })).statusCode).toBe(200);
    expect((await call(t, 'PATCH', `/api/customers/${team}`, { session: rep.session, body: change })).statusCode).toBe(200);
    expect((await call(t, 'PATCH', `/api/customers/${sub}`, { session: rep.session, body: change })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/customers/${team}`, { session: rep.session })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/customers/${sub}`, { session: rep.session })).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/customers/${own}/reveal`, { session: rep.session, body: { fields: ['phone'], reason: 'calling them back' } })).statusCode).toBe(403);
    expect((await reassign(rep.session, own, { ownerId: teammate.id })).statusCode).toBe(403);
    expect((await call(t, 'DELETE', `/api/customers/${own}`, { session: rep.session })).statusCode).toBe(204);
  });

  it('gives managers, administrators and the owner the actions their roles hold, and every single-record answer carries them', async () => {
    const manager = await member('sales_manager', 'east');
    const admin = await member('admin', null);
    const id = await createAs(manager.session);
    expect(await allowed(manager.session, id)).toEqual({ update: true, delete: true, reassign: true, reveal: true });
    // An administrator reveals only under break-glass.
    expect(await allowed(admin.session, id)).toEqual({ update: true, delete: true, reassign: true, reveal: false });
    expect(await allowed(owner, id)).toEqual({ update: true, delete: true, reassign: true, reveal: true });

    const patched = await call(t, 'PATCH', `/api/customers/${id}`, { session: admin.session, body: { lifecycleStage: 'lead' } });
    expect(patched.json().allowed).toEqual({ update: true, delete: true, reassign: true, reveal: false });
    await call(t, 'DELETE', `/api/customers/${id}`, { session: owner });
    expect((await call(t, 'POST', `/api/customers/${id}/restore`, { session: owner })).json().allowed).toEqual({ update: true, delete: true, reassign: true, reveal: true });
    // Lists leave them out: it is a question per record.
    expect((await call(t, 'GET', '/api/customers', { session: owner })).json().items[0]).not.toHaveProperty('allowed');
  });
});
