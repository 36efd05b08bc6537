import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, call, signIn, type Session, type TestApp } from '../../../test/factories.js';
import { addMember, alertsApp, customerIds, eventsOf, listed, MINUTE, setRules, type Member } from '../../../test/alert-fixtures.js';

/** The alert inbox and the rules' settings over HTTP: who may, what it shows, what it records, and workspaces apart. */
let t: TestApp;
let workspaceId: string;
let owner: Session;
let ownerId: string;
let auditor: Member;
let rep: Member;
beforeEach(async () => {
  ({ t, workspaceId, owner, ownerId } = await alertsApp());
  auditor = await addMember(t, workspaceId, 'auditor');
  rep = await addMember(t, workspaceId, 'sales_rep');
  await setRules(t, owner, [{ key: 'bulk_viewing', action: 'none' }]);
});
afterEach(async () => {
  await t.close();
});

/** Bulk viewing by the sales rep, judged: the id of the alert it raised. */
async function raise(): Promise<string> {
  await listed(t, rep.actor, customerIds(`c${Date.now()}`, 201));
  await t.services.alerts.runOnce();
  const [latest] = (await call(t, 'GET', '/api/alerts', { session: owner })).json().items;
  return latest.id;
}

describe('who may', () => {
  it('lets those who read the audit trail or change settings see and handle alerts; refuses a sales rep (403) and a stranger (401)', async () => {
    const id = await raise();
    expect((await call(t, 'GET', '/api/alerts', { session: owner })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/alerts', { session: auditor.session })).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/alerts/${id}`, { session: auditor.session })).statusCode).toBe(200);
    for (const [method, url] of [
      ['GET', '/api/alerts'],
      ['GET', `/api/alerts/${id}`],
      ['POST', `/api/alerts/${id}/acknowledge`],
      ['POST', `/api/alerts/${id}/resolve`],
    ] as const) {
      const refused = await call(t, method, url, { session: rep.session });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
      expect((await call(t, method, url)).statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('lets administrators who manage settings read and change the rules; refuses the auditor and the sales rep (403) and a stranger (401)', async () => {
    expect((await call(t, 'GET', '/api/admin/alert-rules', { session: owner })).statusCode).toBe(200);
    for (const session of [auditor.session, rep.session]) {
      expect((await call(t, 'GET', '/api/admin/alert-rules', { session })).statusCode).toBe(403);
      expect((await call(t, 'PUT', '/api/admin/alert-rules', { session, body: { rules: [{ key: 'off_hours', enabled: false }] } })).statusCode).toBe(403);
    }
    expect((await call(t, 'GET', '/api/admin/alert-rules')).statusCode).toBe(401);
    expect((await call(t, 'PUT', '/api/admin/alert-rules', { body: { rules: [{ key: 'off_hours', enabled: false }] } })).statusCode).toBe(401);
  });
});

describe('the inbox', () => {
  it('shows an alert with who and what, and takes it from open to acknowledged to resolved, recording each step', async () => {
    const id = await raise();
    const alert = (await call(t, 'GET', `/api/alerts/${id}`, { session: owner })).json();
    expect(alert).toMatchObject({
      rule: 'bulk_viewing',
      severity: 'high',
      status: 'open',
      actor: { type: 'user', id: rep.userId, displayName: 'sales_rep colleague', email: rep.email },
      count: 201,
      threshold: 200,
      details: { customers: 201, events: 1 },
      action: 'none',
      actionResult: 'none',
      mail: 'off',
      acknowledgedBy: null,
      resolvedBy: null,
    });
    expect(alert.lastSeq).toBeGreaterThanOrEqual(alert.firstSeq);

    const acknowledged = await call(t, 'POST', `/api/alerts/${id}/acknowledge`, { session: owner });
    expect(acknowledged.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: ownerId, displayName: 'Olivia Owner' } });
    expect((await call(t, 'POST', `/api/alerts/${id}/acknowledge`, { session: auditor.session })).json().error.code).toBe('alert_not_open');
    const resolved = await call(t, 'POST', `/api/alerts/${id}/resolve`, { session: auditor.session });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: { id: auditor.userId } });
    expect((await call(t, 'POST', `/api/alerts/${id}/resolve`, { session: owner })).statusCode).toBe(409);

    expect((await eventsOf(t, workspaceId, 'alert.acknowledged')).map((event) => [event.actor_id, event.object_id, event.metadata])).toEqual([[ownerId, id, { rule: 'bulk_viewing' }]]);
    expect((await eventsOf(t, workspaceId, 'alert.resolved')).map((event) => [event.actor_id, event.object_id])).toEqual([[auditor.userId, id]]);

    expect((await call(t, 'GET', '/api/alerts', { session: owner })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/alerts?status=all', { session: owner })).json().items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect((await call(t, 'GET', '/api/alerts/0190f5a2-0000-7000-8000-000000000000', { session: owner })).statusCode).toBe(404);
  });

  it('pages newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await raise());
      t.clock.advance(11 * MINUTE);
      owner = await signInAgain();
    }
    const first = (await call(t, 'GET', '/api/alerts?limit=2', { session: owner })).json();
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    const second = (await call(t, 'GET', `/api/alerts?limit=2&cursor=${first.nextCursor}`, { session: owner })).json();
    expect(second).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
  });

  it('tells the owner and the auditor in the app, not the sales rep', async () => {
    const id = await raise();
    const kinds = async (session: Session) => (await call(t, 'GET', '/api/notifications', { session })).json().items.filter((item: { kind: string }) => item.kind === 'alert.raised');
    expect(await kinds(owner)).toEqual([expect.objectContaining({ payload: { alertId: id, rule: 'bulk_viewing', severity: 'high', userId: rep.userId, displayName: 'sales_rep colleague' } })]);
    expect(await kinds(auditor.session)).toHaveLength(1);
    expect(await kinds(rep.session)).toEqual([]);
  });
});

async function signInAgain(): Promise<Session> {
  const { email } = await t.db.selectFrom('users').select('email').where('workspace_id', '=', workspaceId).where('id', '=', ownerId).executeTakeFirstOrThrow();
  return signIn(t, email, 'violet-harbor-tundra-49');
}

describe('the rules', () => {
  it('starts every rule on, with the documented defaults', async () => {
    const { rules, mail } = (await call(t, 'GET', '/api/admin/alert-rules', { session: owner })).json();
    expect(mail).toEqual({ enabled: false });
    const byKey = Object.fromEntries(rules.map((rule: { key: string }) => [rule.key, rule]));
    expect(Object.keys(byKey)).toEqual(['bulk_viewing', 'mass_export', 'many_reveals', 'off_hours', 'new_ip', 'token_new_ip', 'repeated_denials']);
    expect(rules.every((rule: { enabled: boolean }) => rule.enabled)).toBe(true);
    expect(byKey.mass_export).toMatchObject({ action: 'suspend', threshold: 1000, windowMinutes: 60, severity: 'high', comparison: 'more_than' });
    expect(byKey.many_reveals).toMatchObject({ action: 'none', threshold: 10, windowMinutes: 60 });
    expect(byKey.repeated_denials).toMatchObject({ action: 'none', threshold: 10, windowMinutes: 10, comparison: 'at_least' });
    expect(byKey.off_hours).toMatchObject({ threshold: null, workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' } });
    expect(byKey.new_ip).toMatchObject({ lookbackDays: 90, kind: 'event' });
    expect(byKey.token_new_ip.actions).toEqual(['none', 'suspend']);
    // Changed in beforeEach: bulk viewing's own default is end_sessions.
    expect(byKey.bulk_viewing).toMatchObject({ action: 'none', threshold: 200, windowMinutes: 10 });
  });

  it('changes what is named, records which settings changed, and leaves the rest', async () => {
    const changed = await setRules(t, owner, [
      { key: 'bulk_viewing', threshold: 50, action: 'end_sessions' },
      { key: 'off_hours', workingHours: { days: [5, 1, 2, 3, 4, 1], start: '09:00', end: '18:30', timeZone: 'Europe/Berlin' } },
      { key: 'many_reveals', enabled: true },
    ]);
    const byKey = Object.fromEntries(changed.rules.map((rule: { key: string }) => [rule.key, rule]));
    expect(byKey.bulk_viewing).toMatchObject({ threshold: 50, action: 'end_sessions', windowMinutes: 10 });
    expect(byKey.off_hours.workingHours).toEqual({ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:30', timeZone: 'Europe/Berlin' });
    expect((await eventsOf(t, workspaceId, 'alert.rules_changed')).map((event) => event.metadata)).toEqual([
      { changes: ['bulk_viewing.action'] },
      { changes: ['bulk_viewing.action', 'bulk_viewing.threshold', 'off_hours.workingHours'] },
    ]);
  });

  it('refuses settings that do not fit the rule, naming the field', async () => {
    const put = (rules: unknown[]) => call(t, 'PUT', '/api/admin/alert-rules', { session: owner, body: { rules } });
    const refusal = async (rules: unknown[]) => (await put(rules)).json().error;
    expect(await refusal([{ key: 'token_new_ip', action: 'end_sessions' }])).toMatchObject({ code: 'action_not_allowed', field: 'rules.0.action' });
    expect(await refusal([{ key: 'bulk_viewing' }, { key: 'off_hours', threshold: 3 }])).toMatchObject({ code: 'not_applicable', field: 'rules.1.threshold' });
    expect(await refusal([{ key: 'new_ip', workingHours: { days: [1], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' } }])).toMatchObject({ code: 'not_applicable' });
    expect(await refusal([{ key: 'off_hours', workingHours: { days: [1], start: '08:00', end: '20:00', timeZone: 'Mars/Olympus' } }])).toMatchObject({
      code: 'invalid_time_zone',
      field: 'rules.0.workingHours.timeZone',
    });
    expect(await refusal([{ key: 'off_hours', workingHours: { days: [1], start: '20:00', end: '08:00', timeZone: 'Asia/Shanghai' } }])).toMatchObject({ code: 'invalid_working_hours' });
    expect(await refusal([{ key: 'off_hours', workingHours: { days: [1], start: '8:00', end: '20:00', timeZone: 'Asia/Shanghai' } }])).toMatchObject({ code: 'invalid_input' });
    expect(await refusal([{ key: 'bulk_viewing', threshold: 0 }])).toMatchObject({ code: 'invalid_input' });
    expect(await refusal([{ key: 'bulk_viewing' }, { key: 'bulk_viewing' }])).toMatchObject({ code: 'duplicate_rule', field: 'rules.1.key' });
    expect(await refusal([{ key: 'bulk_viewing', isAdmin: true }])).toMatchObject({ code: 'invalid_input' });
    expect(await refusal([{ key: 'geo_velocity' }])).toMatchObject({ code: 'invalid_input' });
    // Nothing changed by a refusal, and a request that changes nothing records nothing.
    await setRules(t, owner, [{ key: 'bulk_viewing', threshold: 200 }]);
    expect(await eventsOf(t, workspaceId, 'alert.rules_changed')).toHaveLength(1);
  });
});

describe('workspaces', () => {
  it('keeps alerts, rules and counts apart', async () => {
    const id = await raise();
    const other = await buildWorkspace(t);
    const otherOwner = await signIn(t, other.email, other.password);
    expect((await call(t, 'GET', '/api/alerts?status=all', { session: otherOwner })).json().items).toEqual([]);
    expect((await call(t, 'GET', `/api/alerts/${id}`, { session: otherOwner })).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/alerts/${id}/acknowledge`, { session: otherOwner })).statusCode).toBe(404);
    const theirRules = (await call(t, 'GET', '/api/admin/alert-rules', { session: otherOwner })).json().rules;
    expect(theirRules.find((rule: { key: string }) => rule.key === 'bulk_viewing').action).toBe('end_sessions');

    // 150 customers viewed in each workspace by one of its people: two windows, neither above 200.
    t.clock.advance(11 * MINUTE);
    const theirRep = await addMember(t, other.workspaceId);
    await listed(t, rep.actor, customerIds('x', 150));
    await listed(t, theirRep.actor, customerIds('x', 150));
    await t.services.alerts.runOnce();
    expect((await call(t, 'GET', '/api/alerts?status=all', { session: otherOwner })).json().items).toEqual([]);
    expect((await call(t, 'GET', '/api/alerts?status=all', { session: await signInAgain() })).json().items).toHaveLength(1);
  });
});
