import type { Kysely } from 'kysely';
import { systemActor, type Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../db/mapping.js';
import { conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { authorizeQuality as authorize, qualityFieldsFor, QualityReportCancelled, type VaultGateway } from '../vault/gateway.js';
import { DEFAULT_STALE_MONTHS, type QualityReport, type QualityReportStatus, type QualityResult, type StaleMonths } from '../../shared/quality.js';
import { findReport, finishReport, insertReport, latestReport, pruneReports, runningReports, workspacesWithReports, writeProgress, type QualityReportRow } from './store.js';

/** How many reports a workspace keeps (the newest). */
const KEEP_REPORTS = 20;
/** The nightly report runs from 03:00 until 05:00 server time: after the 02:00 backup, before the working day. */
const NIGHT_FROM_HOUR = 3;
const NIGHT_UNTIL_HOUR = 5;
/** A report younger than this is fresh enough for the night (a day, less the hourly tick's drift). */
const FRESH_MS = 23 * 60 * 60_000;
/** A running report whose progress has not moved for this long, and that no job of this server runs, was cut short by a restart. */
const INTERRUPTED_AFTER_MS = 5 * 60_000;

/** Said instead of the error itself, whose message could quote what the database choked on. */
const ERROR_MESSAGES: Record<string, string> = {
  report_failed: 'The report stopped on an error. Run it again.',
  interrupted: 'The server stopped while the report ran. Run it again.',
};

interface Job {
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * Data-quality reports as jobs (issue 7): a report reads every live customer of the workspace
 * (through the gateway's `qualityReport`), so it runs in the background of this server, one at
 * a time per workspace, its progress written to `quality_reports` after each batch and its
 * result (counts only) when it completes. A cancel — from this server or another — marks the
 * row; the job sees it at its next batch and stops.
 */
export function createQualityService({
  db,
  clock,
  vault,
  onFailure,
}: {
  db: Kysely<DB>;
  clock: Clock;
  vault: Pick<VaultGateway, 'qualityReport'>;
  /** Told of a report that stopped on an unexpected error (the routes log its kind). */
  onFailure: (error: unknown) => void;
}) {
  const jobs = new Map<string, Job>();
  /** The server is shutting down: its reports stop as interrupted, not as cancelled by someone. */
  let stopping = false;
  const now = () => toDbTime(clock.now());

  /** A running row no job moves any more is shown (and kept) as failed: interrupted. */
  async function settle(row: QualityReportRow): Promise<QualityReportRow> {
    if (row.status !== 'running' || jobs.has(row.id) || now() - Number(row.heartbeat_at) < INTERRUPTED_AFTER_MS) return row;
    await finishReport(db, row.workspace_id, row.id, { status: 'failed', at: now(), errorCode: 'interrupted' });
    return (await findReport(db, row.workspace_id, row.id)) ?? row;
  }

  function present(actor: Actor, row: QualityReportRow): QualityReport {
    const done = Number(row.done);
    const total = Number(row.total);
    const seconds = (Number(row.finished_at ?? row.heartbeat_at) - Number(row.created_at)) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const result = fromDbJson<QualityResult>(row.result);
    return {
      id: row.id,
      status: row.status as QualityReportStatus,
      staleMonths: row.stale_months as StaleMonths,
      progress: { done, total, rate, eta: row.status === 'completed' ? 0 : row.status === 'running' && rate > 0 ? Math.max(total - done, 0) / rate : null },
      createdAt: isoFromDb(row.created_at)!,
      finishedAt: isoFromDb(row.finished_at),
      error: row.error_code ? { code: row.error_code, message: ERROR_MESSAGES[row.error_code] ?? ERROR_MESSAGES.report_failed! } : null,
      result: result && { ...result, fields: qualityFieldsFor(actor, result.fields) },
    };
  }

  async function load(actor: Actor, id: string): Promise<QualityReportRow> {
    const row = await findReport(db, actor.workspaceId, id);
    if (!row) throw notFound('quality_report_not_found', 'No such report.');
    return settle(row);
  }

  /** Starts a report unless one is running in the workspace; answers at once with its first state. */
  async function start(actor: Actor, input: { staleMonths?: StaleMonths }): Promise<QualityReport> {
    authorize(actor);
    const { workspaceId } = actor;
    for (const running of await runningReports(db, workspaceId)) {
      if ((await settle(running)).status === 'running') throw conflict('quality_report_running', 'A data-quality report is already running for this workspace.');
    }
    const at = now();
    const row: QualityReportRow = {
      workspace_id: workspaceId,
      id: newId(at),
      created_by: actor.kind === 'user' ? actor.userId : actor.name,
      status: 'running',
      stale_months: input.staleMonths ?? DEFAULT_STALE_MONTHS,
      done: 0,
      total: 0,
      created_at: at,
      heartbeat_at: at,
      finished_at: null,
      error_code: null,
      result: null,
    };
    await insertReport(db, row);
    await pruneReports(db, workspaceId, KEEP_REPORTS);

    const controller = new AbortController();
    const job: Job = { controller, finished: Promise.resolve() };
    jobs.set(row.id, job);
    job.finished = vault
      .qualityReport(actor, {
        staleMonths: row.stale_months as StaleMonths,
        signal: controller.signal,
        onProgress: async ({ done, total }) => {
          if (!(await writeProgress(db, workspaceId, row.id, { done, total, at: now() }))) controller.abort();
        },
      })
      .then(
        async (result) => {
          await finishReport(db, workspaceId, row.id, { status: 'completed', at: now(), result: toDbJson(result) });
        },
        async (error: unknown) => {
          if (error instanceof QualityReportCancelled) {
            await finishReport(db, workspaceId, row.id, stopping ? { status: 'failed', at: now(), errorCode: 'interrupted' } : { status: 'cancelled', at: now() });
            return;
          }
          onFailure(error);
          await finishReport(db, workspaceId, row.id, { status: 'failed', at: now(), errorCode: 'report_failed' });
        },
      )
      .catch(onFailure)
      .finally(() => jobs.delete(row.id));
    return present(actor, row);
  }

  return {
    start,

    /**
     * The nightly report (jobs.ts asks each hour): between 03:00 and 05:00 server time, each
     * workspace that ever ran a report and has none from the last day gets a fresh one, with its
     * last threshold, by the system actor `quality` — one workspace after another. Returns how
     * many it ran.
     */
    async nightly(): Promise<number> {
      const hour = clock.now().getHours();
      if (hour < NIGHT_FROM_HOUR || hour >= NIGHT_UNTIL_HOUR) return 0;
      let ran = 0;
      for (const workspaceId of await workspacesWithReports(db)) {
        if (stopping) break;
        const newest = await latestReport(db, workspaceId);
        if (!newest || (await settle(newest)).status === 'running' || now() - Number(newest.created_at) < FRESH_MS) continue;
        const report = await start(systemActor(workspaceId, 'quality'), { staleMonths: newest.stale_months as StaleMonths });
        await jobs.get(report.id)?.finished;
        ran++;
      }
      return ran;
    },

    async get(actor: Actor, id: string): Promise<QualityReport> {
      authorize(actor);
      return present(actor, await load(actor, id));
    },

    /** The newest report (whatever its state) and the newest completed one: the page shows the progress of one and the figures of the other. */
    async latest(actor: Actor): Promise<{ latest: QualityReport | null; completed: QualityReport | null }> {
      authorize(actor);
      const newest = await latestReport(db, actor.workspaceId);
      const latest = newest && (await settle(newest));
      const completed = latest?.status === 'completed' ? latest : await latestReport(db, actor.workspaceId, { completed: true });
      return { latest: latest ? present(actor, latest) : null, completed: completed ? present(actor, completed) : null };
    },

    /** Stops a running report after its current batch; resolves once this server's job (if it runs it) has stopped. */
    async cancel(actor: Actor, id: string): Promise<QualityReport> {
      authorize(actor);
      const row = await load(actor, id);
      if (row.status !== 'running') throw conflict('quality_report_not_running', 'The report is not running.');
      await finishReport(db, actor.workspaceId, id, { status: 'cancelled', at: now() });
      const job = jobs.get(id);
      if (job) {
        job.controller.abort();
        await job.finished;
      }
      return present(actor, await load(actor, id));
    },

    /** Stops every running report of this server (it is shutting down) and waits for them. */
    async stopAll(): Promise<void> {
      stopping = true;
      const running = [...jobs.values()];
      for (const job of running) job.controller.abort();
      await Promise.all(running.map((job) => job.finished));
    },

  };
}

export type QualityService = ReturnType<typeof createQualityService>;
