import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditActions, buildWorkspace, call, createTestApp, signIn, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../../../test/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

function tokenOf(inviteUrl: string): string {
  return new URL(inviteUrl).hash.replace('#token=', '');
}

async function inviteAndAccept(owner: Awaited<ReturnType<typeof signIn>>, role = 'sales_rep') {
  const email = uniqueEmail('colleague');
  const invited = await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email, role } });
  expect(invited.statusCode).toBe(201);
  const token = tokenOf(invited.json().inviteUrl);
  const accepted = await call(t, 'POST', '/api/invitations/accept', { body: { token, displayName: 'Colleague', password: STRONG_PASSWORD } });
  expect(accepted.statusCode).toBe(201);
  return { email, token, user: accepted.json().user };
}

describe('invitations', () => {
  it('invites by one-time link; the colleague accepts, chooses a password and signs in', async () => {
    const { email, password, workspaceId } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const colleague = uniqueEmail('sales');
    const invited = await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: colleague, role: 'sales_rep' } });
    expect(invited.statusCode).toBe(201);
    expect(invited.json().inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invite#token=[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(invited.json().inviteUrl);

    const preview = await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ email: colleague, role: 'sales_rep' });

    const weak = await call(t, 'POST', '/api/invitations/accept', { body: { token, displayName: 'Sam', password: 'password1234' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'password' });

    const accepted = await call(t, 'POST', '/api/invitations/accept', { body: { token, displayName: 'Sam Sales', password: STRONG_PASSWORD } });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().user).toMatchObject({ email: colleague, role: 'sales_rep', status: 'active' });

    const session = await signIn(t, colleague, STRONG_PASSWORD);
    const me = (await call(t, 'GET', '/api/auth/me', { session })).json();
    expect(me.policies.manageUsers).toBe(false);
    expect(await auditActions(t, workspaceId)).toEqual(expect.arrayContaining(['invitation.created', 'user.created', 'invitation.accepted']));
  });

  it('withdraws the other pending invitations to the same address once one is accepted', async () => {
    const { email, password } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const colleague = uniqueEmail('twice');
    const first = (await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: colleague, role: 'analyst' } })).json();
    const second = (await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: colleague, role: 'sales_rep' } })).json();
    const accepted = await call(t, 'POST', '/api/invitations/accept', { body: { token: tokenOf(second.inviteUrl), displayName: 'C', password: STRONG_PASSWORD } });
    expect(accepted.json().user.role).toBe('sales_rep');
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${tokenOf(first.inviteUrl)}` })).statusCode).toBe(404);
    const list = (await call(t, 'GET', '/api/admin/invitations', { session: owner })).json().items;
    expect(list.find((i: { id: string }) => i.id === first.invitation.id).revokedAt).not.toBeNull();
  });

  it('works once', async () => {
    const { email, password } = await buildWorkspace(t);
    const { token } = await inviteAndAccept(await signIn(t, email, password));
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode).toBe(404);
    const again = await call(t, 'POST', '/api/invitations/accept', { body: { token, displayName: 'Again', password: STRONG_PASSWORD } });
    expect(again.statusCode).toBe(404);
  });

  it('expires after 72 hours and can be withdrawn', async () => {
    const { email, password } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const first = (await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: uniqueEmail(), role: 'analyst' } })).json();
    const second = (await call(t, 'POST', '/api/admin/invitations', { session: owner, body: { email: uniqueEmail(), role: 'analyst' } })).json();
    expect((await call(t, 'DELETE', `/api/admin/invitations/${second.invitation.id}`, { session: owner })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${tokenOf(second.inviteUrl)}` })).statusCode).toBe(404);

    t.clock.advance(71 * 3_600_000);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${tokenOf(first.inviteUrl)}` })).statusCode).toBe(200);
    t.clock.advance(1 * 3_600_000 + 1);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${tokenOf(first.inviteUrl)}` })).statusCode).toBe(404);
  });

  it('is for owners and admins only', async () => {
    const { email, password } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const rep = await inviteAndAccept(owner, 'sales_rep');
    const repSession = await signIn(t, rep.email, STRONG_PASSWORD);
    const refused = await call(t, 'POST', '/api/admin/invitations', { session: repSession, body: { email: uniqueEmail(), role: 'owner' } });
    expect(refused.statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/admin/users', { session: repSession })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/admin/settings', { session: repSession })).statusCode).toBe(403);
  });
});

describe('deactivation', () => {
  it('ends every session and token of the user at once', async () => {
    const { email, password, workspaceId } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const rep = await inviteAndAccept(owner);
    const laptop = await signIn(t, rep.email, STRONG_PASSWORD);
    const phone = await signIn(t, rep.email, STRONG_PASSWORD);
    const token = (await call(t, 'POST', '/api/account/tokens', { session: laptop, body: { name: 'sync' } })).json().token;
    expect((await call(t, 'GET', '/api/auth/me', { token })).statusCode).toBe(200);

    const deactivated = await call(t, 'POST', `/api/admin/users/${rep.user.id}/deactivate`, { session: owner });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().user.status).toBe('deactivated');

    for (const session of [laptop, phone]) expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { token })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: rep.email, password: STRONG_PASSWORD } })).statusCode).toBe(401);

    // Reactivation does not bring old sessions or tokens back.
    expect((await call(t, 'POST', `/api/admin/users/${rep.user.id}/reactivate`, { session: owner })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/auth/me', { session: laptop })).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { token })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: rep.email, password: STRONG_PASSWORD } })).statusCode).toBe(200);
    const event = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).where('action', '=', 'user.deactivated').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata)).toEqual({ sessionsEnded: 2, tokensRevoked: 1 });
  });

  it('refuses to deactivate yourself or demote the last owner', async () => {
    const { email, password, user } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    expect((await call(t, 'POST', `/api/admin/users/${user.id}/deactivate`, { session: owner })).json().error.code).toBe('cannot_deactivate_self');
    const demote = await call(t, 'PATCH', `/api/admin/users/${user.id}`, { session: owner, body: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('last_owner');
  });

  it('lets an admin change roles but not make owners', async () => {
    const { email, password } = await buildWorkspace(t);
    const owner = await signIn(t, email, password);
    const admin = await inviteAndAccept(owner, 'admin');
    const rep = await inviteAndAccept(owner, 'sales_rep');
    const adminSession = await signIn(t, admin.email, STRONG_PASSWORD);
    const promoted = await call(t, 'PATCH', `/api/admin/users/${rep.user.id}`, { session: adminSession, body: { role: 'sales_manager' } });
    expect(promoted.json().user.role).toBe('sales_manager');
    const toOwner = await call(t, 'PATCH', `/api/admin/users/${rep.user.id}`, { session: adminSession, body: { role: 'owner' } });
    expect(toOwner.statusCode).toBe(400);
    const bogus = await call(t, 'PATCH', `/api/admin/users/${rep.user.id}`, { session: adminSession, body: { role: 'superuser' } });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().error.field).toBe('role');
  });
});

describe('account', () => {
  it('changes the password: old one refused, other sessions ended', async () => {
    const { email, password } = await buildWorkspace(t);
    const here = await signIn(t, email, password);
    const elsewhere = await signIn(t, email, password);
    const newPassword = 'saffron-glacier-meadow-77';
    const wrongCurrent = await call(t, 'POST', '/api/account/password', { session: here, body: { currentPassword: 'nope-nope-nope', newPassword } });
    expect(wrongCurrent.statusCode).toBe(401);
    const weak = await call(t, 'POST', '/api/account/password', { session: here, body: { currentPassword: password, newPassword: 'short' } });
    expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'newPassword' });
    expect((await call(t, 'POST', '/api/account/password', { session: here, body: { currentPassword: password, newPassword } })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/auth/me', { session: here })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/auth/me', { session: elsewhere })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password } })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password: newPassword } })).statusCode).toBe(200);
  });

  it('changes the email only after a recent re-authentication, and tokens cannot', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const token = (await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'x' } })).json().token;
    const newEmail = uniqueEmail('renamed');
    expect((await call(t, 'POST', '/api/account/email', { token, body: { email: newEmail } })).json().error.code).toBe('reauth_required');
    t.clock.advance(5 * 60_000 + 1);
    expect((await call(t, 'POST', '/api/account/email', { session, body: { email: newEmail } })).statusCode).toBe(403);
    await call(t, 'POST', '/api/auth/reauth', { session, body: { password } });
    const changed = await call(t, 'POST', '/api/account/email', { session, body: { email: newEmail.toUpperCase() } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user.email).toBe(newEmail);
  });

  it('updates the display name and language', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const updated = await call(t, 'PATCH', '/api/account', { session, body: { displayName: '王小明', locale: 'zh-CN' } });
    expect(updated.json().user).toMatchObject({ displayName: '王小明', locale: 'zh-CN' });
    expect((await call(t, 'PATCH', '/api/account', { session, body: { locale: 'fr' } })).statusCode).toBe(400);
  });
});
