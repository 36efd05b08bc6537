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

const REASON = 'Customer complaint escalated by legal, ticket LEG-42';
const events = async (action: string) =>
  (await t.db.selectFrom('audit_events').select(['metadata', 'actor_id']).where('workspace_id', '=', workspaceId).where('action', '=', action).orderBy('seq').execute()).map((e) => JSON.parse(e.metadata));

describe('break-glass', () => {
  it('lets an administrator take time-boxed access with a reason, tells the other administrators, and ends on its own', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    const policies = async () => (await call(t, 'GET', '/api/auth/me', { session: admin })).json().policies;
    expect(await policies()).toMatchObject({ breakGlass: true, breakGlassActive: false });
    expect((await policies()).objects.customers).not.toContain('reveal');
    const started = await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: REASON, minutes: 30 } });
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json().reason).toBe(REASON);
    expect((await call(t, 'GET', '/api/account/break-glass', { session: admin })).json().grant).toMatchObject({ reason: REASON });
    // Under the grant the administrator has the owner's access, revealing included.
    expect(await policies()).toMatchObject({ breakGlassActive: true });
    expect((await policies()).objects.customers).toContain('reveal');
    expect((await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: REASON } })).json().error.code).toBe('break_glass_active');
    // Everything done under the grant is marked with it in the audit trail, not only reveals.
    const created = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'Under Glass' } });
    expect(created.statusCode).toBe(201);
    expect((await call(t, 'GET', `/api/customers/${created.json().id}`, { session: admin })).statusCode).toBe(200);
    expect(await events('customer.created')).toEqual([expect.objectContaining({ breakGlassId: started.json().id })]);
    expect(await events('customer.viewed')).toEqual([expect.objectContaining({ breakGlassId: started.json().id })]);

    const told = (await call(t, 'GET', '/api/notifications', { session: owner })).json().items;
    expect(told).toEqual([expect.objectContaining({ kind: 'break_glass.started', payload: expect.objectContaining({ displayName: 'admin', reason: REASON }), readAt: null })]);
    expect((await call(t, 'GET', '/api/notifications', { session: admin })).json().items).toEqual([]);
    expect((await call(t, 'POST', `/api/notifications/${told[0].id}/read`, { session: owner })).statusCode).toBe(204);
    expect((await call(t, 'POST', `/api/notifications/${told[0].id}/read`, { session: admin })).statusCode).toBe(404);

    const adminId = (await call(t, 'GET', '/api/auth/me', { session: admin })).json().user.id;
    t.clock.advance(29 * 60_000);
    expect(await t.services.breakGlass.closeExpired()).toBe(0);
    expect(await t.services.breakGlass.current(workspaceId, adminId)).toMatchObject({ id: started.json().id });
    t.clock.advance(2 * 60_000);
    expect(await t.services.breakGlass.closeExpired()).toBe(1);
    expect(await t.services.breakGlass.current(workspaceId, adminId)).toBeNull();
    expect(await events('break_glass.started')).toEqual([{ reason: REASON, minutes: 30 }]);
    expect(await events('break_glass.ended')).toEqual([{ early: false }]);
  });

  it('ends early on request, and is refused without a reason, beyond four hours, and to other roles', async () => {
    const admin = await inviteMember(t, owner, 'admin');
    expect((await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: 'because' } })).statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: REASON, minutes: 241 } })).statusCode).toBe(400);
    const started = await call(t, 'POST', '/api/account/break-glass', { session: admin, body: { reason: REASON } });
    expect(started.statusCode).toBe(201);
    expect((await call(t, 'DELETE', '/api/account/break-glass', { session: admin })).statusCode).toBe(204);
    expect((await call(t, 'DELETE', '/api/account/break-glass', { session: admin })).statusCode).toBe(404);
    // Ending it is the grant's last act; what the administrator does afterwards is no longer marked.
    expect(await events('break_glass.ended')).toEqual([{ early: true, breakGlassId: started.json().id }]);
    expect((await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', name: 'After Glass' } })).statusCode).toBe(201);
    expect((await events('customer.created')).at(-1)).not.toHaveProperty('breakGlassId');

    const rep = await inviteMember(t, owner, 'sales_rep');
    expect((await call(t, 'POST', '/api/account/break-glass', { session: rep, body: { reason: REASON } })).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/account/break-glass', { body: { reason: REASON } })).statusCode).toBe(401);
  });
});
