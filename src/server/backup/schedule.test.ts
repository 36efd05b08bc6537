import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditActions, call, createTestApp, inviteMember, openTestDatabase, signIn, testClock, workspaceWithAdmin, type TestApp } from '../../../test/factories.js';
import { startLocalSmtp } from '../../../test/local-smtp.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createLocalKeyProvider } from '../keys/key-provider.js';
import { OVERDUE_MS, slotAtOrBefore } from './schedule.js';

// The server's own backups: made when due (the clock is the test's), verified, copied, pruned;
// a failure and an overdue schedule told in the app and by mail to a real local SMTP server.

const HOUR_MS = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An installation with one workspace whose backups go to `backupDir` (and `copyDir`), its mail to `smtpUrl`. */
async function installation(options: { backupDir?: (dataDir: string) => string; copy?: boolean; smtpUrl?: string } = {}) {
  const live = await openTestDatabase();
  const backupDir = options.backupDir?.(live.dataDir) ?? path.join(live.dataDir, 'backups');
  const copyDir = path.join(live.dataDir, 'copy');
  const config = loadConfig({
    ...live.env,
    CUSTOS_BACKUP_DIR: backupDir,
    ...(options.copy ? { CUSTOS_BACKUP_COPY_DIR: copyDir } : {}),
    ...(options.smtpUrl ? { CUSTOS_SMTP_URL: options.smtpUrl } : {}),
  });
  const clock = testClock();
  const built = await buildApp({ config, keys: createLocalKeyProvider(randomBytes(32)), database: live.database, clock, logger: false, rateLimitPerMinute: 100_000 });
  cleanups.push(async () => {
    await built.app.close();
    await live.drop();
  });
  // call() and signIn() only reach the app: this is enough of a TestApp for them.
  const t = { ...built, clock, db: live.database.db } as unknown as TestApp;
  const { owner, workspaceId, admin } = await workspaceWithAdmin(t);
  // After the clock jumps hours ahead, the session has timed out: sign in again.
  const again = () => signIn(t, owner.email, owner.password);
  return { t, built, clock, backupDir, copyDir, owner, workspaceId, admin, again, schedule: built.services.backupSchedule };
}

/** A backup folder that cannot be made: its parent is a file. */
const underAFile = (dataDir: string) => {
  fs.writeFileSync(path.join(dataDir, 'not-a-folder'), '');
  return path.join(dataDir, 'not-a-folder', 'backups');
};

const hhmm = (date: Date) => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;

describe('scheduled backups', () => {
  it('runs when due, writes a backup that verifies, copies it and prunes both folders', async () => {
    const { t, clock, backupDir, copyDir, admin, workspaceId, again, schedule } = await installation({ copy: true });
    // Sixty old daily backups in each folder (names only: retention reads nothing else) and a file of someone else's.
    for (const dir of [backupDir, copyDir]) {
      fs.mkdirSync(dir, { recursive: true });
      for (let day = 1; day <= 60; day++) {
        const at = new Date(clock.now().getTime() - day * 24 * HOUR_MS);
        fs.writeFileSync(path.join(dir, `custos-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}-0000000${day % 10}.backup`), 'old');
      }
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    }
    const inAnHour = new Date(clock.now().getTime() + HOUR_MS);
    const put = await call(t, 'PUT', '/api/admin/backups/schedule', { session: admin, body: { enabled: true, timeOfDay: hhmm(inAnHour) } });
    expect(put.statusCode, put.body).toBe(200);
    expect(await auditActions(t, workspaceId)).toContain('backup.schedule_changed');

    expect((await schedule.tick()).ran).toBeNull();
    const before = (await call(t, 'GET', '/api/admin/backups', { session: admin })).json();
    expect(before.nextRun).toBe(new Date(Math.floor(inAnHour.getTime() / 60_000) * 60_000).toISOString());
    expect(before.runs).toEqual([]);

    clock.advance(HOUR_MS);
    const { ran } = await schedule.tick();
    expect(ran).not.toBeNull();
    const later = await again();
    const run = (await call(t, 'GET', `/api/admin/backups/runs/${ran}`, { session: later })).json();
    expect(run).toMatchObject({ trigger: 'scheduled', status: 'succeeded', verifyStatus: 'verified', errorCode: null, progress: null });
    expect(run.bytes).toBeGreaterThan(0);
    for (const dir of [backupDir, copyDir]) {
      const files = fs.readdirSync(dir);
      expect(files).toContain(run.file);
      expect(files).toContain('notes.txt');
      // 7 daily + 4 weekly + 12 monthly at most, of 61.
      expect(files.filter((name) => name.endsWith('.backup')).length).toBeLessThanOrEqual(23);
    }
    expect((await t.services.backups.verify(path.join(backupDir, run.file))).ok).toBe(true);
    expect(await auditActions(t, workspaceId)).toEqual(expect.arrayContaining(['backup.created', 'backup.verified']));

    // Done for today: the next is a day later, and the page says so.
    expect((await schedule.tick()).ran).toBeNull();
    const after = (await call(t, 'GET', '/api/admin/backups', { session: later })).json();
    expect(after).toMatchObject({ overdue: false, running: null, lastSuccess: { id: ran } });
    expect(new Date(after.nextRun).getTime() - clock.now().getTime()).toBeGreaterThan(22 * HOUR_MS);
  });

  it('"back up now" answers 202 and its run can be followed to its end', async () => {
    const { t, admin, schedule } = await installation();
    const started = await call(t, 'POST', '/api/admin/backups', { session: admin });
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json().id as string;
    expect((await call(t, 'POST', '/api/admin/backups', { session: admin })).statusCode).toBe(409);
    await schedule.idle();
    const run = (await call(t, 'GET', `/api/admin/backups/runs/${id}`, { session: admin })).json();
    expect(run).toMatchObject({ id, trigger: 'manual', status: 'succeeded', verifyStatus: 'verified' });
  });

  it('a failed run is recorded, audited, and told in the app and by mail', async () => {
    const smtp = await startLocalSmtp();
    cleanups.push(smtp.close);
    const { t, admin, owner, workspaceId, schedule } = await installation({ smtpUrl: smtp.url, backupDir: underAFile });
    const started = await call(t, 'POST', '/api/admin/backups', { session: admin });
    expect(started.statusCode).toBe(202);
    await schedule.idle();
    const run = (await call(t, 'GET', `/api/admin/backups/runs/${started.json().id}`, { session: admin })).json();
    expect(run).toMatchObject({ status: 'failed', file: null });
    expect(run.errorCode).toMatch(/^E[A-Z]+$/);
    const notifications = (await call(t, 'GET', '/api/notifications', { session: admin })).json();
    expect(JSON.stringify(notifications)).toContain('backup.failed');
    expect(smtp.received.map((mail) => mail.to)).toEqual([[owner.email]]);
    expect(smtp.received[0]!.subject).toBe('Custos: a backup failed');
    expect(await auditActions(t, workspaceId)).toContain('backup.failed');
  });

  it('says when backups are overdue, once, and flags it on the page', async () => {
    const smtp = await startLocalSmtp();
    cleanups.push(smtp.close);
    const { t, clock, admin, again, schedule } = await installation({ smtpUrl: smtp.url, backupDir: underAFile });
    expect((await schedule.tick()).overdueTold).toBe(false);
    expect((await call(t, 'GET', '/api/admin/backups', { session: admin })).json().overdue).toBe(false);
    clock.advance(OVERDUE_MS + HOUR_MS);
    const first = await schedule.tick();
    expect(first.ran).not.toBeNull();
    expect(first.overdueTold).toBe(true);
    expect((await schedule.tick()).overdueTold).toBe(false);
    expect((await call(t, 'GET', '/api/admin/backups', { session: await again() })).json().overdue).toBe(true);
    expect(smtp.received.map((mail) => mail.subject).sort()).toEqual(['Custos: a backup failed', 'Custos: backups are overdue']);
  });

  it('turned off, it neither runs nor is overdue', async () => {
    const { t, clock, admin, again, schedule } = await installation();
    expect((await call(t, 'PUT', '/api/admin/backups/schedule', { session: admin, body: { enabled: false, timeOfDay: '02:00' } })).statusCode).toBe(200);
    clock.advance(3 * 24 * HOUR_MS);
    expect(await schedule.tick()).toEqual({ ran: null, overdueTold: false, mailFailed: 0 });
    expect((await call(t, 'GET', '/api/admin/backups', { session: await again() })).json()).toMatchObject({ overdue: false, nextRun: null, schedule: { enabled: false } });
  });
});

describe('slotAtOrBefore', () => {
  it('is today’s time once it has passed, else yesterday’s', () => {
    const now = new Date(2026, 10, 29, 9, 30);
    expect(slotAtOrBefore(now, '02:00')).toEqual(new Date(2026, 10, 29, 2, 0));
    expect(slotAtOrBefore(now, '09:30')).toEqual(now);
    expect(slotAtOrBefore(now, '23:15')).toEqual(new Date(2026, 10, 28, 23, 15));
  });
});

describe('backup API authorization', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('is for those who may change settings: admin 200, sales rep 403, stranger 401', async () => {
    t = await createTestApp();
    const { admin } = await workspaceWithAdmin(t);
    const rep = await inviteMember(t, admin, 'sales_rep');
    expect((await call(t, 'GET', '/api/admin/backups', { session: admin })).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['GET', '/api/admin/backups', undefined],
      ['PUT', '/api/admin/backups/schedule', { enabled: true, timeOfDay: '03:00' }],
      ['POST', '/api/admin/backups', undefined],
      ['GET', '/api/admin/backups/runs/0190b3c4-0000-7000-8000-000000000000', undefined],
    ] as const) {
      expect((await call(t, method, url, { session: rep, body })).statusCode).toBe(403);
      expect((await call(t, method, url, { body })).statusCode).toBe(401);
    }
    expect((await call(t, 'GET', '/api/admin/backups/runs/0190b3c4-0000-7000-8000-000000000000', { session: admin })).statusCode).toBe(404);
    expect((await call(t, 'PUT', '/api/admin/backups/schedule', { session: admin, body: { enabled: true, timeOfDay: '25:00' } })).statusCode).toBe(400);
    expect((await call(t, 'PUT', '/api/admin/backups/schedule', { session: admin, body: { enabled: true, timeOfDay: '03:00', extra: 1 } })).statusCode).toBe(400);
  });
});
