import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { newId } from '../ids.js';
import { MONTHS_HORIZON, type QualityReport } from '../../shared/quality.js';
import { createQualityService } from './service.js';
import { call, createTestApp, inviteMember, signIn, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';

let t: TestApp;
let workspaceId: string;
let owner: Awaited<ReturnType<typeof workspaceWithAdmin>>['owner'];
let admin: Session;

beforeEach(async () => {
  t = await createTestApp();
  ({ owner, workspaceId, admin } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.close();
});

const NATIONAL_ID = '11010519491231002X';
/** When the reports below run: three years after the test clock's start (2026-11-29T09:00Z). */
const NOW = new Date('2029-11-29T12:00:00.000Z');

/** Moves the clock (only ever forward) and signs the owner in again: a session does not outlive years. */
async function at(iso: string | Date): Promise<Session> {
  t.clock.set(new Date(iso));
  admin = await signIn(t, owner.email, owner.password);
  return admin;
}

async function createCustomer(body: Record<string, unknown>): Promise<string> {
  const created = await call(t, 'POST', '/api/customers', { session: admin, body });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

async function run(session: Session, body: Record<string, unknown> = {}): Promise<QualityReport> {
  const started = await call(t, 'POST', '/api/quality/reports', { session, body });
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().status).toBe('running');
  return finished(session, started.json().id);
}

async function finished(session: Session, id: string): Promise<QualityReport> {
  for (let i = 0; i < 500; i++) {
    const report: QualityReport = (await call(t, 'GET', `/api/quality/reports/${id}`, { session })).json();
    if (report.status !== 'running') return report;
    await sleep(10);
  }
  throw new Error('the report did not finish');
}

/**
 * A small workspace whose every count is known: four live people and a company, last active at
 * known months before NOW, one value stored before its field's validation was tightened.
 */
async function seed() {
  const system = systemActor(workspaceId, 'test');
  const addField = (body: Record<string, unknown>) => call(t, 'POST', '/api/admin/fields', { session: admin, body: { kind: 'person', labels: { en: 'F', 'zh-CN': '字段' }, sensitivity: 'internal', ...body } });
  expect((await addField({ key: 'nickname', type: 'text' })).statusCode).toBe(201);
  expect((await addField({ key: 'retired', type: 'text' })).statusCode).toBe(201);

  // 2026-11-29 (the clock's start): a company, never active since — 36 months or more before NOW.
  await createCustomer({ kind: 'company', name: 'Acme Trading' });
  // A person with a note written 2028-05-10: 18 months before NOW.
  const f = await createCustomer({ kind: 'person', name: '刘洋', nickname: 'Xiaoming', retired: 'kept out' });
  await at('2028-01-15T00:00:00.000Z');
  // Changed 2028-01-15, but a behaviour event on 2029-06-15: 5 months before NOW.
  const a = await createCustomer({ kind: 'person', name: '张伟', email: 'zhang.wei@example.com', nationalId: NATIONAL_ID, nickname: 'Xiao' });
  await at('2028-05-10T00:00:00.000Z');
  await t.services.vault.addNote(system, f, 'Called back.');
  await at('2028-11-01T00:00:00.000Z');
  // Created 2028-11-01 (12 months before NOW); its only order is older than that.
  const b = await createCustomer({ kind: 'person', name: '王芳', phone: '13800138000' });
  await t.services.vault.addTransaction(system, b, { occurredAt: '2028-06-01T00:00:00.000Z', amountMinor: 1000, currency: 'CNY', status: 'paid' });
  // Deleted customers are not counted.
  const gone = await createCustomer({ kind: 'person', name: '李娜', email: 'li.na@example.com' });
  expect((await call(t, 'DELETE', `/api/customers/${gone}`, { session: admin })).statusCode).toBe(204);
  await t.services.vault.ingestEvents(system, [{ customerId: a, type: 'page_view', occurredAt: '2029-06-15T00:00:00.000Z' }]);
  await at(NOW);
  // Active now.
  await createCustomer({ kind: 'person', name: '陈静' });

  // Tightened after "Xiao" was stored: 4 characters, now at least 5. An archived field is left out.
  expect((await call(t, 'PATCH', '/api/admin/fields/person/nickname', { session: admin, body: { validation: { minLength: 5 } } })).statusCode).toBe(200);
  expect((await call(t, 'PATCH', '/api/admin/fields/person/retired', { session: admin, body: { archived: true } })).statusCode).toBe(200);

  // Candidates the duplicates scan would have found: one per band, and one already dismissed.
  const candidate = (score: number, status: string) => ({
    workspace_id: workspaceId,
    id: newId(),
    customer_a: a,
    customer_b: newId(),
    score,
    reasons: '["name"]',
    status,
    created_at: NOW.getTime(),
    resolved_by: null,
    resolved_at: null,
  });
  await t.db.insertInto('duplicate_candidates').values([candidate(96, 'open'), candidate(80, 'open'), candidate(81, 'open'), candidate(40, 'open'), candidate(99, 'dismissed')]).execute();
}

const field = (report: QualityReport, kind: string, key: string) => report.result!.fields.find((f) => f.kind === kind && f.key === key);

describe('the data-quality report', () => {
  it('counts filled, empty and invalid values per field, stale customers by months of inactivity, and open duplicates by band', async () => {
    await seed();
    const report = await run(admin, { staleMonths: 12 });
    expect(report).toMatchObject({ status: 'completed', staleMonths: 12, progress: { done: 5, total: 5, eta: 0 }, error: null, finishedAt: NOW.toISOString() });
    const result = report.result!;
    expect(result.asOf).toBe(NOW.toISOString());
    expect(result.customers).toEqual({ person: 4, company: 1 });
    expect(result.unreadable).toBe(0);

    expect(field(report, 'person', 'name')).toMatchObject({ filled: 4, empty: 0, invalid: [], builtIn: true, required: true, sensitivity: 'personal' });
    // Encrypted (personal and sensitive) values are opened to be counted.
    expect(field(report, 'person', 'email')).toMatchObject({ filled: 1, empty: 3, invalid: [] });
    expect(field(report, 'person', 'phone')).toMatchObject({ filled: 1, empty: 3, invalid: [] });
    expect(field(report, 'person', 'nationalId')).toMatchObject({ filled: 1, empty: 3, invalid: [], sensitivity: 'sensitive' });
    expect(field(report, 'person', 'nickname')).toMatchObject({ filled: 2, empty: 2, invalid: [{ code: 'too_short', count: 1 }], builtIn: false });
    expect(field(report, 'person', 'retired')).toBeUndefined();
    expect(field(report, 'company', 'name')).toMatchObject({ filled: 1, empty: 0 });
    expect(field(report, 'company', 'domain')).toMatchObject({ filled: 0, empty: 1 });
    for (const row of result.fields) expect(row.filled + row.empty, `${row.kind}.${row.key}`).toBe(row.kind === 'person' ? 4 : 1);

    const expected = new Array(MONTHS_HORIZON + 1).fill(0);
    for (const months of [0, 5, 12, 18, MONTHS_HORIZON]) expected[months] = 1;
    expect(result.stale).toEqual({ months: 12, count: 3, byMonths: expected });
    expect(result.duplicates).toEqual({ open: 4, bands: [{ band: 'high', count: 1 }, { band: 'medium', count: 2 }, { band: 'low', count: 1 }] });

    // Another threshold, chosen per report.
    expect((await run(admin, { staleMonths: 24 })).result!.stale).toMatchObject({ months: 24, count: 1 });
    // The default is 12 months.
    expect((await run(admin)).staleMonths).toBe(12);
  });

  it('keeps the latest report and the latest completed one for the page, and refuses what it cannot do', async () => {
    expect((await call(t, 'GET', '/api/quality/reports/latest', { session: admin })).json()).toEqual({ latest: null, completed: null });
    await createCustomer({ kind: 'person', name: '张伟' });
    const first = await run(admin);
    const latest = (await call(t, 'GET', '/api/quality/reports/latest', { session: admin })).json();
    expect(latest.latest.id).toBe(first.id);
    expect(latest.completed.id).toBe(first.id);
    expect((await call(t, 'GET', `/api/quality/reports/${newId()}`, { session: admin })).json().error.code).toBe('quality_report_not_found');
    expect((await call(t, 'POST', `/api/quality/reports/${first.id}/cancel`, { session: admin })).json().error.code).toBe('quality_report_not_running');
    expect((await call(t, 'POST', '/api/quality/reports', { session: admin, body: { staleMonths: 7 } })).statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/quality/reports', { session: admin, body: { staleMonths: 12, extra: 1 } })).statusCode).toBe(400);
  });

  it('is recorded with counts only: never a value or a customer id', async () => {
    await seed();
    await run(admin);
    const events = await t.db.selectFrom('audit_events').select(['action', 'outcome', 'metadata', 'object_type', 'object_id']).where('workspace_id', '=', workspaceId).where('action', '=', 'customers.quality_report').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'success', object_type: 'workspace', object_id: workspaceId });
    expect(JSON.parse(events[0]!.metadata)).toEqual({ staleMonths: 12, customers: 5, completed: true, fields: expect.any(Number), invalid: 1, stale: 3, duplicateCandidates: 4 });
    const stored = await t.db.selectFrom('quality_reports').select('result').execute();
    expect(stored[0]!.result).not.toMatch(/Xiao|zhang|@|13800138000|110105|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('who may see it', () => {
  it('owners and administrators may; roles reading every customer may, without the fields hidden from them; a sales rep may not; a stranger is asked to sign in', async () => {
    await createCustomer({ kind: 'person', name: '张伟', nationalId: NATIONAL_ID });
    const asAdmin = await inviteMember(t, admin, 'admin');
    expect(field(await run(asAdmin), 'person', 'nationalId')).toMatchObject({ filled: 1 });

    // The analyst and the DPO read every customer: they see the counts, but not of sensitive fields hidden from them.
    for (const role of ['analyst', 'auditor']) {
      const member = await inviteMember(t, admin, role);
      const report = await run(member);
      expect(field(report, 'person', 'name'), role).toMatchObject({ filled: 1 });
      expect(field(report, 'person', 'nationalId'), role).toBeUndefined();
    }

    const { completed } = (await call(t, 'GET', '/api/quality/reports/latest', { session: admin })).json();
    const rep = await inviteMember(t, admin, 'sales_rep');
    for (const [method, url] of [
      ['POST', '/api/quality/reports'],
      ['GET', '/api/quality/reports/latest'],
      ['GET', `/api/quality/reports/${completed.id}`],
      ['POST', `/api/quality/reports/${completed.id}/cancel`],
    ] as const) {
      const refused = await call(t, method, url, { session: rep, body: method === 'POST' ? {} : undefined });
      expect(refused.statusCode, url).toBe(403);
      expect((await call(t, method, url, { body: method === 'POST' ? {} : undefined })).statusCode, url).toBe(401);
    }
  });
});

describe('as a job', () => {
  /** The gateway's report a batch of one customer at a time, each batch held until `release` is called. */
  function heldService() {
    let release: () => void = () => undefined;
    let held = new Promise<void>((resolve) => (release = resolve));
    const quality = createQualityService({
      db: t.db,
      clock: t.clock,
      vault: {
        qualityReport: (actor, options) =>
          t.services.vault.qualityReport(actor, {
            ...options,
            batchSize: 1,
            onProgress: async (progress) => {
              await options.onProgress?.(progress);
              // Held until released, or until the job is stopped.
              const signal = options.signal!;
              if (progress.done > 0 && !signal.aborted) await Promise.race([held, new Promise((resolve) => signal.addEventListener('abort', resolve))]);
            },
          }),
      },
      onFailure: (error) => {
        throw error;
      },
    });
    return {
      quality,
      release() {
        release();
        held = new Promise<void>((resolve) => (release = resolve));
      },
    };
  }

  it('shows its progress and stops when cancelled, the stop recorded', async () => {
    for (const name of ['张伟', '王芳', '李娜']) await createCustomer({ kind: 'person', name });
    const actor = systemActor(workspaceId, 'test');
    const { quality } = heldService();
    const started = await quality.start(actor, { staleMonths: 6 });
    expect(started).toMatchObject({ status: 'running', staleMonths: 6, progress: { done: 0 } });
    // The first batch is done and held: its progress is written, and seen through the API too.
    for (let i = 0; i < 100 && (await quality.get(actor, started.id)).progress.done === 0; i++) await sleep(5);
    expect((await call(t, 'GET', `/api/quality/reports/${started.id}`, { session: admin })).json()).toMatchObject({ status: 'running', progress: { done: 1, total: 3 } });
    expect((await call(t, 'POST', '/api/quality/reports', { session: admin, body: {} })).json().error.code).toBe('quality_report_running');

    const cancelled = await quality.cancel(actor, started.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', result: null, progress: { done: 1, total: 3, eta: null } });
    const event = await t.db.selectFrom('audit_events').select('metadata').where('workspace_id', '=', workspaceId).where('action', '=', 'customers.quality_report').executeTakeFirstOrThrow();
    expect(JSON.parse(event.metadata)).toMatchObject({ customers: 1, completed: false });
  });

  it('stops as cancelled when another server cancels it, and as interrupted when its server stops', async () => {
    for (const name of ['张伟', '王芳', '李娜']) await createCustomer({ kind: 'person', name });
    const actor = systemActor(workspaceId, 'test');
    const first = heldService();
    const started = await first.quality.start(actor, { staleMonths: 12 });
    for (let i = 0; i < 100 && (await first.quality.get(actor, started.id)).progress.done === 0; i++) await sleep(5);
    // Cancelled through the API (the routes' own service): the job sees it at its next batch.
    expect((await call(t, 'POST', `/api/quality/reports/${started.id}/cancel`, { session: admin })).json().status).toBe('cancelled');
    first.release();
    await first.quality.stopAll();
    expect((await first.quality.get(actor, started.id)).status).toBe('cancelled');

    const second = heldService();
    const next = await second.quality.start(actor, { staleMonths: 12 });
    await second.quality.stopAll();
    expect((await second.quality.get(actor, next.id)).error).toMatchObject({ code: 'interrupted' });
  });

  it('runs each night for the workspaces that use it, once a day, with their last threshold', async () => {
    await createCustomer({ kind: 'person', name: '张伟' });
    // Server time (the night is the server's, like the backup schedule's).
    const night = (day: number, hour: number) => new Date(2026, 11, day, hour, 10);
    t.clock.set(night(1, 3));
    expect(await t.services.quality.nightly()).toBe(0);

    admin = await at(night(1, 2));
    const first = await run(admin, { staleMonths: 6 });
    t.clock.set(night(1, 4));
    // An hour and more old: fresh enough for tonight.
    expect(await t.services.quality.nightly()).toBe(0);
    t.clock.set(night(2, 12));
    expect(await t.services.quality.nightly()).toBe(0);
    t.clock.set(night(3, 3));
    expect(await t.services.quality.nightly()).toBe(1);
    expect(await t.services.quality.nightly()).toBe(0);

    const { latest } = (await call(t, 'GET', '/api/quality/reports/latest', { session: await at(night(3, 3)) })).json();
    expect(latest).toMatchObject({ status: 'completed', staleMonths: 6, progress: { done: 1, total: 1 } });
    expect(latest.id).not.toBe(first.id);
    const actors = await t.db.selectFrom('audit_events').select('actor_type').where('workspace_id', '=', workspaceId).where('action', '=', 'customers.quality_report').orderBy('seq').execute();
    expect(actors.map((a) => a.actor_type)).toEqual(['user', 'system']);
  });

  it('reads a running report that no server moves any more as interrupted', async () => {
    const at = t.clock.now().getTime();
    const id = newId(at);
    await t.db
      .insertInto('quality_reports')
      .values({ workspace_id: workspaceId, id, created_by: 'test', status: 'running', stale_months: 12, done: 10, total: 100, created_at: at, heartbeat_at: at, finished_at: null, error_code: null, result: null })
      .execute();
    expect((await call(t, 'GET', `/api/quality/reports/${id}`, { session: admin })).json().status).toBe('running');
    t.clock.advance(6 * 60_000);
    admin = await signIn(t, owner.email, owner.password);
    expect((await call(t, 'GET', `/api/quality/reports/${id}`, { session: admin })).json()).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    // …and a new one may start.
    expect((await call(t, 'POST', '/api/quality/reports', { session: admin, body: {} })).statusCode).toBe(202);
  });
});
