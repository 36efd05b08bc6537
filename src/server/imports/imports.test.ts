import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../actor.js';
import { call, createTestApp, inviteMember, memberWithoutAccess, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import { createImportService, type ImportJob } from './service.js';

/** The import API end to end: upload (GBK), mapping, dry run, import, repeats, rejections and their file, re-import, matching, permissions, audit, cancel and resume. */

let t: TestApp;
let workspaceId: string;
let owner: Session;

beforeEach(async () => {
  t = await createTestApp();
  ({ workspaceId, admin: owner } = await workspaceWithAdmin(t));
});
afterEach(async () => {
  await t.services.imports.idle();
  await t.close();
});

const HEADER = '姓名,手机,邮箱,城市';
const ROWS = [
  '王芳,138 0013 8000,wang.fang@example.com,上海',
  '李雷,+86-139-0013-9000,li.lei@example.com,北京',
  // The same person again, another way of writing the phone, a new city: a repeat, counted as updated.
  '王芳,0086 13800138000,WANG.FANG@example.com,杭州',
  // Not a phone number: the row is refused with its reason.
  '韩梅梅,12345,han.meimei@example.com,广州',
];

function upload(session: Session, name: string, body: Buffer, contentType = 'application/octet-stream') {
  return t.app.inject({ method: 'POST', url: `/api/imports?name=${encodeURIComponent(name)}`, headers: { cookie: session.cookieHeader, 'x-csrf-token': session.csrfToken, 'content-type': contentType }, payload: body });
}

async function uploaded(session: Session, lines: readonly string[], encoding: 'gbk' | 'utf8' = 'utf8'): Promise<ImportJob> {
  const text = `${lines.join('\r\n')}\r\n`;
  const response = await upload(session, 'customers.csv', encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function finished(session: Session, id: string): Promise<ImportJob> {
  await t.services.imports.idle();
  const job = (await call(t, 'GET', `/api/imports/${id}`, { session })).json() as ImportJob;
  expect(job.status, JSON.stringify(job.error)).not.toBe('running');
  return job;
}

async function run(session: Session, job: ImportJob, options: Partial<{ dryRun: boolean; matchBy: string; onMatch: string; mapping: (string | null)[] }> = {}): Promise<ImportJob> {
  const body = { kind: 'person', mapping: job.preview?.mapping ?? job.mapping, matchBy: 'email', onMatch: 'update', dryRun: false, ...options };
  const started = await call(t, 'POST', `/api/imports/${job.id}/start`, { session, body });
  expect(started.statusCode, started.body).toBe(202);
  return finished(session, job.id);
}

const customerCount = async () => Number((await t.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);

describe('importing a customer list', () => {
  it('reads a GBK file, maps its Chinese headers, dry-runs without writing, then imports, folds the repeat and refuses the bad row', async () => {
    const job = await uploaded(owner, [HEADER, ...ROWS], 'gbk');
    expect(job.status).toBe('uploaded');
    expect(job.preview).toMatchObject({ format: 'csv', encoding: 'gbk', delimiter: ',', headers: ['姓名', '手机', '邮箱', '城市'], mapping: ['name', 'phone', 'email', 'city'] });
    expect(job.preview!.sample[0]).toEqual(['王芳', '138 0013 8000', 'wang.fang@example.com', '上海']);
    expect(job.matchBy).toBe('email');

    const dry = await run(owner, job, { dryRun: true });
    expect(dry).toMatchObject({ status: 'completed', dryRun: true, summary: { imported: 2, updated: 1, unchanged: 0, rejected: 1 }, progress: { done: 4, total: 4 } });
    expect(await customerCount()).toBe(0);

    const real = await run(owner, job);
    expect(real).toMatchObject({ status: 'completed', dryRun: false, summary: { imported: 2, updated: 1, unchanged: 0, rejected: 1 } });
    expect(await customerCount()).toBe(2);
    // The later row's values won (e-mails are kept as written, matched lower-cased): the repeat moved 王芳 to 杭州; her phone, written three ways, is one number.
    const found = (await call(t, 'GET', '/api/customers?phone=13800138000', { session: owner })).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '王芳', phone: '+8613800138000', email: 'WANG.FANG@example.com', city: '杭州' });

    // The error file: the row as it came, its number and why.
    const errors = await t.app.inject({ method: 'GET', url: `/api/imports/${job.id}/errors`, headers: { cookie: owner.cookieHeader } });
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toContain('text/csv');
    const lines = errors.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('姓名,手机,邮箱,城市,row,reasons');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^韩梅梅,12345,han\.meimei@example\.com,广州,4,phone: /);
  });

  it('creates nobody twice when the same file is imported again', async () => {
    const first = await run(owner, await uploaded(owner, [HEADER, ...ROWS]));
    expect(first.summary.imported).toBe(2);
    const again = await run(owner, await uploaded(owner, [HEADER, ...ROWS]));
    expect(again.summary).toMatchObject({ imported: 0, rejected: 1, duplicates: 0 });
    expect(again.summary.updated + again.summary.unchanged).toBe(3);
    expect(await customerCount()).toBe(2);
    // Rows without a match value are recognized by their content.
    const noEmail = ['姓名,邮箱,城市', '赵六,,深圳', '钱七,,南京'];
    expect((await run(owner, await uploaded(owner, noEmail))).summary).toMatchObject({ imported: 2 });
    expect((await run(owner, await uploaded(owner, noEmail))).summary).toMatchObject({ imported: 0, unchanged: 2 });
    expect(await customerCount()).toBe(4);
  });

  it('updates, fills only empty fields, or skips the customers it matches', async () => {
    const made = await call(t, 'POST', '/api/customers', { session: owner, body: { kind: 'person', name: '张伟', email: 'zhang.wei@example.com', city: '上海' } });
    expect(made.statusCode).toBe(201);
    const id = made.json().id;
    const file = ['Name,E-mail,City,Mobile', '张伟,Zhang.Wei@example.com,北京,13700001111'];
    const fill = await run(owner, await uploaded(owner, file), { onMatch: 'fillEmpty' });
    expect(fill.summary).toMatchObject({ imported: 0, updated: 1 });
    let customer = (await call(t, 'GET', `/api/customers/${id}`, { session: owner })).json();
    expect(customer).toMatchObject({ city: '上海', phone: '+8613700001111' });

    const skip = await run(owner, await uploaded(owner, ['Name,E-mail,City', '张伟,zhang.wei@example.com,广州']), { onMatch: 'skip' });
    expect(skip.summary).toMatchObject({ imported: 0, updated: 0, unchanged: 1 });
    const update = await run(owner, await uploaded(owner, ['Name,E-mail,City', '张伟,zhang.wei@example.com,广州']));
    expect(update.summary).toMatchObject({ imported: 0, updated: 1 });
    customer = (await call(t, 'GET', `/api/customers/${id}`, { session: owner })).json();
    expect(customer.city).toBe('广州');
    expect(await customerCount()).toBe(1);
  });

  it('matches by external id, and refuses a mapping without the match column or with a field twice', async () => {
    const job = await uploaded(owner, ['客户编号,姓名,手机', 'C-001,周杰,13600001111', 'C-002,吴莉,13600002222', 'C-001,周杰,13600003333']);
    expect(job.preview!.mapping).toEqual(['externalId', 'name', 'phone']);
    expect(job.matchBy).toBe('externalId');
    const bad = await call(t, 'POST', `/api/imports/${job.id}/start`, { session: owner, body: { kind: 'person', mapping: ['externalId', 'name', 'phone'], matchBy: 'email', onMatch: 'update', dryRun: false } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('match_column_missing');
    const twice = await call(t, 'POST', `/api/imports/${job.id}/start`, { session: owner, body: { kind: 'person', mapping: ['externalId', 'name', 'name'], matchBy: 'externalId', onMatch: 'update', dryRun: false } });
    expect(twice.json().error).toMatchObject({ code: 'mapping_invalid', field: '手机' });
    const done = await run(owner, job, { matchBy: 'externalId' });
    expect(done.summary).toMatchObject({ imported: 2, updated: 1, rejected: 0 });
    const again = await run(owner, await uploaded(owner, ['客户编号,姓名,手机', 'C-002,吴莉,13600009999']), { matchBy: 'externalId' });
    expect(again.summary).toMatchObject({ imported: 0, updated: 1 });
    expect(await customerCount()).toBe(2);
  });

  it('refuses what is not a table it can read, and a body that is not a file', async () => {
    const binary = await upload(owner, 'x.csv', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]));
    expect(binary.statusCode).toBe(400);
    expect(binary.json().error.code).toBe('unreadable_file');
    const json = await upload(owner, 'x.csv', Buffer.from('{}'), 'application/json');
    expect(json.statusCode).toBe(415);
  });
});

describe('who may import', () => {
  it('lets the owner and a sales manager import; refuses a sales rep, a role with no access and a stranger', async () => {
    const manager = await inviteMember(t, owner, 'sales_manager');
    const job = await uploaded(manager, [HEADER, ROWS[0]!]);
    expect((await run(manager, job)).summary.imported).toBe(1);
    const rep = await inviteMember(t, owner, 'sales_rep');
    expect((await upload(rep, 'a.csv', Buffer.from(`${HEADER}\r\n${ROWS[1]}\r\n`))).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/imports', { session: rep })).statusCode).toBe(403);
    const nobody = await memberWithoutAccess(t, owner, workspaceId);
    expect((await upload(nobody, 'a.csv', Buffer.from(`${HEADER}\r\n`))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/imports' })).statusCode).toBe(401);
    // A job is its maker's; whoever manages users sees every one.
    const otherManager = await inviteMember(t, owner, 'sales_manager');
    expect((await call(t, 'GET', `/api/imports/${job.id}`, { session: otherManager })).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/imports', { session: otherManager })).json().items).toEqual([]);
    expect((await call(t, 'GET', `/api/imports/${job.id}`, { session: owner })).statusCode).toBe(200);
    expect((await call(t, 'GET', '/api/imports', { session: owner })).json().items.map((j: ImportJob) => j.id)).toContain(job.id);
  });

  it('records the upload, the start, each batch with the customers it wrote, the end and the error file’s download', async () => {
    const job = await run(owner, await uploaded(owner, [HEADER, ...ROWS]));
    await t.app.inject({ method: 'GET', url: `/api/imports/${job.id}/errors`, headers: { cookie: owner.cookieHeader } });
    const events = await t.db.selectFrom('audit_events').select(['action', 'object_id', 'metadata']).where('workspace_id', '=', workspaceId).where('object_type', '=', 'import').orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['import.uploaded', 'import.started', 'customers.imported', 'import.finished', 'import.errors_downloaded']);
    const batch = JSON.parse(events[2]!.metadata) as { customerIds: string[]; created: number; rejected: number };
    expect(batch).toMatchObject({ created: 2, rejected: 1 });
    expect(batch.customerIds).toHaveLength(2);
    // "Who touched this customer" finds the import's batch.
    const links = await t.db.selectFrom('audit_event_customers').select('customer_id').where('workspace_id', '=', workspaceId).where('customer_id', '=', batch.customerIds[0]!).execute();
    expect(links.length).toBeGreaterThan(0);
    // Values never enter the trail.
    expect(JSON.stringify(events)).not.toContain('wang.fang');
  });
});

describe('stopping and going on', () => {
  it('cancels between batches and resumes after the last committed row, creating each customer once', async () => {
    const small = createImportService({ db: t.db, clock: t.clock, audit: t.services.audit, keys: t.keys, vault: t.services.vault, fields: t.services.fields, dir: `${t.config.dataDir}/imports`, batchRows: 5 });
    const actor = systemActor(workspaceId, 'test');
    const lines = ['name,email', ...Array.from({ length: 40 }, (_, i) => `Person ${i},p${i}@example.com`)];
    const job = await small.upload(actor, 'people.csv', [Buffer.from(lines.join('\n'))]);
    await small.start(actor, job.id, { kind: 'person', mapping: ['name', 'email'], matchBy: 'email', onMatch: 'update', dryRun: false });
    const cancelled = await small.cancel(actor, job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress.done).toBeLessThan(40);
    expect(await customerCount()).toBe(cancelled.summary.imported);
    expect((await small.resume(actor, job.id)).status).toBe('running');
    await small.idle();
    const resumed = await small.get(actor, job.id);
    expect(resumed).toMatchObject({ status: 'completed', progress: { done: 40 }, summary: { imported: 40, rejected: 0 } });
    expect(await customerCount()).toBe(40);
  });

  it('marks an import a stopped process left running as interrupted, ready to resume', async () => {
    const actor = systemActor(workspaceId, 'test');
    const job = await t.services.imports.upload(actor, 'people.csv', [Buffer.from('name,email\nA,a@example.com\n')]);
    await t.db.updateTable('import_jobs').set({ status: 'running' }).where('id', '=', job.id).execute();
    expect(await t.services.imports.markInterrupted()).toBe(1);
    expect((await t.services.imports.get(actor, job.id)).error?.code).toBe('interrupted');
  });
});
