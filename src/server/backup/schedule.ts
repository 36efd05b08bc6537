import fs from 'node:fs';
import path from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import type { Actor } from '../actor.js';
import type { AccessService } from '../access/service.js';
import type { Clock } from '../clock.js';
import type { BackupRunsTable, DB } from '../db/schema.js';
import { fromDbBool, fromDbTime, isoFromDb, toDbBool, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { Mailer } from '../mail/mailer.js';
import type { NotificationService } from '../notifications/service.js';
import type { BackupProgress } from './backup.js';
import { backupMail } from './backup-mail.js';
import { backupsToKeep } from './retention.js';
import type { AuditService } from '../audit/service.js';
import { recordInEveryWorkspace, type BackupService } from './service.js';

/**
 * Backups the server makes on its own (issue #6). A backup holds every workspace, so there is
 * one schedule, the installation's (scope '*'), which anyone who may change a workspace's
 * settings may change: daily at a time of day (server time), 02:00 unless changed. Each run
 * writes a new file to the backup folder, verifies it by restoring it into a temporary
 * database, copies it to the second folder when there is one, then prunes both folders to
 * 7 daily, 4 weekly and 12 monthly backups (retention.ts). A run that fails, and a schedule
 * with no success for 26 hours, are told to those who may change settings: in the app and
 * by mail. One run at a time per server.
 */

const SCOPE = '*';
const DEFAULT_TIME = '02:00';
const HOUR_MS = 3_600_000;
/** A daily schedule is overdue when nothing succeeded for a day and two hours of slack. */
export const OVERDUE_MS = 26 * HOUR_MS;
const LIST_LIMIT = 50;
/** The files the schedule writes, and so the only ones its retention ever deletes. */
const FILE_PATTERN = /^custos-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{8}\.backup$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export type RunTrigger = 'scheduled' | 'manual';
export type RunPhase = BackupProgress['phase'] | 'copy' | 'prune';

export interface BackupSchedule {
  enabled: boolean;
  /** `HH:MM`, the server's time. */
  timeOfDay: string;
}

export interface BackupRun {
  id: string;
  trigger: RunTrigger;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  file: string | null;
  bytes: number | null;
  verifyStatus: 'pending' | 'verified' | 'failed';
  errorCode: string | null;
  /** While it runs: what it is doing and how far. */
  progress: { phase: RunPhase; bytes: number; totalBytes: number | null } | null;
}

/** The most recent time of day `timeOfDay` at or before `now`, in the server's zone. */
export function slotAtOrBefore(now: Date, timeOfDay: string): Date {
  const [hours, minutes] = timeOfDay.split(':').map(Number) as [number, number];
  const slot = new Date(now);
  slot.setHours(hours, minutes, 0, 0);
  if (slot > now) slot.setDate(slot.getDate() - 1);
  return slot;
}

const nextDay = (date: Date) => {
  const next = new Date(date);
  next.setDate(next.getDate() + 1);
  return next;
};

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** A file's time from its name; null for a file the schedule did not write. */
function createdAtOf(name: string): Date | null {
  const match = FILE_PATTERN.exec(name);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

/** An error's code as stored and shown: a system code (`EACCES`), a problem code, never a message. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code)) return code;
  return error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) && error.name !== 'Error' ? error.name : 'backup_failed';
}

/** Deletes the schedule's files in `dir` that retention does not keep; returns how many. */
export async function prune(dir: string): Promise<number> {
  const backups = (await fs.promises.readdir(dir)).flatMap((name) => {
    const createdAt = createdAtOf(name);
    return createdAt ? [{ name, createdAt }] : [];
  });
  const keep = backupsToKeep(backups);
  const doomed = backups.filter((backup) => !keep.has(backup.name));
  for (const backup of doomed) await fs.promises.rm(path.join(dir, backup.name), { force: true });
  return doomed.length;
}

export function createBackupSchedule(deps: {
  db: Kysely<DB>;
  clock: Clock;
  backups: Pick<BackupService, 'create' | 'verify'>;
  /** Where runs write; made when missing. */
  dir: string;
  /** A second folder each verified backup is copied to; null: none. */
  copyDir: string | null;
  access: Pick<AccessService, 'usersWithCapability'>;
  notifications: Pick<NotificationService, 'notify'>;
  mailer: Mailer;
  publicUrl: string;
  audit: Pick<AuditService, 'record'>;
}) {
  const { db, clock } = deps;
  const progress = new Map<string, NonNullable<BackupRun['progress']>>();
  let running: Promise<void> | null = null;
  /** The last success an overdue alert was sent for ('none': before any), so it is sent once. */
  let overdueToldFor: string | null = null;
  /** Runs a stopped server left `running` are closed once, at this server's first minute. */
  let leftoversClosed = false;

  /** The schedule, stored on first use: its `since` is when it started counting. */
  async function stored(): Promise<BackupSchedule & { since: Date }> {
    const row = await db.selectFrom('backup_schedule').selectAll().where('scope', '=', SCOPE).executeTakeFirst();
    if (row) return { enabled: fromDbBool(row.enabled), timeOfDay: row.time_of_day, since: fromDbTime(row.updated_at) };
    const now = clock.now();
    await db
      .insertInto('backup_schedule')
      .values({ scope: SCOPE, enabled: toDbBool(true), time_of_day: DEFAULT_TIME, updated_at: toDbTime(now), updated_by: null })
      .onConflict((oc) => oc.column('scope').doNothing())
      .execute();
    return stored();
  }

  const present = (row: Selectable<BackupRunsTable>): BackupRun => ({
    id: row.id,
    trigger: row.trigger as RunTrigger,
    status: row.status as BackupRun['status'],
    startedAt: isoFromDb(row.started_at)!,
    finishedAt: isoFromDb(row.finished_at),
    file: row.file,
    bytes: row.bytes === null ? null : Number(row.bytes),
    verifyStatus: row.verify_status as BackupRun['verifyStatus'],
    errorCode: row.error_code,
    progress: progress.get(row.id) ?? null,
  });

  async function lastSuccess(): Promise<BackupRun | null> {
    const row = await db.selectFrom('backup_runs').selectAll().where('status', '=', 'succeeded').orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? present(row) : null;
  }

  /** When the next scheduled run is due (now when it is late); null when the schedule is off. */
  async function nextRun(schedule: BackupSchedule & { since: Date }, now: Date): Promise<Date | null> {
    if (!schedule.enabled) return null;
    const slot = slotAtOrBefore(now, schedule.timeOfDay);
    if (slot < schedule.since) return nextDay(slot);
    const done = await db.selectFrom('backup_runs').select('id').where('trigger', '=', 'scheduled').where('started_at', '>=', toDbTime(slot)).limit(1).executeTakeFirst();
    return done ? nextDay(slot) : now;
  }

  function overdue(schedule: BackupSchedule & { since: Date }, success: BackupRun | null, now: Date): boolean {
    if (!schedule.enabled) return false;
    const reference = success ? new Date(success.finishedAt!) : schedule.since;
    return now.getTime() - reference.getTime() > OVERDUE_MS;
  }

  /** Tells everyone who may change settings, in every workspace: a notification, and mail when it is on. Returns the mails refused. */
  async function tell(reason: 'failed' | 'overdue', runId: string | null, code: string | null): Promise<number> {
    const success = await lastSuccess();
    const workspaces = await db.selectFrom('workspaces').select('id').orderBy('id').execute();
    const recipients = new Map<string, string | null>();
    for (const { id: workspaceId } of workspaces) {
      const ids = await deps.access.usersWithCapability(db, workspaceId, 'manageSettings');
      await deps.notifications.notify(db, workspaceId, ids, 'backup.failed', { reason, runId, errorCode: code });
      if (ids.length === 0) continue;
      const users = await db.selectFrom('users').select(['email', 'locale']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
      for (const user of users) recipients.set(user.email, user.locale);
    }
    if (!deps.mailer.enabled) return 0;
    const facts = { reason, runId, errorCode: code, lastSuccess: success?.finishedAt ?? null, publicUrl: deps.publicUrl };
    const sent = await Promise.allSettled([...recipients].map(([email, locale]) => deps.mailer.send(backupMail(facts, email, locale))));
    return sent.filter((result) => result.status === 'rejected').length;
  }

  async function finish(id: string, values: Partial<Pick<DB['backup_runs'], 'status' | 'file' | 'bytes' | 'verify_status' | 'error_code'>>, end = true) {
    await db
      .updateTable('backup_runs')
      .set({ ...values, ...(end ? { finished_at: toDbTime(clock.now()) } : {}) })
      .where('id', '=', id)
      .execute();
  }

  /** One run from start to end; failures end up in its row and in an alert, never thrown. */
  async function failed(id: string, trigger: RunTrigger, by: Actor | string, code: string, keepVerifyStatus: boolean): Promise<{ mailFailed: number }> {
    await finish(id, { status: 'failed', error_code: code, ...(keepVerifyStatus ? {} : { verify_status: 'failed' }) });
    await recordInEveryWorkspace(db, deps.audit, by, 'backup.failed', 'failure', { runId: id, trigger, errorCode: code });
    return { mailFailed: await tell('failed', id, code) };
  }

  async function execute(id: string, trigger: RunTrigger, by: Actor | string): Promise<{ mailFailed: number }> {
    const onProgress = (p: BackupProgress) => progress.set(id, { phase: p.phase, bytes: p.bytes, totalBytes: p.totalBytes });
    const name = `custos-${stamp(clock.now())}-${id.slice(-8)}.backup`;
    const file = path.join(deps.dir, name);
    try {
      await fs.promises.mkdir(deps.dir, { recursive: true, mode: 0o700 });
      const result = await deps.backups.create({ out: file, by, onProgress });
      await finish(id, { file: name, bytes: result.bytes }, false);
      const report = await deps.backups.verify(file, { by, onProgress });
      if (!report.ok) {
        // A backup that does not restore is no backup: it must not count for retention.
        await fs.promises.rm(file, { force: true });
        return failed(id, trigger, by, report.problem?.code ?? 'verify_failed', false);
      }
      await finish(id, { verify_status: 'verified' }, false);
      if (deps.copyDir) {
        progress.set(id, { phase: 'copy', bytes: 0, totalBytes: result.bytes });
        await fs.promises.mkdir(deps.copyDir, { recursive: true, mode: 0o700 });
        await fs.promises.copyFile(file, path.join(deps.copyDir, name), fs.constants.COPYFILE_EXCL);
      }
      progress.set(id, { phase: 'prune', bytes: 0, totalBytes: null });
      await prune(deps.dir);
      if (deps.copyDir) await prune(deps.copyDir);
      await finish(id, { status: 'succeeded' });
      return { mailFailed: 0 };
    } catch (error) {
      return failed(id, trigger, by, errorCode(error), true);
    } finally {
      progress.delete(id);
    }
  }

  /** Records a run and starts it; `done` settles when it ended. Refused while another runs. */
  async function begin(trigger: RunTrigger, by: Actor | string): Promise<{ id: string; done: Promise<{ mailFailed: number }> }> {
    if (running) throw conflict('backup_running', 'A backup is already running.');
    const now = toDbTime(clock.now());
    const id = newId(now);
    let release!: () => void;
    running = new Promise<void>((resolve) => (release = resolve));
    try {
      await db.insertInto('backup_runs').values({ id, trigger, status: 'running', started_at: now, finished_at: null, file: null, bytes: null, verify_status: 'pending', error_code: null }).execute();
    } catch (error) {
      running = null;
      release();
      throw error;
    }
    progress.set(id, { phase: 'snapshot', bytes: 0, totalBytes: null });
    const done = execute(id, trigger, by).finally(() => {
      running = null;
      release();
    });
    return { id, done };
  }

  return {
    /** Everything the Backups page shows. */
    async status() {
      const now = clock.now();
      const schedule = await stored();
      const success = await lastSuccess();
      const next = await nextRun(schedule, now);
      const rows = await db.selectFrom('backup_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(LIST_LIMIT).execute();
      const runs = rows.map(present);
      return {
        schedule: { enabled: schedule.enabled, timeOfDay: schedule.timeOfDay },
        destination: { folder: deps.dir, copyFolder: deps.copyDir },
        lastSuccess: success,
        nextRun: next?.toISOString() ?? null,
        overdue: overdue(schedule, success, now),
        running: runs.find((run) => run.status === 'running' && progress.has(run.id))?.id ?? null,
        runs,
      };
    },

    async setSchedule(actor: Actor, input: BackupSchedule): Promise<BackupSchedule> {
      if (!TIME_OF_DAY.test(input.timeOfDay)) throw badRequest('invalid_time', 'A time of day is HH:MM, from 00:00 to 23:59.', 'timeOfDay');
      await stored();
      await db
        .updateTable('backup_schedule')
        .set({ enabled: toDbBool(input.enabled), time_of_day: input.timeOfDay, updated_at: toDbTime(clock.now()), updated_by: actor.kind === 'user' ? actor.userId : null })
        .where('scope', '=', SCOPE)
        .execute();
      await deps.audit.record(actor, { action: 'backup.schedule_changed', outcome: 'success', metadata: { enabled: input.enabled, timeOfDay: input.timeOfDay } });
      return { enabled: input.enabled, timeOfDay: input.timeOfDay };
    },

    /** "Back up now": starts a run and answers with its id at once. */
    async startNow(actor: Actor): Promise<string> {
      const { id, done } = await begin('manual', actor);
      // Its outcome is in its row, its audit events and its alert; the request has long been answered.
      done.catch(() => undefined);
      return id;
    },

    async run(id: string): Promise<BackupRun> {
      const row = await db.selectFrom('backup_runs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('backup_run_not_found', 'No such backup run.');
      return present(row);
    },

    /**
     * The job's minute: ends runs a stopped server left `running`, makes the scheduled run when
     * it is due (to its end), and tells once when backups are overdue.
     */
    async tick(): Promise<{ ran: string | null; overdueTold: boolean; mailFailed: number }> {
      if (running) return { ran: null, overdueTold: false, mailFailed: 0 };
      if (!leftoversClosed) {
        leftoversClosed = true;
        await db.updateTable('backup_runs').set({ status: 'failed', error_code: 'interrupted', finished_at: toDbTime(clock.now()) }).where('status', '=', 'running').execute();
      }
      const schedule = await stored();
      const now = clock.now();
      let ran: string | null = null;
      let mailFailed = 0;
      if ((await nextRun(schedule, now))?.getTime() === now.getTime()) {
        const { id, done } = await begin('scheduled', 'backup-schedule');
        ran = id;
        mailFailed += (await done).mailFailed;
      }
      const success = await lastSuccess();
      const key = success?.id ?? 'none';
      const late = overdue(schedule, success, clock.now());
      let overdueTold = false;
      if (late && overdueToldFor !== key) {
        overdueToldFor = key;
        overdueTold = true;
        mailFailed += await tell('overdue', null, null);
      }
      return { ran, overdueTold, mailFailed };
    },

    /** Settles when no run is going on (tests, shutdown). */
    idle: async (): Promise<void> => {
      await running;
    },
  };
}

export type BackupScheduler = ReturnType<typeof createBackupSchedule>;
