import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, createTestApp, signIn, STRONG_PASSWORD, type TestApp } from '../../../test/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const form = (setupToken: string, extra: Record<string, unknown> = {}) => ({
  setupToken,
  workspaceName: '示例公司',
  email: 'first.admin@example.com',
  displayName: '张伟',
  password: STRONG_PASSWORD,
  ...extra,
});

describe('first-run setup', () => {
  it('creates the workspace and its owner with the printed one-time token, once', async () => {
    expect((await call(t, 'GET', '/api/setup')).json()).toEqual({ needsSetup: true });
    const token = await t.services.workspaces.issueSetupToken();
    expect(token).toBeTruthy();

    const wrong = await call(t, 'POST', '/api/setup', { body: form('not-the-printed-token') });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('invalid_setup_token');

    const weak = await call(t, 'POST', '/api/setup', { body: form(token!, { password: 'first.admin2026' }) });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.field).toBe('password');

    const created = await call(t, 'POST', '/api/setup', { body: form(token!) });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ role: 'owner', email: 'first.admin@example.com' });
    expect((await call(t, 'GET', '/api/setup')).json()).toEqual({ needsSetup: false });

    const again = await call(t, 'POST', '/api/setup', { body: form(token!, { email: 'second@example.com' }) });
    expect(again.statusCode).toBe(409);
    expect(await t.services.workspaces.issueSetupToken()).toBeNull();

    const session = await signIn(t, 'first.admin@example.com', STRONG_PASSWORD);
    const me = (await call(t, 'GET', '/api/auth/me', { session })).json();
    expect(me.workspace.name).toBe('示例公司');
  });

  it('has no setup token at all once a workspace exists', async () => {
    await t.services.workspaces.createWithOwner({ workspaceName: 'Acme', email: 'a@example.com', displayName: 'A', password: STRONG_PASSWORD });
    const response = await call(t, 'POST', '/api/setup', { body: form('anything-at-all-long') });
    expect(response.statusCode).toBe(409);
  });
});
