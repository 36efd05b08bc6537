import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, inviteMember, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

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

describe('support cases', () => {
  it('opens a case owned by whoever opens it, lists it, closes it once, and records each step', async () => {
    const customer = (await call(t, 'POST', '/api/customers', { session: owner, body: { kind: 'person', name: '张伟', phone: '138 0013 8000' } })).json();
    const opened = await call(t, 'POST', `/api/customers/${customer.id}/cases`, { session: owner, body: { subject: 'Refund for order SO-1001' } });
    expect(opened.statusCode, opened.body).toBe(201);
    const me = (await call(t, 'GET', '/api/auth/me', { session: owner })).json();
    expect(opened.json()).toMatchObject({ subject: 'Refund for order SO-1001', status: 'open', ownerId: me.user.id, closedAt: null });

    expect((await call(t, 'GET', `/api/customers/${customer.id}/cases`, { session: owner })).json().items).toHaveLength(1);
    const closed = await call(t, 'POST', `/api/customers/${customer.id}/cases/${opened.json().id}/close`, { session: owner });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect((await call(t, 'POST', `/api/customers/${customer.id}/cases/${opened.json().id}/close`, { session: owner })).statusCode).toBe(409);
    expect((await call(t, 'POST', `/api/customers/${customer.id}/cases`, { session: owner, body: { subject: ' ' } })).statusCode).toBe(400);
    expect((await call(t, 'POST', `/api/customers/${customer.id}/cases`, { session: owner, body: { subject: 'x', extra: 1 } })).statusCode).toBe(400);

    const actions = (await t.db.selectFrom('audit_events').select('action').where('workspace_id', '=', workspaceId).orderBy('seq').execute()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.opened', 'case.closed']));
  });

  it('keeps cases to the workspace and to those who may reach the customer', async () => {
    const customer = (await call(t, 'POST', '/api/customers', { session: owner, body: { kind: 'person', name: 'Li Na' } })).json();
    const { admin: stranger } = await workspaceWithAdmin(t);
    expect((await call(t, 'GET', `/api/customers/${customer.id}/cases`, { session: stranger })).statusCode).toBe(404);
    const analyst = await inviteMember(t, owner, 'analyst');
    expect((await call(t, 'POST', `/api/customers/${customer.id}/cases`, { session: analyst, body: { subject: 'Hi' } })).statusCode).toBe(403);
    expect((await call(t, 'GET', `/api/customers/${customer.id}/cases`)).statusCode).toBe(401);
  });
});
