import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, inviteMember, openTestDatabase, signIn, STRONG_PASSWORD, testClock, uniqueEmail, type Session, type TestApp } from '../../../test/factories.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLocalKeyProvider, loadMasterKey, type KeyProvider } from '../keys/key-provider.js';
import { runCli } from '../cli.js';
import { systemActor } from '../actor.js';
import { createBackupService } from './service.js';

// Recovering single customers from a backup (issue 6, item 5) through the API, against an
// installation on SQLite, or on PostgreSQL when CUSTOS_TEST_DATABASE_URL is set.

let live: Awaited<ReturnType<typeof openTestDatabase>>;
let built: Awaited<ReturnType<typeof buildApp>>;
/** The factories' request helpers need only the app: this installation is built here, with the backup folder and database URL a backup needs. */
let t: TestApp;
let admin: Session;
let workspaceId: string;
let backupDir: string;
/** The installation's master key, in its data directory: the CLI opens the same. */
let keys: KeyProvider;

beforeEach(async () => {
  live = await openTestDatabase();
  backupDir = path.join(live.dataDir, 'backups');
  fs.mkdirSync(backupDir);
  keys = createLocalKeyProvider(loadMasterKey(live.env, live.dataDir).key);
  built = await buildApp({ config: loadConfig({ ...live.env, CUSTOS_BACKUP_DIR: backupDir }), keys, logger: false, database: live.database, clock: testClock(), rateLimitPerMinute: 100_000 });
  t = { app: built.app } as TestApp;
  const email = uniqueEmail('owner');
  ({ workspaceId } = await built.services.workspaces.createWithOwner({ workspaceName: 'Acme', email, displayName: 'Olivia Owner', password: STRONG_PASSWORD }));
  admin = await signIn(t, email, STRONG_PASSWORD);
});

afterEach(async () => {
  await built.app.close();
  await live.drop();
});

async function createCustomer(body: Record<string, unknown>): Promise<string> {
  const created = await call(t, 'POST', '/api/customers', { session: admin, body: { kind: 'person', ...body } });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

async function customer(id: string): Promise<Record<string, unknown>> {
  const read = await call(t, 'GET', `/api/customers/${id}`, { session: admin });
  expect(read.statusCode, read.body).toBe(200);
  return read.json();
}

async function backUp(name: string): Promise<void> {
  const config = loadConfig(live.env);
  await createBackupService({ database: built.database, databaseUrl: config.databaseUrl, dataDir: config.dataDir, keys, clock: built.clock, audit: built.services.audit }).create({ out: path.join(backupDir, name) });
}

const recover = (session: Session, body: Record<string, unknown>) => call(t, 'POST', '/api/admin/backups/recover', { session, body });

async function recoveredEvents(): Promise<{ object_id: string | null; metadata: unknown }[]> {
  return built.database.db.selectFrom('audit_events').select(['object_id', 'metadata']).where('workspace_id', '=', workspaceId).where('action', '=', 'customer.recovered').execute();
}

/** A colleague whose role may change settings and update only their own customers. */
async function settingsAdminOfOwnCustomers(): Promise<Session> {
  const permissions = {
    objects: { customers: { read: 'own', update: 'own' } },
    fields: { byClass: { public: 'write', internal: 'write', personal: 'write', sensitive: 'write' }, byField: {} },
    capabilities: ['manageSettings'],
  };
  const made = await call(t, 'POST', '/api/admin/roles', { session: admin, body: { key: 'settings_own', labels: { en: 'Settings, own', 'zh-CN': '设置（自己的）' }, permissions } });
  expect(made.statusCode, made.body).toBe(201);
  const email = uniqueEmail('settings');
  await built.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: 'Settings', password: STRONG_PASSWORD, role: 'settings_own' });
  return signIn(t, email, STRONG_PASSWORD);
}

describe('recovering customers from a backup', () => {
  it('sets two badly edited customers back, leaves the others alone, with field history and audit events', async () => {
    const ids = [
      await createCustomer({ name: '王伟', email: 'wang.wei@example.com', phone: '+86 139 0000 0001', source: 'fair' }),
      await createCustomer({ name: '李娜', email: 'li.na@example.com', phone: '+86 139 0000 0002', source: 'web' }),
      await createCustomer({ name: '张敏', email: 'zhang.min@example.com', source: 'referral' }),
    ];
    await backUp('before.custos');
    // The bad bulk edit: every customer's source and email overwritten.
    for (const [i, id] of ids.entries()) {
      const edited = await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { source: 'oops', email: `wrong${i}@example.com` } });
      expect(edited.statusCode, edited.body).toBe(200);
    }

    const dry = await recover(admin, { file: 'before.custos', customerIds: ids.slice(0, 2), dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().dryRun).toBe(true);
    expect(dry.json().customers.map((c: { fields: string[] }) => c.fields.sort())).toEqual([
      ['email', 'source'],
      ['email', 'source'],
    ]);
    expect((await customer(ids[0]!)).source).toBe('oops');
    expect(await recoveredEvents()).toEqual([]);

    const done = await recover(admin, { file: 'before.custos', customerIds: ids.slice(0, 2) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().dryRun).toBe(false);
    expect((await customer(ids[0]!)).source).toBe('fair');
    expect((await customer(ids[1]!)).source).toBe('web');
    expect((await customer(ids[2]!)).source).toBe('oops');
    // Re-indexed: the old email finds the customer again, the wrong one no longer does.
    const lookup = async (email: string) => (await call(t, 'GET', `/api/customers?email=${encodeURIComponent(email)}`, { session: admin })).json().items.map((c: { id: string }) => c.id);
    expect(await lookup('wang.wei@example.com')).toEqual([ids[0]]);
    expect(await lookup('wrong0@example.com')).toEqual([]);
    expect(await lookup('wrong2@example.com')).toEqual([ids[2]]);
    const history = await call(t, 'GET', `/api/customers/${ids[0]}/history`, { session: admin });
    expect(history.statusCode, history.body).toBe(200);
    expect(JSON.stringify(history.json())).toContain('fair');
    const events = await recoveredEvents();
    expect(events.map((e) => e.object_id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(JSON.stringify(events[0]!.metadata)).toContain('backupCreatedAt');

    // Once set back, nothing differs any more.
    const again = await recover(admin, { file: 'before.custos', customerIds: [ids[0]], dryRun: true });
    expect(again.json().customers).toEqual([{ id: ids[0], fields: [] }]);
  });

  it('refuses a sales rep (403) and, for a caller updating only their own customers, others as not found (404)', async () => {
    const id = await createCustomer({ name: '王伟', source: 'fair' });
    await backUp('before.custos');
    const rep = await inviteMember(t, admin, 'sales_rep');
    expect((await recover(rep, { file: 'before.custos', customerIds: [id] })).statusCode).toBe(403);

    const settings = await settingsAdminOfOwnCustomers();
    const outOfScope = await recover(settings, { file: 'before.custos', customerIds: [id] });
    expect(outOfScope.statusCode, outOfScope.body).toBe(404);
    expect(outOfScope.json().error.code).toBe('customer_not_found');
    expect(await recoveredEvents()).toEqual([]);
  });

  it('never brings back an erased customer', async () => {
    const id = await createCustomer({ name: '王伟', email: 'wang.wei@example.com' });
    await backUp('before.custos');
    const erased = await call(t, 'POST', `/api/customers/${id}/erase`, { session: admin, body: { reason: 'subject request 42' } });
    expect(erased.statusCode, erased.body).toBe(204);
    const refused = await recover(admin, { file: 'before.custos', customerIds: [id] });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('customer_erased');
    expect(await recoveredEvents()).toEqual([]);
  });

  it('refuses, writing nothing, a customer created after the backup or deleted since', async () => {
    const kept = await createCustomer({ name: '王伟', source: 'fair' });
    const deleted = await createCustomer({ name: '李娜', source: 'web' });
    await backUp('before.custos');
    const later = await createCustomer({ name: '张敏' });
    expect((await call(t, 'PATCH', `/api/customers/${kept}`, { session: admin, body: { source: 'oops' } })).statusCode).toBe(200);
    expect((await call(t, 'DELETE', `/api/customers/${deleted}`, { session: admin })).statusCode).toBe(204);
    const notInBackup = await recover(admin, { file: 'before.custos', customerIds: [kept, later] });
    expect(notInBackup.statusCode, notInBackup.body).toBe(409);
    expect(notInBackup.json().error.code).toBe('not_in_backup');
    const wasDeleted = await recover(admin, { file: 'before.custos', customerIds: [kept, deleted] });
    expect(wasDeleted.statusCode, wasDeleted.body).toBe(409);
    expect(wasDeleted.json().error.code).toBe('customer_deleted');
    expect((await customer(kept)).source).toBe('oops');
    expect(await recoveredEvents()).toEqual([]);
  });

  it('reads only backups of the backup folder, by file name', async () => {
    const id = await createCustomer({ name: '王伟' });
    await backUp('before.custos');
    fs.copyFileSync(path.join(backupDir, 'before.custos'), path.join(live.dataDir, 'outside.custos'));
    for (const file of ['../outside.custos', path.join(live.dataDir, 'outside.custos'), '..', 'sub/../before.custos', '..\\outside.custos']) {
      const refused = await recover(admin, { file, customerIds: [id] });
      expect(refused.statusCode, `${file}: ${refused.body}`).toBe(400);
      expect(refused.json().error.code).toBe('invalid_backup_file');
    }
    expect((await recover(admin, { file: 'missing.custos', customerIds: [id] })).statusCode).toBe(404);
    fs.writeFileSync(path.join(backupDir, 'junk.custos'), 'not a backup');
    const junk = await recover(admin, { file: 'junk.custos', customerIds: [id] });
    expect(junk.statusCode, junk.body).toBe(400);
    expect(junk.json().error.code).toBe('backup_unreadable');
  });

  it('works from the CLI: custos backup recover --from FILE --customer ID [--dry-run]', async () => {
    const id = await createCustomer({ name: '王伟', source: 'fair' });
    await backUp('before.custos');
    expect((await call(t, 'PATCH', `/api/customers/${id}`, { session: admin, body: { source: 'oops' } })).statusCode).toBe(200);
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const code = await runCli(['backup', 'recover', '--from', path.join(backupDir, 'before.custos'), '--customer', id, ...args], { out: (text) => out.push(text), err: () => {}, readStdin: async () => '', env: { ...live.env } });
      return { code, stdout: out.join('\n') };
    };
    const dry = await cli('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`${id}: would set back source`);
    expect((await customer(id)).source).toBe('oops');
    const done = await cli('--json');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout).customers).toEqual([{ id, fields: ['source'] }]);
    expect((await customer(id)).source).toBe('fair');
    expect((await recoveredEvents()).map((e) => e.object_id)).toEqual([id]);
  });
});
