import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, call, createTestApp, signIn, type TestApp } from '../../../test/factories.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('personal access tokens', () => {
  it('is shown once, stored hashed, and authenticates as Bearer', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const created = await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'Nightly export', expiresInDays: 30 } });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json();
    expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect(item.prefix).toBe(token.slice(0, 8));
    const row = await t.db.selectFrom('api_tokens').select('token_hash').executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token.slice(4));

    const me = await call(t, 'GET', '/api/auth/me', { token });
    expect(me.statusCode).toBe(200);
    expect(me.json().authMethod).toBe('token');
    expect(me.json().csrfToken).toBeNull();

    const list = await call(t, 'GET', '/api/account/tokens', { session });
    expect(list.json().items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json())).not.toContain(token);
  });

  it('can be cut down to reading, some objects and some fields, and says so', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const narrowing = { readOnly: true, objects: ['customers'], fields: ['person.name', 'person.email'] };
    const created = await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'Dashboard', narrowing } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().item.narrowing).toEqual(narrowing);
    expect((await call(t, 'GET', '/api/account/tokens', { session })).json().items[0].narrowing).toEqual(narrowing);
    const event = await t.db.selectFrom('audit_events').select('metadata').where('action', '=', 'token.created').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata).narrowing).toEqual(narrowing);
    for (const bad of [{ objects: ['deals'] }, { fields: ['email'] }, {}, { readOnly: true, extra: 1 }]) {
      expect((await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'Bad', narrowing: bad } })).statusCode, JSON.stringify(bad)).toBe(400);
    }
  });

  it('stops working when revoked or expired', async () => {
    const { email, password } = await buildWorkspace(t);
    const session = await signIn(t, email, password);
    const first = (await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'a' } })).json();
    const second = (await call(t, 'POST', '/api/account/tokens', { session, body: { name: 'b', expiresInDays: 1 } })).json();
    expect((await call(t, 'DELETE', `/api/account/tokens/${first.item.id}`, { session })).statusCode).toBe(204);
    const revoked = await call(t, 'GET', '/api/auth/me', { token: first.token });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('invalid_token');
    expect((await call(t, 'GET', '/api/auth/me', { token: second.token })).statusCode).toBe(200);
    t.clock.advance(86_400_000 + 1);
    expect((await call(t, 'GET', '/api/auth/me', { token: second.token })).statusCode).toBe(401);
  });

  it('refuses malformed Authorization headers and unknown tokens', async () => {
    await buildWorkspace(t);
    for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer cst_unknown', 'Bearer not-a-token']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: header } });
      expect(response.statusCode).toBe(401);
    }
  });

  it('cannot be revoked by another user', async () => {
    const { email, password } = await buildWorkspace(t);
    const other = await buildWorkspace(t);
    const mine = (await call(t, 'POST', '/api/account/tokens', { session: await signIn(t, email, password), body: { name: 'mine' } })).json();
    const theirs = await signIn(t, other.email, other.password);
    expect((await call(t, 'DELETE', `/api/account/tokens/${mine.item.id}`, { session: theirs })).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/auth/me', { token: mine.token })).statusCode).toBe(200);
  });
});
