import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, enrolTotp, signIn, STRONG_PASSWORD, type Session, type TestApp } from '../../../test/factories.js';
import { createMailer } from '../mail/mailer.js';
import { createAlertService } from './service.js';
import { WINDOW_EVENTS_LIMIT } from './store.js';
import { addMember, alertRows, alertsApp, customerIds, eventsOf, listed, MINUTE, MONDAY_MORNING, record, setRules, type Member } from '../../../test/alert-fixtures.js';

/**
 * Every detection rule against a real trail: it raises once when its threshold is passed,
 * stays quiet below it, and raises no second alert for the same person within its window.
 */
let t: TestApp;
let workspaceId: string;
let owner: Session;
let ownerEmail: string;
let member: Member;
beforeEach(async () => {
  ({ t, workspaceId, owner, ownerEmail } = await alertsApp());
  member = await addMember(t, workspaceId);
});
afterEach(async () => {
  await t.close();
});

const run = () => t.services.alerts.runOnce();
const rules = async () => (await alertRows(t, workspaceId)).map((row) => row.rule);
/** Only the rule under test, with no response: what it raises is all that happens. */
const only = (key: string, settings: Record<string, unknown> = {}) =>
  setRules(t, owner, [
    ...['bulk_viewing', 'mass_export', 'many_reveals', 'off_hours', 'new_ip', 'token_new_ip', 'repeated_denials'].filter((rule) => rule !== key).map((rule) => ({ key: rule, enabled: false })),
    { key, enabled: true, action: 'none', ...settings },
  ]);

describe('bulk viewing', () => {
  it('counts distinct customers over viewed records, list pages and lookups, and raises once above 200 in 10 minutes', async () => {
    await only('bulk_viewing');
    // 150 on list pages (some shown twice), 30 opened one by one, 20 found by lookup: 200 distinct.
    await listed(t, member.actor, customerIds('c', 100));
    await listed(t, member.actor, customerIds('c', 100, 50));
    for (const id of customerIds('c', 30, 150)) await record(t, member.actor, 'customer.viewed', { fields: {} }, { type: 'customer', id });
    await record(t, member.actor, 'customer.looked_up', { field: 'email', matches: 20, customerIds: customerIds('c', 20, 180) });
    expect(await run()).toEqual({ raised: 0, mailFailed: 0 });
    expect(await rules()).toEqual([]);

    t.clock.advance(2 * MINUTE);
    await record(t, member.actor, 'customer.viewed', { fields: {} }, { type: 'customer', id: 'c-200' });
    expect(await run()).toEqual({ raised: 1, mailFailed: 0 });
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'bulk_viewing', severity: 'high', subject: member.userId, actor_id: member.userId, status: 'open', action: 'none', action_result: 'none' });
    expect(Number(alert!.count)).toBe(201);
    expect(Number(alert!.threshold)).toBe(200);
    expect(JSON.parse(alert!.details)).toEqual({ customers: 201, events: 34 });
    expect(Number(alert!.window_start)).toBe(MONDAY_MORNING.getTime());
    expect(Number(alert!.window_end)).toBe(MONDAY_MORNING.getTime() + 2 * MINUTE);

    // The event range: from the first list page to the last view, as the chain numbered them.
    const seqs = (await t.db.selectFrom('audit_events').select(['seq', 'action']).where('workspace_id', '=', workspaceId).where('actor_id', '=', member.userId).orderBy('seq').execute()).filter((row) =>
      ['customer.listed', 'customer.viewed', 'customer.looked_up'].includes(row.action),
    );
    expect([Number(alert!.first_seq), Number(alert!.last_seq)]).toEqual([Number(seqs[0]!.seq), Number(seqs.at(-1)!.seq)]);
    expect((await eventsOf(t, workspaceId, 'alert.raised')).map((event) => event.metadata)).toEqual([
      { rule: 'bulk_viewing', severity: 'high', userId: member.userId, tokenId: null, count: 201, threshold: 200, firstSeq: Number(alert!.first_seq), lastSeq: Number(alert!.last_seq) },
    ]);
  });

  it('raises no second alert for the same person within the window, and again once it has passed', async () => {
    await only('bulk_viewing');
    await listed(t, member.actor, customerIds('a', 201));
    await run();
    t.clock.advance(5 * MINUTE);
    await listed(t, member.actor, customerIds('b', 300));
    await run();
    expect(await rules()).toEqual(['bulk_viewing']);

    // Past the first alert's window, the viewing goes on: the new window counts only what came after that alert.
    t.clock.advance(6 * MINUTE);
    await listed(t, member.actor, customerIds('c', 10));
    await run();
    expect((await alertRows(t, workspaceId)).map((alert) => Number(alert.count))).toEqual([201, 310]);

    // Another person's viewing is theirs alone.
    const other = await addMember(t, workspaceId);
    await listed(t, other.actor, customerIds('a', 150));
    await run();
    expect(await rules()).toEqual(['bulk_viewing', 'bulk_viewing']);
  });

  it('reads at most the latest events of a window, so a flood (or a long backlog) still raises one alert quickly', async () => {
    await only('bulk_viewing');
    const views = WINDOW_EVENTS_LIMIT + 500;
    await t.db.transaction().execute((trx) =>
      t.services.audit.recordMany(
        member.actor,
        customerIds('f', views).map((id) => ({ action: 'customer.viewed' as const, outcome: 'success' as const, metadata: { fields: {} }, object: { type: 'customer', id } })),
        trx,
      ),
    );
    await run();
    const alerts = await alertRows(t, workspaceId);
    expect(alerts.map((alert) => alert.rule)).toEqual(['bulk_viewing']);
    expect(Number(alerts[0]!.count)).toBeGreaterThan(200);
    expect(Number(alerts[0]!.count)).toBeLessThanOrEqual(WINDOW_EVENTS_LIMIT);
  });

  it('does not count views older than the window', async () => {
    await only('bulk_viewing');
    await listed(t, member.actor, customerIds('a', 150));
    await run();
    t.clock.advance(11 * MINUTE);
    await listed(t, member.actor, customerIds('b', 150));
    await run();
    expect(await rules()).toEqual([]);
  });
});

describe('mass export', () => {
  it('adds up the rows of every export and raises above 1000 in an hour', async () => {
    await only('mass_export');
    await record(t, member.actor, 'customers.exported', { rows: 600 });
    t.clock.advance(30 * MINUTE);
    await record(t, member.actor, 'customers.exported', { rows: 400 });
    // Audit downloads hold no customer values: not an export of customers.
    await record(t, member.actor, 'audit.exported', { what: 'events', format: 'csv', rows: 5000, filters: [], truncated: false });
    await run();
    expect(await rules()).toEqual([]);

    // An export kind that says `count` instead of `rows` counts too.
    await record(t, member.actor, 'transactions.exported' as 'customers.exported', { count: 1 } as unknown as { rows: number });
    await run();
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'mass_export', severity: 'high' });
    expect(JSON.parse(alert!.details)).toEqual({ rows: 1001, exports: 3 });

    await record(t, member.actor, 'customers.exported', { rows: 5000 });
    await run();
    expect(await rules()).toEqual(['mass_export']);
  });
});

describe('many reveals', () => {
  it('raises on the eleventh reveal within an hour, once', async () => {
    await only('many_reveals');
    const reveal = (i: number) => record(t, member.actor, 'customer.revealed', { fields: ['nationalId'], reason: 'identity check' }, { type: 'customer', id: `c-${i}` });
    for (let i = 0; i < 10; i++) await reveal(i);
    await run();
    expect(await rules()).toEqual([]);
    await reveal(10);
    await run();
    for (let i = 11; i < 30; i++) await reveal(i);
    await run();
    expect(await rules()).toEqual(['many_reveals']);
    expect(JSON.parse((await alertRows(t, workspaceId))[0]!.details)).toEqual({ reveals: 11 });
  });

  it('does not add up reveals more than an hour apart', async () => {
    await only('many_reveals');
    for (let i = 0; i < 6; i++) await record(t, member.actor, 'customer.revealed', { fields: ['nationalId'], reason: 'identity check' });
    await run();
    t.clock.advance(61 * MINUTE);
    for (let i = 0; i < 6; i++) await record(t, member.actor, 'customer.revealed', { fields: ['nationalId'], reason: 'identity check' });
    await run();
    expect(await rules()).toEqual([]);
  });
});

describe('access outside working hours', () => {
  it('raises on activity outside Monday–Friday 08:00–20:00 in Shanghai, once per 12 hours', async () => {
    await only('off_hours');
    await call(t, 'GET', '/api/auth/me', { session: member.session });
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    await run();
    expect(await rules()).toEqual([]);

    // Monday 20:30 in Shanghai.
    t.clock.advance(10.5 * 60 * MINUTE);
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    t.clock.advance(3 * 60 * MINUTE);
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    await run();
    const alerts = await alertRows(t, workspaceId);
    expect(alerts.map((alert) => [alert.rule, alert.severity, alert.actor_id])).toEqual([['off_hours', 'low', member.userId]]);
    expect(JSON.parse(alerts[0]!.details)).toEqual({ weekday: 1, time: '20:30', timeZone: 'Asia/Shanghai' });

    // Saturday 09:00: more than 12 hours later, outside the working days.
    t.clock.set(new Date('2026-12-05T01:00:00.000Z'));
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    await run();
    expect(JSON.parse((await alertRows(t, workspaceId))[1]!.details)).toEqual({ weekday: 6, time: '09:00', timeZone: 'Asia/Shanghai' });
  });

  it('reads the working hours and time zone the workspace set', async () => {
    // Until the change, Shanghai's hours; the change itself at Monday 10:00 in Berlin.
    await run();
    t.clock.set(new Date('2026-11-30T09:00:00.000Z'));
    owner = await signIn(t, ownerEmail, STRONG_PASSWORD);
    await only('off_hours', { workingHours: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' } });
    // Saturday 10:00 in Berlin: a working day there now.
    t.clock.set(new Date('2026-12-05T09:00:00.000Z'));
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    await run();
    expect(await rules()).toEqual([]);
    // Saturday 08:59 in Berlin: before the start.
    t.clock.set(new Date('2026-12-05T07:59:00.000Z'));
    await record(t, member.actor, 'customer.viewed', { fields: {} });
    await run();
    expect(await rules()).toEqual(['off_hours']);
  });
});

describe('new IP for a user', () => {
  it('stays quiet on the first sign-in and a known address, raises on one not seen for 90 days', async () => {
    await only('new_ip');
    const newcomer = await addMember(t, workspaceId, 'sales_rep', '10.0.0.1');
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.1' });
    await run();
    expect(await rules()).toEqual([]);

    t.clock.advance(5 * MINUTE);
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.2' });
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.3' });
    await run();
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'new_ip', severity: 'medium', actor_id: newcomer.userId, ip: '10.0.0.2' });
    expect(await rules()).toEqual(['new_ip']);

    // 91 days on, the first address is new again.
    t.clock.advance(91 * 24 * 60 * MINUTE);
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.2' });
    await run();
    t.clock.advance(24 * 60 * MINUTE);
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.1' });
    await signIn(t, newcomer.email, STRONG_PASSWORD, { ip: '10.0.0.2' });
    await run();
    expect((await alertRows(t, workspaceId)).map((row) => row.ip)).toEqual(['10.0.0.2', '10.0.0.2', '10.0.0.1']);
  });
});

describe('token used from a new IP', () => {
  it('raises when a token is used from an address it was not used from, and revokes it when told to', async () => {
    await only('token_new_ip', { action: 'suspend' });
    const made = await call(t, 'POST', '/api/account/tokens', { session: member.session, body: { name: 'sync script' } });
    const { token, item } = made.json();
    expect((await call(t, 'GET', '/api/customers', { token, ip: '10.9.0.1' })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/customers', { token, ip: '10.9.0.1' })).statusCode).toBe(200);
    await run();
    expect(await rules()).toEqual([]);

    expect((await call(t, 'GET', '/api/customers', { token, ip: '10.9.0.2' })).statusCode).toBe(200);
    await run();
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'token_new_ip', severity: 'high', subject: item.id, token_id: item.id, actor_id: member.userId, ip: '10.9.0.2', action_result: 'token_revoked' });
    expect((await call(t, 'GET', '/api/customers', { token, ip: '10.9.0.1' })).statusCode).toBe(401);
    // Only the token: the member's session goes on.
    expect((await call(t, 'GET', '/api/auth/me', { session: member.session })).statusCode).toBe(200);
    expect((await eventsOf(t, workspaceId, 'token.revoked')).map((event) => [event.actor_type, event.actor_id, event.object_id])).toEqual([['system', 'alerts', item.id]]);
  });
});

describe('repeated denied attempts', () => {
  it('counts refusals and failed sign-ins of one account, and raises at 10 in 10 minutes', async () => {
    await only('repeated_denials');
    for (let i = 0; i < 5; i++) expect((await call(t, 'GET', '/api/admin/users', { session: member.session })).statusCode).toBe(403);
    for (let i = 0; i < 4; i++) expect((await call(t, 'POST', '/api/auth/login', { body: { email: member.email, password: 'not-the-password' } })).statusCode).toBe(401);
    await run();
    expect(await rules()).toEqual([]);

    await call(t, 'POST', '/api/auth/reauth', { session: member.session, body: { password: 'not-the-password' } });
    await run();
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'repeated_denials', actor_id: member.userId });
    expect(JSON.parse(alert!.details)).toEqual({ accessDenied: 5, signInFailed: 4, reauthFailed: 1 });

    for (let i = 0; i < 12; i++) await call(t, 'GET', '/api/admin/users', { session: member.session });
    await run();
    expect(await rules()).toEqual(['repeated_denials']);
  });

  it('raises a second alert after the window when the refusals go on', async () => {
    await only('repeated_denials', { threshold: 3, windowMinutes: 5 });
    for (let i = 0; i < 3; i++) await call(t, 'GET', '/api/admin/users', { session: member.session });
    await run();
    t.clock.advance(6 * MINUTE);
    for (let i = 0; i < 2; i++) await call(t, 'GET', '/api/admin/users', { session: member.session });
    await run();
    expect(await rules()).toEqual(['repeated_denials']);
    await call(t, 'GET', '/api/admin/users', { session: member.session });
    await run();
    expect(await rules()).toEqual(['repeated_denials', 'repeated_denials']);
  });
});

describe('the detector', () => {
  it('reads each event once, across runs, and leaves a disabled rule silent', async () => {
    await setRules(t, owner, [{ key: 'bulk_viewing', enabled: false }]);
    await listed(t, member.actor, customerIds('a', 300));
    await run();
    expect(await run()).toEqual({ raised: 0, mailFailed: 0 });
    await setRules(t, owner, [{ key: 'bulk_viewing', enabled: true, action: 'none' }]);
    expect(await run()).toEqual({ raised: 0, mailFailed: 0 });
    expect(await rules()).toEqual([]);
  });

  it('answers once for events two servers’ detectors read at the same time', async () => {
    await only('bulk_viewing');
    const { db, clock, services } = t;
    const second = createAlertService({ db, clock, audit: services.audit, access: services.access, notifications: services.notifications, auth: services.auth, mailer: createMailer({ url: null, from: 'x@example.com' }), publicUrl: 'http://127.0.0.1' });
    await listed(t, member.actor, customerIds('a', 201));
    const [one, two] = await Promise.all([run(), second.runOnce()]);
    expect(one.raised + two.raised).toBe(1);
    expect(await rules()).toEqual(['bulk_viewing']);
    expect(await eventsOf(t, workspaceId, 'alert.raised')).toHaveLength(1);
  });

  it('judges a second factor prompt, a sign-in and its failures in the workspace of the account they concern', async () => {
    const withTotp = await addMember(t, workspaceId);
    await enrolTotp(t, withTotp.session);
    await only('repeated_denials', { threshold: 2 });
    for (let i = 0; i < 2; i++) await call(t, 'POST', '/api/auth/login', { body: { email: withTotp.email, password: STRONG_PASSWORD, code: '000000' } });
    await run();
    expect((await alertRows(t, workspaceId)).map((row) => row.actor_id)).toEqual([withTotp.userId]);
  });
});
