import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, call, createTestApp, type TestApp } from '../../../test/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { CUSTOS_PUBLIC_URL: 'https://crm.example.com' } });
});
afterEach(async () => {
  await t.close();
});

describe('served over https', () => {
  it('uses a __Host- cookie that is Secure, HttpOnly, SameSite=Strict, Path=/ and host-only', async () => {
    const { email, password } = await buildWorkspace(t);
    const response = await call(t, 'POST', '/api/auth/login', { body: { email, password } });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-custos_session=/);
    for (const flag of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']) expect(setCookie).toContain(flag);
    expect(setCookie).not.toContain('Domain=');
    expect(response.headers['strict-transport-security']).toContain('max-age=31536000');

    const cookie = response.cookies[0]!;
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    // The unprefixed name is not read over https.
    const plain = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `custos_session=${cookie.value}` } });
    expect(plain.statusCode).toBe(401);
  });

  it('prints https links in invitations', async () => {
    const { email, password } = await buildWorkspace(t);
    const login = await call(t, 'POST', '/api/auth/login', { body: { email, password } });
    const cookie = login.cookies[0]!;
    const invited = await t.app.inject({
      method: 'POST',
      url: '/api/admin/invitations',
      headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': login.json().csrfToken },
      payload: { email: 'new@example.com', role: 'read_only' },
    });
    expect(invited.json().inviteUrl).toMatch(/^https:\/\/crm\.example\.com\/invite#token=/);
  });
});
