import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../auth/totp.js';
import { call, enrolTotp, signIn, STRONG_PASSWORD, type Session, type TestApp } from '../../../test/factories.js';
import { addMember, alertRows, alertsApp, customerIds, eventsOf, listed, record, setRules, type Member } from '../../../test/alert-fixtures.js';

/** The automatic responses an alert takes, seen from the person it is about. */
let t: TestApp;
let workspaceId: string;
let owner: Session;
let ownerId: string;
let member: Member;
beforeEach(async () => {
  ({ t, workspaceId, owner, ownerId } = await alertsApp());
  member = await addMember(t, workspaceId);
});
afterEach(async () => {
  await t.close();
});

const run = () => t.services.alerts.runOnce();
const me = (session: Session) => call(t, 'GET', '/api/auth/me', { session });
const bulkView = (who: Member) => listed(t, who.actor, customerIds('c', 201));
const signInStatus = async (email: string, code?: string) =>
  (await call(t, 'POST', '/api/auth/login', { body: { email, password: STRONG_PASSWORD, ...(code ? { code } : {}) } })).json().error?.code ?? 'signed_in';

describe('automatic responses', () => {
  it('ends every session of the person (bulk viewing’s default): their next request is 401, and they may sign in again', async () => {
    const second = await signIn(t, member.email, STRONG_PASSWORD);
    await bulkView(member);
    await run();
    expect((await me(member.session)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
    expect((await me(owner)).statusCode).toBe(200);
    expect((await alertRows(t, workspaceId))[0]).toMatchObject({ rule: 'bulk_viewing', action: 'end_sessions', action_result: 'sessions_ended' });
    expect(await eventsOf(t, workspaceId, 'alert.action_taken')).toEqual([
      expect.objectContaining({
        actor_type: 'system',
        actor_id: 'alerts',
        outcome: 'success',
        metadata: { rule: 'bulk_viewing', action: 'end_sessions', userId: member.userId, tokenId: null, result: 'sessions_ended', sessionsEnded: 2, tokensRevoked: 0 },
      }),
    ]);
    expect(await signInStatus(member.email)).toBe('signed_in');
  });

  it('require_mfa ends the sessions, so the next sign-in asks for the second factor again', async () => {
    const { secret } = await enrolTotp(t, member.session);
    await setRules(t, owner, [{ key: 'bulk_viewing', action: 'require_mfa' }]);
    await bulkView(member);
    await run();
    expect((await me(member.session)).statusCode).toBe(401);
    const ended = await t.db.selectFrom('sessions').select('end_reason').where('workspace_id', '=', workspaceId).where('user_id', '=', member.userId).execute();
    expect(ended.map((row) => row.end_reason)).toEqual(['alert_require_mfa']);
    expect(await signInStatus(member.email)).toBe('mfa_required');
    t.clock.advance(30_000);
    expect(await signInStatus(member.email, totpCode(secret, t.clock.now()))).toBe('signed_in');
    expect((await eventsOf(t, workspaceId, 'alert.action_taken'))[0]!.metadata).toMatchObject({ action: 'require_mfa', result: 'sessions_ended', sessionsEnded: 1 });
  });

  it('suspends the person (mass export’s default): deactivated with their sessions and tokens, sign-in refused, and no longer told about alerts', async () => {
    const admin = await addMember(t, workspaceId, 'admin');
    const { token } = (await call(t, 'POST', '/api/account/tokens', { session: admin.session, body: { name: 'report' } })).json();
    await record(t, admin.actor, 'customers.exported', { rows: 1500 });
    await run();
    expect((await me(admin.session)).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { token })).statusCode).toBe(401);
    expect(await signInStatus(admin.email)).toBe('invalid_credentials');
    const user = await t.db.selectFrom('users').select('status').where('workspace_id', '=', workspaceId).where('id', '=', admin.userId).executeTakeFirstOrThrow();
    expect(user.status).toBe('deactivated');
    expect((await alertRows(t, workspaceId))[0]).toMatchObject({ rule: 'mass_export', action: 'suspend', action_result: 'suspended' });
    expect(await eventsOf(t, workspaceId, 'user.deactivated')).toEqual([
      expect.objectContaining({ actor_type: 'system', actor_id: 'alerts', object_id: admin.userId, metadata: { sessionsEnded: 1, tokensRevoked: 1 } }),
    ]);
    const told = await t.db.selectFrom('notifications').select('user_id').where('workspace_id', '=', workspaceId).where('kind', '=', 'alert.raised').execute();
    expect(told.map((row) => row.user_id)).toEqual([ownerId]);
  });

  it('never acts on the workspace’s last active owner, but on an owner who is not the last', async () => {
    const access = await t.services.access.resolve(workspaceId, ownerId, 'owner', null);
    const ownerActor = { kind: 'user', workspaceId, userId: ownerId, role: 'owner', access, breakGlassId: null, sessionId: null, tokenId: null, reauthAt: null, ip: '127.0.0.1', userAgent: 'test' } as const;
    await record(t, ownerActor, 'customers.exported', { rows: 5000 });
    await run();
    expect((await me(owner)).statusCode).toBe(200);
    expect((await alertRows(t, workspaceId))[0]).toMatchObject({ rule: 'mass_export', action: 'suspend', action_result: 'skipped_last_owner' });
    expect((await eventsOf(t, workspaceId, 'alert.action_taken'))[0]).toMatchObject({ outcome: 'denied', metadata: { result: 'skipped_last_owner', userId: ownerId } });

    const secondOwner = await addMember(t, workspaceId, 'owner');
    await record(t, secondOwner.actor, 'customers.exported', { rows: 5000 });
    await run();
    expect((await alertRows(t, workspaceId))[1]).toMatchObject({ actor_id: secondOwner.userId, action_result: 'suspended' });
    expect((await me(secondOwner.session)).statusCode).toBe(401);
  });

  it('takes no action when the rule has none', async () => {
    await setRules(t, owner, [{ key: 'bulk_viewing', action: 'none' }]);
    await bulkView(member);
    await run();
    expect((await alertRows(t, workspaceId))[0]).toMatchObject({ action: 'none', action_result: 'none' });
    expect((await me(member.session)).statusCode).toBe(200);
    expect(await eventsOf(t, workspaceId, 'alert.action_taken')).toEqual([]);
  });
});
