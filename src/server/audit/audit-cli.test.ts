import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, STRONG_PASSWORD } from '../../../test/factories.js';
import { runCli } from '../cli.js';
import { ensureAuditPartitions } from './partitions.js';

// `custos audit verify` and `custos audit checkpoints`, as an operator's script runs them.

let target: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  target = await openTestDatabase();
});
afterEach(async () => {
  await target.drop();
});

async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text), readStdin: async () => stdin, env: { ...target.env } });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('custos audit', () => {
  it('verifies the log, exports checkpoints, and exits 1 naming the first bad entry once an event was edited', async () => {
    expect((await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`)).code).toBe(0);
    const file = path.join(target.dataDir, 'checkpoints.jsonl');
    const exported = await run(['audit', 'checkpoints', '--out', file]);
    expect(exported.code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });

    const ok = await run(['audit', 'verify', '--checkpoints', file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {3}workspace .*: \d+ events/m);
    expect(ok.stderr).toMatch(/Checked \d+ events/);

    const { db } = target.database;
    const workspace = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    const { chain } = await db.selectFrom('audit_heads').select('chain').where('workspace_id', '=', workspace.id).executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ at: 1 }).where('chain', '=', chain).where('seq', '=', 2).execute();
    const bad = await run(['audit', 'verify', '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.ok).toBe(false);
    // Setting up the workspace wrote its first events in one transaction: one block, named by its first event.
    const problem = report.workspaces.find((w: { workspaceId: string }) => w.workspaceId === workspace.id).problem;
    expect(problem).toMatchObject({ kind: 'altered' });
    expect(problem.seq).toBeLessThanOrEqual(2);
    expect((await run(['audit', 'verify'])).stdout).toMatch(/^FAIL workspace .*: events? #\d+ .*match their hash/m);

    // Verifying is recorded too (after the check, so it never hides what it found).
    const recorded = await db.selectFrom('audit_events').select(['outcome', 'metadata']).where('workspace_id', '=', workspace.id).where('action', '=', 'audit.verified').orderBy('seq').execute();
    expect(recorded.map((event) => event.outcome)).toEqual(['success', 'failure', 'failure']);
  });

  it('records what every provisioning verb did, as the CLI, and the chain still verifies', async () => {
    expect((await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`)).code).toBe(0);
    expect((await run(['team', 'add', 'Shanghai'])).code).toBe(0);
    expect((await run(['user', 'add', '--email', 'rep@example.com', '--role', 'sales_rep', '--team', 'Shanghai', '--password-stdin'], `${STRONG_PASSWORD}\n`)).code).toBe(0);
    expect((await run(['token', 'create', '--email', 'rep@example.com', '--name', 'sync'])).code).toBe(0);
    expect((await run(['keys', 'rotate'])).code).toBe(0);
    expect((await run(['seed-demo', '--customers', '20', '--seed', '3'])).code).toBe(0);
    const { db } = target.database;
    const events = await db.selectFrom('audit_events').select(['action', 'actor_type', 'actor_id']).where('workspace_id', '!=', '*').orderBy('seq').execute();
    const byCli = (action: string) => events.filter((event) => event.action === action && event.actor_type === 'system' && event.actor_id === 'cli').length;
    expect(byCli('team.created')).toBe(1);
    expect(byCli('user.created')).toBe(2);
    expect(byCli('keys.rotated')).toBe(1);
    expect(events.filter((event) => event.action === 'token.created')).toHaveLength(1);
    expect(events.filter((event) => event.action === 'customer.created')).toHaveLength(20);
    expect((await run(['audit', 'verify'])).code).toBe(0);
  });

  it('refuses a checkpoints file that is not one', async () => {
    const file = path.join(target.dataDir, 'bad.jsonl');
    fs.writeFileSync(file, '{"seq":"x"}\n');
    const result = await run(['audit', 'verify', '--checkpoints', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a checkpoint');
  });

  it('on PostgreSQL, moves events into their month partition and keeps the chain whole', async () => {
    expect((await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`)).code).toBe(0);
    const { db } = target.database;
    const made = await ensureAuditPartitions(db, new Date());
    if (!target.pgSchema) {
      expect(made).toBe(0);
      return;
    }
    expect(made).toBe(2);
    expect(await ensureAuditPartitions(db, new Date())).toBe(0);
    const month = new Date().toISOString().slice(0, 7).replace('-', '_');
    const inPartition = await db
      .selectFrom(`audit_log_${month}` as 'audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(inPartition.n)).toBeGreaterThan(0);
    expect((await run(['audit', 'verify'])).code).toBe(0);
  });
});
