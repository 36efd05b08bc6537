import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../db/mapping.js';
import { AppError, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { requireExportReason, type ExportColumn, type ExportQuery, type VaultGateway } from '../vault/gateway.js';
import { authorizeCustomers } from '../vault/policy.js';
import { cellText } from './cells.js';
import { openStream, sealStream } from './file-cipher.js';
import { CONTENT_TYPES, rowWriter, type ExportFormat } from './file-writer.js';
import { expiredExports, findExport, insertExport, staleRunningExports, updateExport, type ExportRow } from './store.js';
import type { ExportJob, ExportStatus } from '../../shared/exports.js';

/** An export's file can be downloaded for this long after it is ready; then its key and file are dropped. */
export const EXPORT_TTL_MS = 60 * 60_000;
/**
 * A running job writes its progress after every page (a few hundred milliseconds at most): one
 * silent for this long is not running any more — its process ended (a restart) — and is failed.
 */
export const STALE_MS = 2 * 60_000;
const SWEEP_BATCH = 100;

export type HeaderLanguage = 'en' | 'zh-CN';

export type { ExportJob, ExportStatus } from '../../shared/exports.js';

export interface ExportFile {
  fileName: string;
  contentType: string;
  rows: number;
  body: Readable;
}

const ERROR_MESSAGES: Record<string, string> = {
  interrupted: 'The server stopped while the export ran. Start it again.',
  export_failed: 'The export failed. Start it again; if it fails again, tell your administrator.',
};

/** The sealed key's AAD: the key opens only for this export of this workspace. */
const keyAad = (workspaceId: string, id: string) => `custos-export-key:v1:${workspaceId}:${id}`;
const creatorOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : `system:${actor.name}`);
const pad = (n: number) => String(n).padStart(2, '0');

/** customers-YYYYMMDD-HHMMSS.csv, in UTC, from the job's start. */
export function exportFileName(createdAt: Date, format: ExportFormat): string {
  const d = createdAt;
  return `customers-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${format}`;
}

/**
 * Customer exports as jobs (issue 7): the gateway checks, counts, presents and audits; this
 * service runs the job in-process (yielding between pages), writes the file encrypted under a
 * key of its own, reports progress, cancels, hands the file to its creator only, and sweeps
 * expired files. A restart ends running jobs: they are failed (`interrupted`) once stale.
 */
export function createExportService({ db, clock, vault, audit, keys, dir }: {
  db: Kysely<DB>;
  clock: Clock;
  vault: Pick<VaultGateway, 'planExport' | 'exportCustomers'>;
  audit: Pick<AuditService, 'record'>;
  keys: Pick<KeyProvider, 'seal' | 'open'>;
  /** Where the encrypted files are kept (`<dataDir>/exports`). */
  dir: string;
}) {
  /** Jobs this process runs, to cancel them. */
  const running = new Map<string, AbortController>();
  /** The runs this process started and that have not ended (tests and a graceful stop wait for them). */
  const runs = new Set<Promise<void>>();
  const runKey = (workspaceId: string, id: string) => `${workspaceId}:${id}`;
  const fileOf = (row: Pick<ExportRow, 'id'>) => path.join(dir, `${row.id}.export`);
  const removeFile = (row: Pick<ExportRow, 'id'>) => fs.promises.rm(fileOf(row), { force: true });

  function present(row: ExportRow): ExportJob {
    const done = Number(row.done);
    const total = Number(row.total);
    const created = Number(row.created_at);
    const end = row.finished_at === null ? clock.now().getTime() : Number(row.finished_at);
    const seconds = Math.max(0, end - created) / 1000;
    const rate = seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0;
    const status = row.status as ExportStatus;
    const eta = status === 'completed' ? 0 : status === 'running' && rate > 0 ? Math.ceil(Math.max(0, total - done) / rate) : null;
    const expired = row.expires_at !== null && Number(row.expires_at) <= clock.now().getTime();
    return {
      id: row.id,
      status,
      format: row.format as ExportFormat,
      columns: fromDbJson<string[]>(row.columns) ?? [],
      progress: { done, total, rate, eta },
      rows: done,
      error: row.error_code ? { code: row.error_code, message: ERROR_MESSAGES[row.error_code] ?? ERROR_MESSAGES.export_failed! } : null,
      createdAt: isoFromDb(row.created_at)!,
      finishedAt: isoFromDb(row.finished_at),
      expiresAt: expired ? null : isoFromDb(row.expires_at),
    };
  }

  /** The actor's own job: another user's (or none) is "not found", whether it exists or not. */
  async function ownJob(actor: Actor, id: string): Promise<ExportRow> {
    authorizeCustomers(actor, 'export');
    const row = await findExport(db, actor.workspaceId, id);
    if (!row || row.created_by !== creatorOf(actor)) throw notFound('export_not_found', 'No such export.');
    return settle(row);
  }

  /** A running job no process is running any more is failed (see STALE_MS). */
  async function settle(row: ExportRow): Promise<ExportRow> {
    const now = clock.now().getTime();
    if (row.status !== 'running' || running.has(runKey(row.workspace_id, row.id)) || Number(row.updated_at) >= now - STALE_MS) return row;
    await failInterrupted(row);
    return (await findExport(db, row.workspace_id, row.id))!;
  }

  async function failInterrupted(row: Pick<ExportRow, 'workspace_id' | 'id'>): Promise<void> {
    const now = toDbTime(clock.now());
    await updateExport(db, row.workspace_id, row.id, { status: 'failed', error_code: 'interrupted', sealed_key: null, finished_at: now, updated_at: now }, 'running');
    await removeFile(row);
  }

  /** Writes the file: header, then each page the gateway hands over, through the cipher to disk. */
  async function run(actor: Actor, job: { id: string; format: ExportFormat; columns: ExportColumn[]; language: HeaderLanguage }, plan: Awaited<ReturnType<VaultGateway['planExport']>>, key: Buffer) {
    const { workspaceId } = actor;
    const controller = new AbortController();
    running.set(runKey(workspaceId, job.id), controller);
    const plaintext = new PassThrough();
    try {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const written = pipeline(plaintext, sealStream(key, job.id), fs.createWriteStream(fileOf(job), { mode: 0o600 }));
      // The pipeline's failure surfaces when it is awaited below; until then it must not be unhandled.
      written.catch(() => undefined);
      const writer = rowWriter(job.format, plaintext);
      await writer.row(['id', ...job.columns.map((column) => column.labels[job.language])]);
      let done = 0;
      const rows = await vault.exportCustomers(actor, plan, {
        format: job.format,
        exportId: job.id,
        signal: controller.signal,
        async write(records) {
          for (const record of records) await writer.row([record.id, ...job.columns.map((column) => cellText(record[column.key]))]);
          done += records.length;
          const still = await updateExport(db, workspaceId, job.id, { done, updated_at: toDbTime(clock.now()) }, 'running');
          if (!still) controller.abort();
        },
      });
      if (controller.signal.aborted) {
        plaintext.destroy();
        await written.catch(() => undefined);
        await removeFile(job);
        return;
      }
      await writer.end();
      await written;
      const { size } = await fs.promises.stat(fileOf(job));
      const now = clock.now().getTime();
      await updateExport(db, workspaceId, job.id, { status: 'completed', done: rows, bytes: size, finished_at: now, updated_at: now, expires_at: now + EXPORT_TTL_MS }, 'running');
    } catch {
      plaintext.destroy();
      const now = toDbTime(clock.now());
      await updateExport(db, workspaceId, job.id, { status: 'failed', error_code: 'export_failed', sealed_key: null, finished_at: now, updated_at: now }, 'running').catch(() => undefined);
      await removeFile(job).catch(() => undefined);
    } finally {
      running.delete(runKey(workspaceId, job.id));
    }
  }

  return {
    /** Waits for every export this process is running (tests; a graceful stop). */
    async idle(): Promise<void> {
      await Promise.all([...runs]);
    },

    /** How many rows an export of this query would have, and whether it needs a reason (the web app's modal asks before starting). */
    async estimate(actor: Actor, query: ExportQuery): Promise<{ rows: number; reasonRequired: boolean }> {
      const { rows, reasonRequired } = await vault.planExport(actor, query);
      return { rows, reasonRequired };
    },

    /** Checks and counts the export, then starts it in the background: answers the running job. */
    async start(actor: Actor, input: ExportQuery & { format: ExportFormat }, language: HeaderLanguage): Promise<ExportJob> {
      const plan = await vault.planExport(actor, input);
      requireExportReason(plan);
      const id = newId();
      const key = randomBytes(32);
      const now = toDbTime(clock.now());
      const row: ExportRow = {
        workspace_id: actor.workspaceId,
        id,
        created_by: creatorOf(actor),
        status: 'running',
        format: input.format,
        columns: toDbJson(plan.columns.map((column) => column.key)),
        total: plan.rows,
        done: 0,
        sealed_key: keys.seal(key, keyAad(actor.workspaceId, id)),
        bytes: null,
        error_code: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
        expires_at: null,
      };
      await insertExport(db, row);
      const runner = run(actor, { id, format: input.format, columns: plan.columns, language }, plan, key).finally(() => runs.delete(runner));
      runs.add(runner);
      return present(row);
    },

    async get(actor: Actor, id: string): Promise<ExportJob> {
      return present(await ownJob(actor, id));
    },

    /** Stops a running export between two pages; its partial file is deleted. */
    async cancel(actor: Actor, id: string): Promise<ExportJob> {
      const row = await ownJob(actor, id);
      const now = toDbTime(clock.now());
      const cancelled = row.status === 'running' && (await updateExport(db, actor.workspaceId, id, { status: 'cancelled', sealed_key: null, finished_at: now, updated_at: now }, 'running'));
      if (!cancelled) throw conflict('export_state', `The export is ${row.status}: only a running export can be cancelled.`);
      running.get(runKey(actor.workspaceId, id))?.abort();
      // The runner deletes its file when it stops; a job another process ran leaves nothing readable (its key is gone).
      return present((await findExport(db, actor.workspaceId, id))!);
    },

    /** The finished file, decrypted as it is sent, for its creator while it has not expired; recorded. */
    async file(actor: Actor, id: string): Promise<ExportFile> {
      const row = await ownJob(actor, id);
      if (row.status !== 'completed') throw conflict('export_not_ready', `The export is ${row.status}: there is no file to download.`);
      if (!row.sealed_key || Number(row.expires_at) <= clock.now().getTime()) throw new AppError(410, 'export_expired', 'This export’s file has expired (files are kept for one hour). Export again.');
      const key = keys.open(Buffer.from(row.sealed_key), keyAad(row.workspace_id, row.id));
      const format = row.format as ExportFormat;
      const rows = Number(row.done);
      await audit.record(actor, { action: 'customers.export_downloaded', outcome: 'success', metadata: { format, rows, bytes: Number(row.bytes ?? 0) }, object: { type: 'customer_export', id } });
      const body = openStream(key, row.id);
      // A file altered or cut short ends the download with an error rather than hand over bad bytes.
      void pipeline(fs.createReadStream(fileOf(row)), body).catch(() => undefined);
      return { fileName: exportFileName(new Date(Number(row.created_at)), format), contentType: CONTENT_TYPES[format], rows, body };
    },

    /**
     * The hourly sweep: expired files deleted and their keys dropped (a copy of the file left
     * anywhere cannot be opened any more), and jobs a restart cut short failed.
     */
    async sweep(): Promise<{ expired: number; interrupted: number }> {
      const now = clock.now().getTime();
      let expired = 0;
      for (let batch = await expiredExports(db, now, SWEEP_BATCH); batch.length > 0; batch = await expiredExports(db, now, SWEEP_BATCH)) {
        for (const row of batch) {
          await removeFile(row);
          await updateExport(db, row.workspace_id, row.id, { sealed_key: null });
        }
        expired += batch.length;
      }
      const stale = (await staleRunningExports(db, now - STALE_MS)).filter((row) => !running.has(runKey(row.workspace_id, row.id)));
      for (const row of stale) await failInterrupted(row);
      return { expired, interrupted: stale.length };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
