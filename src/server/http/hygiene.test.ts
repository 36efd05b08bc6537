import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, call, createTestApp, signIn, type TestApp } from '../../../test/factories.js';
import { redactUrl } from './logging.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('HTTP hygiene', () => {
  it('sends a strict Content-Security-Policy, no-store on /api and a request id', async () => {
    const response = await call(t, 'GET', '/api/setup');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('rejects unknown properties with 400 naming the field', async () => {
    const response = await call(t, 'POST', '/api/auth/login', { body: { email: 'a@example.com', password: 'x', isAdmin: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'invalid_input', message: 'Unknown field "isAdmin".', field: 'isAdmin' } });
  });

  it('names a missing field', async () => {
    const response = await call(t, 'POST', '/api/auth/login', { body: { email: 'a@example.com' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', field: 'password' });
  });

  it('answers malformed JSON and oversized bodies with a 4xx error body, never a stack trace', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('bad_request');
    expect(malformed.body).not.toMatch(/at .*\.js|Error:|stack/i);

    const huge = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a'.repeat(100_000), password: 'x' }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');

    const long = await call(t, 'POST', '/api/auth/login', { body: { email: 'a@example.com', password: 'x'.repeat(300) } });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.field).toBe('password');
  });

  it('answers unknown API paths with 401 to strangers and 404 in the same error shape to users', async () => {
    expect((await call(t, 'GET', '/api/does-not-exist')).statusCode).toBe(401);
    const { email, password } = await buildWorkspace(t);
    const response = await call(t, 'GET', '/api/does-not-exist', { session: await signIn(t, email, password) });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('needs a signed-in user for every API route but the public ones', async () => {
    const publicRoutes = new Set(['POST /api/auth/login', 'POST /api/auth/password-check', 'GET /api/setup', 'POST /api/setup', 'GET /api/invitations/:token', 'POST /api/invitations/accept']);
    const checked: string[] = [];
    for (const { method, url } of t.routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')) {
      if (publicRoutes.has(`${method} ${url}`) || url.startsWith('/api/docs') || url === '/api/openapi.json') continue;
      const concrete = url.replace(':id', '0190f5a2-0000-7000-8000-000000000000').replace(':token', 'x'.repeat(43));
      const response = await t.app.inject({ method: method as 'GET', url: concrete, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      checked.push(`${method} ${url}`);
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('serves OpenAPI 3.1 describing the routes, and the docs page', async () => {
    const spec = (await call(t, 'GET', '/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/admin/invitations']));
    expect(spec.paths['/api/auth/login'].post.requestBody).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers /healthz', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('keeps invitation tokens and query strings out of logged URLs', () => {
    expect(redactUrl('/api/invitations/abcDEF123_-xyz')).toBe('/api/invitations/[redacted]');
    expect(redactUrl('/api/invitations/accept')).toBe('/api/invitations/accept');
    expect(redactUrl('/api/customers?email=a@b.c')).toBe('/api/customers?[query]');
  });

  it('returns the same shape from the API whether signed in by cookie or token', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const token = (await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'x' } })).json().token;
    const viaCookie = (await call(t, 'GET', '/api/auth/me', { session })).json();
    const viaToken = (await call(t, 'GET', '/api/auth/me', { token })).json();
    expect(Object.keys(viaToken).sort()).toEqual(Object.keys(viaCookie).sort());
  });
});

