import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, call, createTestApp, signIn, type TestApp } from '../../../test/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('sign-in and sessions', () => {
  it('signs in with email and password and answers /me with a CSRF token', async () => {
    const { email, password } = await buildWorkspace(t);
    const response = await call(t, 'POST', '/api/auth/login', { body: { email: `  ${email.toUpperCase()} `, password } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user.email).toBe(email);
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.policies).toMatchObject({ manageUsers: true, manageSettings: true, manageRoles: true, breakGlass: true, breakGlassActive: false });
    expect(body.policies.objects.customers).toEqual(['read', 'create', 'update', 'delete', 'export', 'import', 'reveal']);

    const session = await signIn(t, email, password);
    const me = await call(t, 'GET', '/api/auth/me', { session });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(session.csrfToken);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie without Secure over plain http', async () => {
    const { email, password } = await buildWorkspace(t);
    const response = await call(t, 'POST', '/api/auth/login', { body: { email, password } });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^custos_session=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
  });

  it('refuses a wrong password and an unknown address with the same answer', async () => {
    const { email } = await buildWorkspace(t);
    const wrong = await call(t, 'POST', '/api/auth/login', { body: { email, password: 'not-the-password-at-all' } });
    const unknown = await call(t, 'POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'not-the-password-at-all' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('issues a new token at every sign-in, so a token planted before sign-in is worthless (fixation)', async () => {
    const { email, password } = await buildWorkspace(t);
    const planted = await call(t, 'POST', '/api/auth/login', {
      body: { email, password },
    });
    const plantedCookie = planted.cookies[0]!.value;
    const second = await signIn(t, email, password);
    expect(second.cookie).not.toBe(plantedCookie);
    expect(second.cookie.length).toBeGreaterThanOrEqual(43);
    // A made-up cookie value never becomes a session.
    const forged = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'custos_session=attacker-chosen-value' } });
    expect(forged.statusCode).toBe(401);
  });

  it('stores only a hash of the session token', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const rows = await t.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.length).toBe(1);
    expect(rows[0]!.token_hash).not.toContain(session.cookie);
  });

  it('ends the session on the server at sign-out: replaying the cookie gets 401', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const logout = await call(t, 'POST', '/api/auth/logout', { session });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/custos_session=;/);
    const replay = await call(t, 'GET', '/api/auth/me', { session });
    expect(replay.statusCode).toBe(401);
  });

  it('does not count the app’s background polling as use: a tab left open still idles out', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    for (let minute = 0; minute < 28; minute += 4) {
      t.clock.advance(4 * 60_000);
      expect((await call(t, 'GET', '/api/notifications', { session })).statusCode).toBe(200);
    }
    t.clock.advance(3 * 60_000);
    expect((await call(t, 'GET', '/api/notifications', { session })).statusCode).toBe(401);
  });

  it('ends a session idle for 30 minutes, but not one used within them', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    t.clock.advance(29 * 60_000);
    expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(200);
    t.clock.advance(30 * 60_000 + 1);
    expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(401);
    // …and it stays ended even if the clock could be argued with.
    const row = await t.db.selectFrom('sessions').select(['ended_at', 'end_reason']).executeTakeFirstOrThrow();
    expect(row.end_reason).toBe('idle');
  });

  it('ends every session after 12 hours however active it is', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    // Used every 20 minutes for 11 hours 40 minutes: never idle.
    for (let step = 0; step < 35; step++) {
      t.clock.advance(20 * 60_000);
      expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(200);
    }
    t.clock.advance(20 * 60_000);
    expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(401);
  });

  it('lists the open sessions, ends one, and signs out everywhere', async () => {
    const { email, password } = await buildWorkspace(t);
    const laptop = await signIn(t, email, password);
    const phone = await signIn(t, email, password);
    const list = await call(t, 'GET', '/api/account/sessions', { session: laptop });
    expect(list.json().items).toHaveLength(2);
    const phoneId = list.json().items.find((s: { current: boolean }) => !s.current).id;
    expect((await call(t, 'DELETE', `/api/account/sessions/${phoneId}`, { session: laptop })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/auth/me', { session: phone })).statusCode).toBe(401);

    const third = await signIn(t, email, password);
    expect((await call(t, 'POST', '/api/account/sessions/end-all', { session: laptop })).statusCode).toBe(204);
    expect((await call(t, 'GET', '/api/auth/me', { session: laptop })).statusCode).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { session: third })).statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing cookie request without the token, or with another session’s token', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const other = await signIn(t, email, password);
    const missing = await call(t, 'POST', '/api/account/tokens', { session, csrf: null, body: { name: 'ci' } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_failed');
    const foreign = await call(t, 'POST', '/api/account/tokens', { session, csrf: other.csrfToken, body: { name: 'ci' } });
    expect(foreign.statusCode).toBe(403);
    const right = await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'ci' } });
    expect(right.statusCode).toBe(201);
  });

  it('does not ask bearer-token requests for a CSRF token', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const token = (await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'script' } })).json().token;
    const created = await call(t, 'POST', '/api/account/tokens', { token, body: { name: 'from-script' } });
    expect(created.statusCode).toBe(201);
  });

  it('records the rejection for the audit trail', async () => {
    const { email, password, workspaceId } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    await call(t, 'POST', '/api/auth/logout', { session, csrf: 'forged' });
    const rows = await t.db.selectFrom('audit_events').select(['action', 'outcome']).where('workspace_id', '=', workspaceId).where('action', '=', 'auth.csrf_rejected').orderBy('seq').execute();
    expect(rows).toEqual([{ action: 'auth.csrf_rejected', outcome: 'denied' }]);
    expect((await call(t, 'GET', '/api/auth/me', { session })).statusCode).toBe(200);
  });
});

describe('throttling and lockout', () => {
  it('locks an account after 5 failures: 429 with Retry-After, even for the right password', async () => {
    const { email, password, workspaceId } = await buildWorkspace(t);
    for (let i = 0; i < 5; i++) {
      const response = await call(t, 'POST', '/api/auth/login', { body: { email, password: `wrong-password-${i}` }, ip: `10.0.0.${i + 1}` });
      expect(response.statusCode).toBe(401);
    }
    const locked = await call(t, 'POST', '/api/auth/login', { body: { email, password }, ip: '10.0.0.99' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    const events = await t.db.selectFrom('audit_events').select(['action', 'outcome', 'metadata']).where('workspace_id', '=', workspaceId).orderBy('seq').execute();
    expect(events.filter((e) => e.action === 'auth.sign_in_failed')).toHaveLength(5);
    expect(events.find((e) => e.action === 'auth.locked_out')?.metadata).toContain('"scope":"account"');

    t.clock.advance(15 * 60_000 + 1000);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password } })).statusCode).toBe(200);
  });

  it('locks an IP that tries many addresses', async () => {
    await buildWorkspace(t);
    for (let i = 0; i < 20; i++) {
      await call(t, 'POST', '/api/auth/login', { body: { email: `guess${i}@example.com`, password: 'some-password-guess' }, ip: '203.0.113.7' });
    }
    const blocked = await call(t, 'POST', '/api/auth/login', { body: { email: 'guess-new@example.com', password: 'x' }, ip: '203.0.113.7' });
    expect(blocked.statusCode).toBe(429);
    const elsewhere = await call(t, 'POST', '/api/auth/login', { body: { email: 'guess-new@example.com', password: 'x' }, ip: '203.0.113.8' });
    expect(elsewhere.statusCode).toBe(401);
  });
});
