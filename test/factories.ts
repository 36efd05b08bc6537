import { systemActor } from '../src/server/actor.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import type { Clock } from '../src/server/clock.js';
import { loadConfig, type Config } from '../src/server/config.js';
import { openDatabase, type Database } from '../src/server/db/database.js';
import { createLocalKeyProvider } from '../src/server/keys/key-provider.js';
import { totpCode } from '../src/server/auth/totp.js';

/** The database under test: a real PostgreSQL server when CUSTOS_TEST_DATABASE_URL is set, else a real SQLite file. */
export const TEST_DATABASE_URL = process.env.CUSTOS_TEST_DATABASE_URL || null;

export interface TestClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function testClock(start = new Date('2026-11-29T09:00:00.000Z')): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

/** A freshly migrated database of its own: a temporary SQLite file, or a new PostgreSQL schema. */
export async function openTestDatabase(): Promise<{ database: Database; dataDir: string; env: Record<string, string>; pgSchema: string | null; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-test-'));
  if (!TEST_DATABASE_URL) {
    const database = openDatabase({ databaseUrl: null, sqlitePath: path.join(dataDir, 'custos.sqlite') });
    return {
      database,
      dataDir,
      pgSchema: null,
      env: { CUSTOS_DATA_DIR: dataDir },
      drop: async () => {
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
  await admin.schema.createSchema(schema).execute();
  const database = openDatabase({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema: schema, poolSize: 4 });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    database,
    dataDir,
    pgSchema: schema,
    // What a separate process (the CLI) needs to reach this same database.
    env: { CUSTOS_DATA_DIR: dataDir, CUSTOS_DATABASE_URL: url.toString() },
    drop: async () => {
      await database.close();
      await admin.schema.dropSchema(schema).cascade().execute();
      await admin.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export async function createTestApp(options: { env?: Record<string, string>; rateLimitPerMinute?: number } = {}) {
  const { database, dataDir, pgSchema, drop } = await openTestDatabase();
  const clock = testClock();
  const config: Config = loadConfig({ CUSTOS_DATA_DIR: dataDir, ...options.env });
  const keys = createLocalKeyProvider(randomBytes(32));
  const built = await buildApp({ config, keys, database, clock, logger: false, rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000 });
  return {
    ...built,
    config,
    clock,
    keys,
    db: database.db,
    /** On PostgreSQL, the schema this app's tables live in (tests run side by side, one schema each). */
    pgSchema,
    async close() {
      await built.app.close();
      await drop();
    },
  };
}

export const STRONG_PASSWORD = 'violet-harbor-tundra-49';

let counter = 0;
export function uniqueEmail(name = 'user'): string {
  counter += 1;
  return `${name}.${counter}.${randomBytes(3).toString('hex')}@example.com`;
}

/** A workspace with its owner, made the way `custos create-admin` makes it. */
export async function buildWorkspace(t: TestApp, overrides: { email?: string; workspaceName?: string } = {}) {
  const email = overrides.email ?? uniqueEmail('owner');
  const { workspaceId, user } = await t.services.workspaces.createWithOwner({
    workspaceName: overrides.workspaceName ?? `Acme ${randomBytes(3).toString('hex')}`,
    email,
    displayName: 'Olivia Owner',
    password: STRONG_PASSWORD,
  });
  return { workspaceId, user, email, password: STRONG_PASSWORD };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  cookieHeader: string;
}

type InjectMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API as a browser would: the session cookie plus its CSRF header on changes. */
export function call(t: TestApp, method: InjectMethod, url: string, options: { session?: Session; token?: string; body?: unknown; csrf?: string | null; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.session) {
    headers.cookie = options.session.cookieHeader;
    const csrf = options.csrf === undefined ? options.session.csrfToken : options.csrf;
    if (csrf !== null && method !== 'GET') headers['x-csrf-token'] = csrf;
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return t.app.inject({
    method,
    url,
    headers,
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
}

export async function signIn(t: TestApp, email: string, password: string, extra: { code?: string; ip?: string } = {}): Promise<Session> {
  const response = await call(t, 'POST', '/api/auth/login', { body: { email, password, ...(extra.code ? { code: extra.code } : {}) }, ip: extra.ip });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name.endsWith('custos_session'));
  if (!cookie) throw new Error('no session cookie');
  return { cookie: cookie.value, csrfToken: response.json().csrfToken, cookieHeader: `${cookie.name}=${cookie.value}` };
}

/** A workspace with its owner signed in: the administrator most API tests act as. */
export async function workspaceWithAdmin(t: TestApp) {
  const owner = await buildWorkspace(t);
  const admin = await signIn(t, owner.email, owner.password);
  return { owner, workspaceId: owner.workspaceId, admin };
}

/** A colleague with `role`, invited by `admin`, who accepts the invitation and signs in. */
export async function inviteMember(t: TestApp, admin: Session, role: string): Promise<Session> {
  const email = uniqueEmail(role);
  const invited = await call(t, 'POST', '/api/admin/invitations', { session: admin, body: { email, role } });
  if (invited.statusCode !== 201) throw new Error(`invitation failed: ${invited.statusCode} ${invited.body}`);
  const token = new URL(invited.json().inviteUrl).hash.replace('#token=', '');
  const accepted = await call(t, 'POST', '/api/invitations/accept', { body: { token, displayName: role, password: STRONG_PASSWORD } });
  if (accepted.statusCode !== 201) throw new Error(`accepting the invitation failed: ${accepted.statusCode} ${accepted.body}`);
  return signIn(t, email, STRONG_PASSWORD);
}

/**
 * A signed-in member whose role grants nothing at all (a custom role made here): what every
 * object, field and action must refuse — deny by default.
 */
export async function memberWithoutAccess(t: TestApp, admin: Session, workspaceId: string): Promise<Session> {
  const nothing = { objects: {}, fields: { byClass: { public: 'hidden', internal: 'hidden', personal: 'hidden', sensitive: 'hidden' }, byField: {} }, capabilities: [] };
  const made = await call(t, 'POST', '/api/admin/roles', { session: admin, body: { key: 'no_access', labels: { en: 'No access', 'zh-CN': '无权限' }, permissions: nothing } });
  if (made.statusCode !== 201 && made.statusCode !== 409) throw new Error(`making the role failed: ${made.statusCode} ${made.body}`);
  const email = uniqueEmail('no-access');
  await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: 'No access', password: STRONG_PASSWORD, role: 'no_access' });
  return signIn(t, email, STRONG_PASSWORD);
}

/** Turns TOTP on through the API; returns the secret and the recovery codes. */
export async function enrolTotp(t: TestApp, session: Session) {
  const setup = await call(t, 'POST', '/api/account/mfa/totp/setup', { session });
  if (setup.statusCode !== 200) throw new Error(`totp setup failed: ${setup.body}`);
  const secret: string = setup.json().secret;
  const enable = await call(t, 'POST', '/api/account/mfa/totp/enable', { session, body: { code: totpCode(secret, t.clock.now()) } });
  if (enable.statusCode !== 200) throw new Error(`totp enable failed: ${enable.body}`);
  return { secret, recoveryCodes: enable.json().recoveryCodes as string[] };
}

export async function auditActions(t: TestApp, workspaceId: string): Promise<string[]> {
  const rows = await t.db.selectFrom('audit_events').select('action').where('workspace_id', '=', workspaceId).orderBy('id').execute();
  return rows.map((r) => r.action);
}
