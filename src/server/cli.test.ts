import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, STRONG_PASSWORD } from '../../test/factories.js';
import { runCli } from './cli.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createLocalKeyProvider, loadMasterKey } from './keys/key-provider.js';

let target: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  target = await openTestDatabase();
});
afterEach(async () => {
  await target.drop();
});

/** The terminal: what the CLI printed, and what was piped into it. */
async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readStdin: async () => stdin,
    env: { ...target.env },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('custos CLI', () => {
  it('explains itself with --help on every verb', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const verb of ['serve', 'migrate', 'create-admin', 'token create', 'keys status', 'keys rotate', 'keys rewrap', 'team add', 'user add', 'role list']) expect(top.stdout).toContain(verb);
    for (const verb of [['serve'], ['migrate'], ['create-admin'], ['token', 'create'], ['keys', 'status'], ['keys', 'rotate'], ['keys', 'rewrap'], ['team', 'add'], ['user', 'add'], ['role', 'list']]) {
      const help = await run([...verb, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: custos');
    }
  });

  it('refuses unknown verbs and flags with exit code 2', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const badFlag = await run(['create-admin', '--emial', 'x@example.com']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('Usage: custos create-admin');
    expect((await run(['create-admin', '--email', 'x@example.com'])).code).toBe(2);
  });

  it('migrates, then says the database is up to date', async () => {
    expect((await run(['migrate'])).stdout).toContain('Applied: 20261129000000_foundation, 20261129100000_vault, 20261129110000_workspace_phone_region, 20261129120000_transactions_events, 20261129130000_customer_notes, 20261129140000_field_definitions, 20261129150000_contact_points, 20261129160000_addresses_views, 20261129170000_field_rules, 20261129180000_access, 20261129190000_notifications, 20261129200000_audit_chain, 20261129210000_alerts, 20261129220000_field_history, 20261129230000_audit_retention, 20261129240000_backups, 20261130100000_imports, 20261130110000_duplicates, 20261130120000_exports, 20261130130000_quality');
    expect((await run(['migrate'])).stdout).toContain('up to date');
  });

  it('bootstraps an admin from a script and creates a token that works against the server', async () => {
    const created = await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('master key');

    const weak = await run(['create-admin', '--email', 'ops2@example.com', '--password-stdin', '--workspace', 'Other'], 'password\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password is not accepted');

    const token = await run(['token', 'create', '--email', 'ops@example.com', '--name', 'deploy', '--expires-days', '7']);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);

    const missing = await run(['token', 'create', '--email', 'nobody@example.com', '--name', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No user nobody@example.com');
    expect((await run(['token', 'create', '--email', 'ops@example.com', '--name', 'x', '--expires-days', '0'])).code).toBe(2);

    const config = loadConfig(target.env);
    const { app } = await buildApp({ config, keys: createLocalKeyProvider(loadMasterKey(target.env, config.dataDir).key), logger: false });
    try {
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token.stdout}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().user).toMatchObject({ email: 'ops@example.com', role: 'owner' });
      expect(me.json().workspace.name).toBe('Acme');
    } finally {
      await app.close();
    }
  });
});

describe('provisioning from scripts', () => {
  it('adds teams and users with roles, lists roles, and gives a user a token with that user’s permissions', async () => {
    await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`);
    expect((await run(['team', 'add', 'Sales East'])).code).toBe(0);
    const sub = await run(['team', 'add', 'Shanghai', '--parent', 'Sales East']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('below "Sales East"');
    expect((await run(['team', 'add', 'Nowhere', '--parent', 'Missing'])).code).toBe(2);
    expect((await run(['team', 'add'])).code).toBe(2);
    expect((await run(['team', 'add', 'Sales East'])).code).toBe(1);

    const roles = await run(['role', 'list', '--json']);
    expect(JSON.parse(roles.stdout).roles.map((r: { key: string }) => r.key)).toEqual(['owner', 'admin', 'sales_manager', 'sales_rep', 'support_agent', 'analyst', 'auditor', 'read_only']);
    expect((await run(['role', 'list'])).stdout).toContain('sales_rep');

    const added = await run(['user', 'add', '--email', 'rep@example.com', '--role', 'sales_rep', '--team', 'Shanghai', '--password-stdin'], `${STRONG_PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('in team "Shanghai"');
    expect((await run(['user', 'add', '--email', 'x@example.com', '--role', 'wizard', '--password-stdin'], `${STRONG_PASSWORD}\n`)).code).toBe(2);
    expect((await run(['user', 'add', '--email', 'y@example.com', '--role', 'sales_rep', '--team', 'Mars', '--password-stdin'], `${STRONG_PASSWORD}\n`)).code).toBe(2);

    const token = await run(['token', 'create', '--email', 'rep@example.com', '--name', 'crm-sync']);
    expect(token.code).toBe(0);
    expect((await run(['token', 'create', '--email', 'rep@example.com', '--name', 'ro', '--read-only', '--objects', 'customers,notes', '--fields', 'person.name'])).code).toBe(0);
    expect((await run(['token', 'create', '--email', 'rep@example.com', '--name', 'bad', '--objects', 'deals'])).code).toBe(2);
    expect((await run(['token', 'create', '--email', 'rep@example.com', '--name', 'bad', '--fields', 'email'])).code).toBe(2);
    const config = loadConfig(target.env);
    const { app } = await buildApp({ config, keys: createLocalKeyProvider(loadMasterKey(target.env, config.dataDir).key), logger: false });
    try {
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token.stdout}` } });
      expect(me.json().user).toMatchObject({ email: 'rep@example.com', role: 'sales_rep' });
      // The token acts as the rep: no user administration.
      expect((await app.inject({ method: 'GET', url: '/api/admin/users', headers: { authorization: `Bearer ${token.stdout}` } })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('custos keys', () => {
  it('rotates the data key and reports the versions', async () => {
    await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`);
    const rotated = await run(['keys', 'rotate']);
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({ rewrapped: 0, version: 2, retiredBelow: 2 });
    const status = await run(['keys', 'status', '--json']);
    const keys = JSON.parse(status.stdout).keys;
    expect(keys.filter((k: { purpose: string }) => k.purpose === 'data').map((k: { version: number; retiredAt: string | null }) => [k.version, k.retiredAt === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((await run(['keys', 'status'])).stdout).toContain('data key v2: in use');
  });
});

describe('custos seed-demo', () => {
  it('fills a workspace with valid demo customers through the gateway', async () => {
    await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`);
    const seeded = await run(['seed-demo', '--customers', '300', '--seed', '7']);
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ created: 300, rejected: 0 });
    expect(seeded.stderr).toContain('seed-demo: 300/300 customers');
    expect((await run(['seed-demo', '--customers', 'lots'])).code).toBe(2);
  });
});
