import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditActions, buildWorkspace, call, createTestApp, enrolTotp, signIn, type TestApp } from '../../../test/factories.js';
import { totpCode } from './totp.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('TOTP second factor', () => {
  it('enrols with a QR code, then sign-in asks for the code and accepts it', async () => {
    const { email, password, workspaceId } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const setup = await call(t, 'POST', '/api/account/mfa/totp/setup', { session });
    expect(setup.statusCode).toBe(200);
    expect(setup.json().qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(setup.json().otpauthUrl).toContain('otpauth://totp/Custos');

    const { secret, recoveryCodes } = await enrolTotp(t, await signIn(t, email, password));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const withoutCode = await call(t, 'POST', '/api/auth/login', { body: { email, password } });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().error.code).toBe('mfa_required');
    expect(withoutCode.headers['set-cookie']).toBeUndefined();

    t.clock.advance(60_000);
    const wrong = await call(t, 'POST', '/api/auth/login', { body: { email, password, code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_mfa_code');

    const ok = await call(t, 'POST', '/api/auth/login', { body: { email, password, code: totpCode(secret, t.clock.now()) } });
    expect(ok.statusCode).toBe(200);
    expect(await auditActions(t, workspaceId)).toEqual(expect.arrayContaining(['mfa.totp_enabled', 'auth.sign_in_failed', 'auth.sign_in']));
  });

  it('stores the TOTP secret sealed, never in clear', async () => {
    const { email, password } = await buildWorkspace(t);
    const { secret } = await enrolTotp(t, await signIn(t, email, password));
    const row = await t.db.selectFrom('users').select('totp_secret').executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toBeNull();
    expect(row.totp_secret).not.toContain(secret);
    expect(Buffer.from(row.totp_secret!, 'base64').toString('utf8')).not.toContain(secret);
  });

  it('refuses a code that was already used (replay)', async () => {
    const { email, password } = await buildWorkspace(t);
    const { secret } = await enrolTotp(t, await signIn(t, email, password));
    t.clock.advance(90_000);
    const code = totpCode(secret, t.clock.now());
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password, code } })).statusCode).toBe(200);
    const replay = await call(t, 'POST', '/api/auth/login', { body: { email, password, code } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('invalid_mfa_code');
  });

  it('accepts each recovery code once', async () => {
    const { email, password } = await buildWorkspace(t);
    const { recoveryCodes } = await enrolTotp(t, await signIn(t, email, password));
    const code = recoveryCodes[3]!;
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password, code: code.toUpperCase() } })).statusCode).toBe(200);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password, code } })).statusCode).toBe(401);
    const session = await signIn(t, email, password, { code: recoveryCodes[4]! });
    expect((await call(t, 'GET', '/api/account/mfa', { session })).json()).toEqual({ totpEnabled: true, recoveryCodesRemaining: 8 });
  });

  it('needs a recent re-authentication to set up or turn off the second factor', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    t.clock.advance(6 * 60_000);
    const stale = await call(t, 'POST', '/api/account/mfa/totp/setup', { session });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error.code).toBe('reauth_required');
    expect((await call(t, 'POST', '/api/auth/reauth', { session, body: { password: 'wrong-password-here' } })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/reauth', { session, body: { password } })).statusCode).toBe(204);
    const { secret } = await enrolTotp(t, session);

    t.clock.advance(6 * 60_000);
    expect((await call(t, 'POST', '/api/account/mfa/totp/disable', { session })).statusCode).toBe(403);
    const reauth = await call(t, 'POST', '/api/auth/reauth', { session, body: { code: totpCode(secret, t.clock.now()) } });
    expect(reauth.statusCode).toBe(204);
    expect((await call(t, 'POST', '/api/account/mfa/totp/disable', { session })).statusCode).toBe(204);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password } })).statusCode).toBe(200);
  });

  it('regenerates recovery codes, invalidating the old ones', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const { recoveryCodes: old } = await enrolTotp(t, session);
    const fresh = await call(t, 'POST', '/api/account/mfa/recovery-codes', { session });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().recoveryCodes).toHaveLength(10);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password, code: old[0] } })).statusCode).toBe(401);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email, password, code: fresh.json().recoveryCodes[0] } })).statusCode).toBe(200);
  });
});

describe('workspace setting: second factor required for everyone', () => {
  it('lets a user without one only enrol, then everything opens', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const changed = await call(t, 'PATCH', '/api/admin/settings', { session, body: { requireMfa: true } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().requireMfa).toBe(true);

    const me = await call(t, 'GET', '/api/auth/me', { session });
    expect(me.json().mfaEnrollmentRequired).toBe(true);
    const blocked = await call(t, 'GET', '/api/admin/users', { session });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('mfa_enrollment_required');

    await enrolTotp(t, session);
    expect((await call(t, 'GET', '/api/auth/me', { session })).json().mfaEnrollmentRequired).toBe(false);
    expect((await call(t, 'GET', '/api/admin/users', { session })).statusCode).toBe(200);
    const disable = await call(t, 'POST', '/api/account/mfa/totp/disable', { session });
    expect(disable.statusCode).toBe(409);
    expect(disable.json().error.code).toBe('mfa_required_by_workspace');
  });
});
