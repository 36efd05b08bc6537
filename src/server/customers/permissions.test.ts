import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { call, createTestApp, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

/**
 * Issue #4 through the records gateway: record scopes by owner and team, field-level security
 * by relation, support cases, narrowed tokens and break-glass — the same on every path.
 */
let t: TestApp;
let owner: Session;
let workspaceId: string;
const teams: Record<string, string> = {};

async function member(role: string, team: string | null): Promise<Session> {
  const email = uniqueEmail(role);
  await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: role, password: STRONG_PASSWORD, role, teamId: team ? teams[team]! : null });
  return signIn(t, email, STRONG_PASSWORD);
}

async function createAs(session: Session, body: Record<string, unknown>): Promise<string> {
  const response = await call(t, 'POST', '/api/customers', { session, body: { kind: 'person', ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const ids = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((item) => item.id).sort();

beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin: owner } = await workspaceWithAdmin(t));
  const system = systemActor(workspaceId, 'test');
  teams.east = (await t.services.access.addTeam(system, { name: 'East' })).id;
  teams.shanghai = (await t.services.access.addTeam(system, { name: 'Shanghai', parentId: teams.east })).id;
  teams.west = (await t.services.access.addTeam(system, { name: 'West' })).id;
});
afterEach(async () => {
  await t.close();
});

describe('record scopes and field-level security', () => {
  it('shows a sales rep their own and team customers in clear, sub-team ones masked, and nothing of other teams', async () => {
    const rep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const westRep = await member('sales_rep', 'west');
    const withId = await call(t, 'POST', '/api/customers', { session: rep, body: { kind: 'person', name: '张伟', nationalId: '11010519491231002X' } });
    expect(withId.json().error).toMatchObject({ code: 'field_not_writable', field: 'nationalId' });
    const mine = await createAs(rep, { name: '张伟', phone: '138 0013 8000' });
    await call(t, 'PATCH', `/api/customers/${mine}`, { session: owner, body: { nationalId: '11010519491231002X' } });
    const shanghai = await createAs(shanghaiRep, { name: '李娜', phone: '139 1234 5678' });
    const west = await createAs(westRep, { name: 'Wang Fang', phone: '137 0000 1111' });

    expect(ids(await call(t, 'GET', '/api/customers', { session: rep }))).toEqual([mine, shanghai].sort());
    const own = (await call(t, 'GET', `/api/customers/${mine}`, { session: rep })).json();
    expect(own).toMatchObject({ name: '张伟', phone: '+8613800138000', ownerId: expect.any(String) });
    expect(own).not.toHaveProperty('nationalId');
    const sub = (await call(t, 'GET', `/api/customers/${shanghai}`, { session: rep })).json();
    expect(sub.phone).toBe('139****5678');
    expect((await call(t, 'GET', `/api/customers/${west}`, { session: rep })).statusCode).toBe(404);
    // Every path: lookups, sub-resources and reveal keep to the scope too.
    expect((await call(t, 'GET', '/api/customers?phone=13700001111', { session: rep })).json().items).toEqual([]);
    expect((await call(t, 'GET', `/api/customers?q=${encodeURIComponent('137 0000 1111')}`, { session: rep })).json().items).toEqual([]);
    expect((await call(t, 'GET', `/api/customers/${west}/notes`, { session: rep })).statusCode).toBe(404);
    expect((await call(t, 'GET', `/api/customers/${west}/contact-points`, { session: rep })).statusCode).toBe(404);
    // A value the rep may not see is no key to look customers up by.
    expect((await call(t, 'GET', '/api/customers?nationalId=11010519491231002X', { session: rep })).json().error.code).toBe('field_hidden');
    expect((await call(t, 'GET', '/api/customers?q=11010519491231002X', { session: rep })).json().items).toEqual([]);
  });

  it('refuses writes the role may not make, naming the field, and records out of the write scope as absent', async () => {
    const rep = await member('sales_rep', 'east');
    const shanghaiRep = await member('sales_rep', 'shanghai');
    const mine = await createAs(rep, { name: '张伟' });
    const shanghai = await createAs(shanghaiRep, { name: '李娜' });
    const refused = await call(t, 'PATCH', `/api/customers/${mine}`, { session: rep, body: { nationalId: '11010519491231002X' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'field_not_writable', field: 'nationalId' });
    expect((await call(t, 'PATCH', `/api/customers/${mine}`, { session: rep, body: { phone: '138 0013 8000' } })).statusCode).toBe(200);
    // Reading a sub-team's customer does not mean changing it: updates reach the rep's own team only.
    expect((await call(t, 'PATCH', `/api/customers/${shanghai}`, { session: rep, body: { phone: '138 0013 8000' } })).statusCode).toBe(404);
    expect((await call(t, 'DELETE', `/api/customers/${shanghai}`, { session: rep })).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/customers/${mine}/reveal`, { session: rep, body: { fields: ['phone'], reason: 'calling them back' } })).statusCode).toBe(403);
    const created = (await call(t, 'GET', `/api/customers/${mine}`, { session: owner })).json();
    expect(created.ownerId).toBeTruthy();
    const stored = await t.db.selectFrom('customers').select(['team_id']).where('id', '=', mine).executeTakeFirstOrThrow();
    expect(stored.team_id).toBe(teams.east);
  });

  it('refuses to make a contact point primary when the role may not write the customer’s own email', async () => {
    const rep = (await call(t, 'GET', '/api/admin/roles', { session: owner })).json().items.find((r: { key: string }) => r.key === 'sales_rep');
    const permissions = { ...rep.permissions, fields: { ...rep.permissions.fields, byField: { 'person.email': 'read' } } };
    expect((await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key: 'email_reader', labels: { en: 'E', 'zh-CN': 'E' }, permissions } })).statusCode).toBe(201);
    const reader = await member('email_reader', 'east');
    const id = await createAs(reader, { name: '张伟' });
    await call(t, 'PATCH', `/api/customers/${id}`, { session: owner, body: { email: 'old@example.com' } });
    const added = (await call(t, 'POST', `/api/customers/${id}/contact-points`, { session: reader, body: { type: 'email', value: 'new@example.com' } })).json();
    const swapped = await call(t, 'POST', `/api/customers/${id}/contact-points/${added.id}/primary`, { session: reader });
    expect(swapped.json().error).toMatchObject({ code: 'field_not_writable', field: 'email' });
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: owner })).json().email).toBe('old@example.com');
  });

  it('shows an analyst no personal value in clear, anywhere', async () => {
    const analyst = await member('analyst', null);
    const id = await createAs(owner, { name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000', nationalId: '11010519491231002X' });
    const listed = (await call(t, 'GET', '/api/customers', { session: analyst })).json().items[0];
    expect(listed).toMatchObject({ id, name: '张*', email: 'z***@example.com', phone: '138****8000' });
    expect(listed).not.toHaveProperty('nationalId');
    expect((await call(t, 'GET', `/api/customers/${id}/contact-points`, { session: analyst })).statusCode).toBe(403);
  });

  it('shows a support agent the phone of a customer in their open case, and only while it is open', async () => {
    const agent = await member('support_agent', null);
    const id = await createAs(owner, { name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000' });
    const phone = async () => (await call(t, 'GET', `/api/customers/${id}`, { session: agent })).json().phone;
    expect(await phone()).toBe('138****8000');
    const opened = (await call(t, 'POST', `/api/customers/${id}/cases`, { session: agent, body: { subject: 'Refund' } })).json();
    expect(await phone()).toBe('+8613800138000');
    expect((await call(t, 'GET', `/api/customers/${id}`, { session: agent })).json().email).toBe('z***@example.com');
    expect((await call(t, 'GET', '/api/customers', { session: agent })).json().items[0].phone).toBe('+8613800138000');
    await call(t, 'POST', `/api/customers/${id}/cases/${opened.id}/close`, { session: agent });
    expect(await phone()).toBe('138****8000');
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { session: agent, body: { phone: '139 0000 0000' } })).statusCode).toBe(403);
  });
});

describe('tokens and break-glass', () => {
  it('holds a narrowed token to what it was made for', async () => {
    const id = await createAs(owner, { name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000' });
    const make = async (narrowing: Record<string, unknown>) => (await call(t, 'POST', '/api/account/tokens', { session: owner, body: { name: 'n', narrowing } })).json().token as string;
    const readOnly = await make({ readOnly: true });
    expect((await call(t, 'GET', `/api/customers/${id}`, { token: readOnly })).statusCode).toBe(200);
    expect((await call(t, 'POST', '/api/customers', { token: readOnly, body: { kind: 'person', name: 'X' } })).statusCode).toBe(403);
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { token: readOnly, body: { name: 'Y' } })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/admin/users', { token: readOnly })).statusCode).toBe(403);

    const nameOnly = await make({ fields: ['person.name'] });
    const seen = (await call(t, 'GET', `/api/customers/${id}`, { token: nameOnly })).json();
    expect(seen.name).toBe('张伟');
    expect(seen).not.toHaveProperty('email');
    expect(seen).not.toHaveProperty('phone');

    const notesOnly = await make({ objects: ['notes'] });
    expect((await call(t, 'GET', `/api/customers/${id}`, { token: notesOnly })).statusCode).toBe(403);
  });

  it('lets an administrator reveal sensitive values only under break-glass, recording the grant with the reveal', async () => {
    const admin = await member('admin', null);
    const id = await createAs(owner, { name: '张伟', nationalId: '11010519491231002X' });
    const reveal = () => call(t, 'POST', `/api/customers/${id}/reveal`, { session: admin, body: { fields: ['nationalId'], reason: 'Court order 2026-17' } });
    expect((await reveal()).statusCode).toBe(403);
    const grant = (await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: 'Court order 2026-17 needs the ID' } })).json();
    expect((await reveal()).json()).toEqual({ nationalId: '11010519491231002X' });
    const event = await t.db.selectFrom('audit_events').select('metadata').where('action', '=', 'customer.revealed').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata)).toEqual({ fields: ['nationalId'], reason: 'Court order 2026-17', breakGlassId: grant.id });
  });
});
