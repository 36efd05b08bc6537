import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, STRONG_PASSWORD, TEST_DATABASE_URL } from '../../../test/factories.js';
import { systemActor } from '../actor.js';
import type { AuditAction } from '../audit/events.js';
import { buildApp } from '../app.js';
import { runCli } from '../cli.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../clock.js';
import { openDatabase, type Database } from '../db/database.js';
import { createLocalKeyProvider, loadMasterKey, type KeyProvider } from '../keys/key-provider.js';
import { inSchema } from './postgres.js';
import { createBackupService } from './service.js';

// `custos backup`, `custos backup verify` and `custos restore` as an operator runs them, against
// a live installation the test writes to through the API — on SQLite, or on PostgreSQL when
// CUSTOS_TEST_DATABASE_URL is set.

let live: Awaited<ReturnType<typeof openTestDatabase>>;
let keys: KeyProvider;
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let services: Awaited<ReturnType<typeof buildApp>>['services'];
/** Schemas and directories restored into, removed after each test. */
const restored: { schemas: string[]; dirs: string[] } = { schemas: [], dirs: [] };

async function run(args: string[], env: Record<string, string> = live.env, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text), readStdin: async () => stdin, env: { ...env } });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

beforeEach(async () => {
  live = await openTestDatabase();
  expect((await run(['create-admin', '--email', 'owner@example.com', '--password-stdin', '--workspace', 'Acme'], live.env, `${STRONG_PASSWORD}\n`)).code).toBe(0);
  keys = createLocalKeyProvider(loadMasterKey(live.env, live.dataDir).key);
  ({ app, services } = await buildApp({ config: loadConfig(live.env), keys, logger: false, database: live.database }));
});

afterEach(async () => {
  await app.close();
  await live.drop();
  if (TEST_DATABASE_URL && restored.schemas.length > 0) {
    const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
    for (const schema of restored.schemas.splice(0)) await admin.schema.dropSchema(schema).ifExists().cascade().execute();
    await admin.destroy();
  }
  for (const dir of restored.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(on: typeof app, email = 'owner@example.com'): Promise<Session> {
  const response = await on.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: STRONG_PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = response.cookies.find((c) => c.name.endsWith('custos_session'))!;
  return { cookie: `${cookie.name}=${cookie.value}`, csrf: response.json().csrfToken };
}

function api(on: typeof app, session: Session, method: 'GET' | 'POST', url: string, body?: object) {
  return on.inject({ method, url, headers: { cookie: session.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf }) }, ...(body ? { payload: body } : {}) });
}

async function createCustomer(session: Session, body: Record<string, unknown>): Promise<string> {
  const created = await api(app, session, 'POST', '/api/customers', body);
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

const canary = { kind: 'person', name: '金丝雀备份', email: 'canary.backup.9c1e@example.net', phone: '+86 139 8765 4321' };
const canaryNeedles = ['金丝雀', 'canary.backup.9c1e', '8613987654321', '139 8765 4321'];

/** A new place to restore into: a directory (SQLite) or an empty schema (PostgreSQL), with the env a CLI needs there. */
async function restoreTarget(): Promise<{ args: string[]; env: Record<string, string>; open(): Database }> {
  const masterKeyFile = path.join(live.dataDir, 'master.key');
  if (!TEST_DATABASE_URL) {
    const dir = fs.mkdtempSync(path.join(path.dirname(live.dataDir), 'custos-restored-'));
    fs.rmSync(dir, { recursive: true });
    restored.dirs.push(dir);
    return {
      args: ['--data-dir', dir],
      env: { CUSTOS_DATA_DIR: dir, CUSTOS_MASTER_KEY_FILE: masterKeyFile },
      open: () => openDatabase({ databaseUrl: null, sqlitePath: path.join(dir, 'custos.sqlite') }),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  restored.schemas.push(schema);
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
  await admin.schema.createSchema(schema).execute();
  await admin.destroy();
  const url = inSchema(TEST_DATABASE_URL, schema);
  return {
    args: ['--database-url', url],
    env: { CUSTOS_DATA_DIR: live.dataDir, CUSTOS_DATABASE_URL: url, CUSTOS_MASTER_KEY_FILE: masterKeyFile },
    open: () => openDatabase({ databaseUrl: url, sqlitePath: '' }),
  };
}

/** The restored installation served with the same master key. */
async function appOn(database: Database, env: Record<string, string>) {
  return (await buildApp({ config: loadConfig(env), keys, logger: false, database })).app;
}

async function actions(db: Database['db'], action: AuditAction) {
  return db.selectFrom('audit_events').select(['outcome', 'metadata', 'actor_id']).where('action', '=', action).orderBy('seq').execute();
}

describe('custos backup and backup verify', () => {
  it('backs up while customers are being written: a sealed file that restores whole, with its audit chains', async () => {
    const owner = await signIn(app);
    await createCustomer(owner, canary);
    const workspace = await live.database.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    const seeded = await services.vault.createMany(
      systemActor(workspace.id, 'test'),
      Array.from({ length: 1000 }, (_, i) => ({ kind: 'company', name: `Company ${i}`, domain: `c${i}.example.com` })),
    );
    expect(seeded.rejected).toEqual([]);

    // Writes through the API go on for as long as the backup runs: between the snapshot's steps
    // (SQLite's online backup yields to the event loop) or while pg_dump streams.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createCustomer(owner, { kind: 'company', name: `Meanwhile ${written}` });
        written += 1;
      }
    })();
    const file = path.join(live.dataDir, 'nightly.cbk');
    const copying: number[] = [];
    const backups = createBackupService({ database: live.database, databaseUrl: live.env.CUSTOS_DATABASE_URL ?? null, dataDir: live.dataDir, keys, clock: systemClock, audit: services.audit });
    const writtenBefore = written;
    const made = await backups.create({ out: file, by: 'cli', onProgress: (progress) => (progress.phase === 'encrypt' || progress.phase === 'dump' ? copying.push(written) : undefined) }).finally(() => {
      writing = false;
    });
    const writtenDuring = written - writtenBefore;
    await writer;
    expect(copying.length).toBeGreaterThan(1);
    // SQLite reads and encrypts the file piece by piece with the server writing between the
    // pieces (into the WAL); pg_dump reads an exported snapshot in a process of its own while
    // the server writes.
    if (TEST_DATABASE_URL) expect(writtenDuring, 'writes committed during the backup').toBeGreaterThan(0);
    else expect(copying.at(-1)! - copying[0]!, 'writes committed between the pieces').toBeGreaterThan(0);
    expect(made.passes).toBe(1);
    expect(made.manifest).toMatchObject({ dialect: TEST_DATABASE_URL ? 'postgres' : 'sqlite', schemaVersion: expect.stringMatching(/^\d{14}_/) });
    expect(made.manifest.tables.customers).toBeGreaterThanOrEqual(1001);
    expect(made.manifest.tables.customers).toBeLessThan(1001 + written);
    expect(await backups.manifest(file)).toEqual(made.manifest);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Nothing else is left beside it (no partial file, no snapshot).
    expect(fs.readdirSync(live.dataDir).filter((name) => name.startsWith('.'))).toEqual([]);

    // Encrypted as a whole: no customer value, no table name, no SQL, no SQLite header in clear.
    const bytes = fs.readFileSync(file);
    for (const needle of [...canaryNeedles, 'customers', 'audit_log', 'CREATE TABLE', 'SQLite format 3', 'owner@example.com']) {
      expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
    }

    const verified = await run(['backup', 'verify', file, '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report).toMatchObject({ ok: true, problem: null, rows: expect.any(Number), restoreSeconds: expect.any(Number) });
    expect(report.audit.length).toBeGreaterThan(0);
    expect(report.audit.every((chain: { problem: unknown }) => chain.problem === null)).toBe(true);
    const human = await run(['backup', 'verify', file]);
    expect(human.stdout).toMatch(/^ok {3}nightly\.cbk: .* restored in \d+\.\d\d s; integrity ok, rows match the manifest, 1 audit chain verified$/);
    expect(human.stderr).toMatch(/the restore took \d+\.\d\d s/);
    // A backup never replaces a file.
    expect((await run(['backup', '--out', file])).code).toBe(1);

    const created = await actions(live.database.db, 'backup.created');
    expect(created).toHaveLength(1);
    expect(JSON.parse(created[0]!.metadata)).toMatchObject({ file: 'nightly.cbk', bytes: bytes.length, rows: expect.any(Number) });
    expect(created[0]!.actor_id).toBe('cli');
    expect((await actions(live.database.db, 'backup.verified')).map((event) => event.outcome)).toEqual(['success', 'success']);
    if (TEST_DATABASE_URL) {
      const left = await sql<{ n: string }>`select count(*) as n from pg_namespace where nspname like 'custos_verify_%'`.execute(live.database.db);
      expect(Number(left.rows[0]!.n)).toBe(0);
    }
  });

  it('can be cancelled half-way, leaving no file and no event', async () => {
    const owner = await signIn(app);
    await createCustomer(owner, canary);
    const backups = createBackupService({ database: live.database, databaseUrl: live.env.CUSTOS_DATABASE_URL ?? null, dataDir: live.dataDir, keys, clock: systemClock, audit: services.audit });
    const cancel = new AbortController();
    const file = path.join(live.dataDir, 'cancelled.cbk');
    const stopped = await backups.create({ out: file, signal: cancel.signal, onProgress: () => cancel.abort() }).catch((error: unknown) => error);
    expect(stopped).toMatchObject({ name: 'AbortError' });
    expect(fs.readdirSync(live.dataDir).filter((name) => name.includes('cancelled') || name.startsWith('.'))).toEqual([]);
    expect(await actions(live.database.db, 'backup.created')).toEqual([]);
    // Nothing is held: the next backup runs.
    expect((await backups.create({ out: file })).bytes).toBeGreaterThan(0);
  });

  it.skipIf(TEST_DATABASE_URL)('copies the file first when a transaction keeps the WAL from being emptied, and that backup restores whole too', async () => {
    const owner = await signIn(app);
    await createCustomer(owner, canary);
    // Another connection reads from a snapshot that later commits are not in: the checkpoint a
    // one-pass backup starts with cannot move those commits into the file while it is open.
    const holder = new SQLite(live.database.sqlitePath!, { fileMustExist: true });
    holder.exec('begin');
    holder.prepare('select count(*) from customers').get();
    const latest = await createCustomer(owner, { kind: 'company', name: 'After the reader' });
    const backups = createBackupService({ database: live.database, databaseUrl: null, dataDir: live.dataDir, keys, clock: systemClock, audit: services.audit });
    const phases = new Set<string>();
    const file = path.join(live.dataDir, 'busy.cbk');
    const made = await backups.create({ out: file, onProgress: (progress) => phases.add(progress.phase) }).finally(() => holder.close());
    expect(made.passes).toBe(2);
    expect([...phases]).toEqual(['snapshot', 'encrypt']);
    expect(made.manifest.tables.customers).toBe(2);
    expect(fs.readdirSync(live.dataDir).filter((name) => name.startsWith('.'))).toEqual([]);
    const verified = await run(['backup', 'verify', file, '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, problem: null });

    // With the reader gone, the next one is a single pass over the same rows.
    const again = await backups.create({ out: path.join(live.dataDir, 'quiet.cbk') });
    expect(again.passes).toBe(1);
    expect(again.manifest.tables.customers).toBe(2);
    const target = await restoreTarget();
    expect((await run(['restore', '--from', path.join(live.dataDir, 'quiet.cbk'), ...target.args], target.env)).code).toBe(0);
    const copy = target.open();
    try {
      expect(await copy.db.selectFrom('customers').select('id').where('id', '=', latest).execute()).toHaveLength(1);
      expect((await sql<{ integrity_check: string }>`pragma integrity_check`.execute(copy.db)).rows).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await copy.close();
    }
  });

  it('fails verification naming the chunk a flipped byte is in, a file cut short, and a master key that is not the backup’s', async () => {
    const owner = await signIn(app);
    await createCustomer(owner, canary);
    const file = path.join(live.dataDir, 'b.cbk');
    const backup = await run(['backup', '--out', file, '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const bytes = fs.readFileSync(file);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file, bytes: bytes.length, image: { bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(backup.stderr).toMatch(/^backup: (encrypt|dump)/m);

    const flipped = Buffer.from(bytes);
    const at = Math.floor(bytes.length / 2);
    flipped[at] = flipped[at]! ^ 0x10;
    fs.writeFileSync(path.join(live.dataDir, 'flipped.cbk'), flipped);
    const tampered = await run(['backup', 'verify', path.join(live.dataDir, 'flipped.cbk'), '--json']);
    expect(tampered.code).toBe(1);
    const problem = JSON.parse(tampered.stdout).problem;
    expect(problem).toMatchObject({ code: 'chunk_altered', chunk: expect.any(Number) });
    expect(problem.message).toMatch(new RegExp(`^chunk ${problem.chunk} \\(byte \\d+\\) fails authentication`));
    expect((await run(['backup', 'verify', path.join(live.dataDir, 'flipped.cbk')])).stdout).toMatch(/^FAIL flipped\.cbk: chunk \d+ /);

    fs.writeFileSync(path.join(live.dataDir, 'cut.cbk'), bytes.subarray(0, bytes.length - 100));
    const cut = await run(['backup', 'verify', path.join(live.dataDir, 'cut.cbk'), '--json']);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.stdout).problem.code).toBe('truncated');

    const otherKey = await run(['backup', 'verify', file, '--json'], { ...live.env, CUSTOS_MASTER_KEY: randomBytes(32).toString('base64') });
    expect(otherKey.code).toBe(1);
    expect(JSON.parse(otherKey.stdout).problem).toMatchObject({ code: 'key_refused', message: expect.stringContaining('does not open with this master key') });

    // Not a backup at all, and no master key anywhere: clear errors, not stack traces.
    fs.writeFileSync(path.join(live.dataDir, 'notes.txt'), 'hello');
    expect(JSON.parse((await run(['backup', 'verify', path.join(live.dataDir, 'notes.txt'), '--json'])).stdout).problem.code).toBe('not_a_backup');
    const keyless = await run(['backup', 'verify', file], { CUSTOS_DATA_DIR: path.join(live.dataDir, 'nowhere') });
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('no master key');
    expect(fs.existsSync(path.join(live.dataDir, 'nowhere'))).toBe(false);

    const outcomes = (await actions(live.database.db, 'backup.verified')).map((event) => [event.outcome, JSON.parse(event.metadata).problem?.code ?? null]);
    expect(outcomes).toEqual([
      ['failure', 'chunk_altered'],
      ['failure', 'chunk_altered'],
      ['failure', 'truncated'],
      ['failure', 'key_refused'],
      ['failure', 'not_a_backup'],
    ]);
  });
});

describe('custos restore', () => {
  it('restores into a new place that works — sign-in, customers decrypted, audit trail verified — and never overwrites without --force', async () => {
    const owner = await signIn(app);
    const id = await createCustomer(owner, canary);
    const file = path.join(live.dataDir, 'b.cbk');
    expect((await run(['backup', '--out', file])).code).toBe(0);

    const target = await restoreTarget();
    const done = await run(['restore', '--from', file, ...target.args]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^Restored the backup of .* into .* in \d+\.\d\d s\.$/);
    expect(done.stderr).toContain('erased since the backup');

    const again = await run(['restore', '--from', file, ...target.args]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds .*--force/);

    const database = target.open();
    const restoredApp = await appOn(database, target.env);
    try {
      if (!TEST_DATABASE_URL) {
        // A server holding the database open: even --force refuses.
        const busy = await run(['restore', '--from', file, ...target.args, '--force']);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toContain('open in another process');
      }
      const session = await signIn(restoredApp);
      const read = await api(restoredApp, session, 'GET', `/api/customers/${id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ name: canary.name, email: canary.email });
      const found = await api(restoredApp, session, 'GET', `/api/customers?email=${encodeURIComponent(canary.email)}`);
      expect(found.json().items.map((c: { id: string }) => c.id)).toEqual([id]);
      const [event] = await actions(database.db, 'backup.restored');
      expect(JSON.parse(event!.metadata)).toMatchObject({ file: 'b.cbk', erasuresReapplied: 0, rows: expect.any(Number) });
      expect(event!.actor_id).toBe('restore');
    } finally {
      await restoredApp.close();
      await database.close();
    }
    const audit = await run(['audit', 'verify'], target.env);
    expect(audit.code, audit.stdout).toBe(0);

    const forced = await run(['restore', '--from', file, ...target.args, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await run(['audit', 'verify'], target.env)).code).toBe(0);
  });

  it('keeps customers erased before the backup unreadable, and re-applies erasures made after it', async () => {
    const owner = await signIn(app);
    const erasedBefore = await createCustomer(owner, canary);
    const erasedAfter = await createCustomer(owner, { kind: 'person', name: 'Later Erased', email: 'later.erased@example.org' });
    const kept = await createCustomer(owner, { kind: 'person', name: 'Still Here', email: 'still.here@example.org' });
    expect((await api(app, owner, 'POST', `/api/customers/${erasedBefore}/erase`, { reason: 'GDPR request #1' })).statusCode).toBe(204);
    const file = path.join(live.dataDir, 'b.cbk');
    expect((await run(['backup', '--out', file])).code).toBe(0);
    expect((await api(app, owner, 'POST', `/api/customers/${erasedAfter}/erase`, { reason: 'GDPR request #2' })).statusCode).toBe(204);

    async function readAll(target: Awaited<ReturnType<typeof restoreTarget>>) {
      const database = target.open();
      const restoredApp = await appOn(database, target.env);
      try {
        const session = await signIn(restoredApp);
        const status = async (id: string) => (await api(restoredApp, session, 'GET', `/api/customers/${id}`)).statusCode;
        const byEmail = (await api(restoredApp, session, 'GET', `/api/customers?email=${encodeURIComponent(canary.email)}`)).json().items;
        return { before: await status(erasedBefore), after: await status(erasedAfter), kept: await status(kept), byEmail, erased: await actions(database.db, 'customer.erased') };
      } finally {
        await restoredApp.close();
        await database.close();
      }
    }

    // Restored as the backup was: the later erasure is undone (its key was still there), the earlier one holds.
    const plain = await restoreTarget();
    expect((await run(['restore', '--from', file, ...plain.args])).code).toBe(0);
    expect(await readAll(plain)).toMatchObject({ before: 404, after: 200, kept: 200, byEmail: [] });

    // With the live installation's trail, the erasure made since is made again, and recorded.
    const reapplied = await restoreTarget();
    const liveSource = TEST_DATABASE_URL ? live.env.CUSTOS_DATABASE_URL! : live.dataDir;
    const done = await run(['restore', '--from', file, ...reapplied.args, '--reapply-erasures-from', liveSource]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('re-applied 1 erasures recorded since');
    const after = await readAll(reapplied);
    expect(after).toMatchObject({ before: 404, after: 404, kept: 200, byEmail: [] });
    expect(after.erased.map((event) => JSON.parse(event.metadata).reason)).toEqual(['GDPR request #1', expect.stringMatching(/^erasure of \d{4}-.* re-applied after a restore$/)]);
    expect((await run(['audit', 'verify'], reapplied.env)).code).toBe(0);
  });

  it('explains what it needs', async () => {
    expect((await run(['restore', '--from', 'x.cbk'])).code).toBe(2);
    expect((await run(['restore', '--data-dir', '/tmp/x'])).code).toBe(2);
    const missing = await run(['restore', '--from', path.join(live.dataDir, 'none.cbk'), '--data-dir', path.join(live.dataDir, 'r')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    expect((await run(['backup', 'verify', path.join(live.dataDir, 'none.cbk')])).code).toBe(2);
    expect((await run(['backup'])).code).toBe(2);
    for (const verb of [['backup'], ['backup', 'verify'], ['restore']]) expect((await run([...verb, '--help'])).stdout).toContain('Usage: custos');
  });
});
