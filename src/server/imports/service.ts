import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { isoFromDb, toDbTime } from '../db/mapping.js';
import { AppError, badRequest, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { KeyProvider } from '../keys/key-provider.js';
import type { FieldRegistry } from '../vault/field-registry.js';
import { type ImportBatchResult, type ImportMatchKey, type ImportOnMatch, type ImportReason, type ImportRow } from '../vault/gateway/imports.js';
import type { VaultGateway } from '../vault/gateway.js';
import type { CustomerKind } from '../../shared/fields.js';
import type { ImportJob, ImportSettings, ImportStatus } from '../../shared/imports.js';
import { applyMapping, autoMap, CellError, cellToInput, inspectSource, readRows, SourceError, type MappableField, type MappingFileValue, type SourceEncoding, type SourceInfo } from './parse/index.js';
import { FileTooLargeError, jobKeyAad, openRejection, openUpload, sealRejection, sha256File, storeUpload } from './files.js';
import { deleteRejectionsFrom, findJob, findResumable, insertJob, insertRejections, listJobs, moveJob, rejectionsAfter, runningJobs, staleUploads, updateJob, type ImportJobRow } from './store.js';
import { csvLine } from '../exports/cells.js';

/** Rows a batch holds: one transaction, one audit event, one progress step. */
export const IMPORT_BATCH_ROWS = 1_000;
export const MAX_UPLOAD_BYTES = 512 * 1024 ** 2;
const LIST_LIMIT = 50;
/** How long an uploaded file waits to be imported (or resumed) before it is deleted. */
export const UPLOAD_KEPT_MS = 7 * 86_400_000;

export type { ImportJob } from '../../shared/imports.js';

export interface StartOptions extends ImportSettings {
  dryRun: boolean;
}

export interface ImportServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  keys: Pick<KeyProvider, 'keyId' | 'seal' | 'open'>;
  vault: Pick<VaultGateway, 'importBatch' | 'authorizeImport'>;
  fields: Pick<FieldRegistry, 'load'>;
  /** Where uploaded files are kept, sealed, while their import may still run. */
  dir: string;
  /** Rows a batch holds (tests make it small to stop between batches). */
  batchRows?: number;
  /** Failures of a job running in the background (never with the file's content). */
  onFailure?: (error: unknown) => void;
}

/** A job this process runs: how far it got since it (re)started, for the rate; and whether it was asked to stop. */
interface Run {
  startedAt: number;
  startDone: number;
  stop: boolean;
  done: Promise<void>;
}

const num = (value: number | string | null) => (value === null ? null : Number(value));
const ZERO_COUNTS = { done: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, duplicates: 0 };

/**
 * Customer imports as jobs (issue 7): a file uploaded (sealed at rest) or named on the command
 * line, inspected and mapped to fields, then read a batch at a time through the records gateway
 * (`vault.importBatch`), each batch one transaction that also moves the job's progress — so a
 * killed import resumes after its last committed batch, and re-running a file creates nobody twice.
 */
export function createImportService(deps: ImportServiceDeps) {
  const { db, clock, audit, keys, vault, fields, dir } = deps;
  const batchRows = deps.batchRows ?? IMPORT_BATCH_ROWS;
  const runs = new Map<string, Run>();
  const now = () => clock.now().getTime();

  async function mappable(workspaceId: string, kind: CustomerKind): Promise<MappableField[]> {
    return (await fields.load(workspaceId)).of(kind).map((f) => ({ kind: f.kind, key: f.key, type: f.type, labels: f.labels, ...(f.options ? { options: f.options } : {}) }));
  }

  function openFile(job: ImportJobRow): () => NodeJS.ReadableStream {
    return job.source === 'cli' ? () => fs.createReadStream(job.file_path) : () => openUpload(path.join(dir, job.file_path), keys);
  }

  const infoOf = (job: ImportJobRow): SourceInfo => ({ format: job.format as SourceInfo['format'], encoding: job.encoding as SourceInfo['encoding'], delimiter: job.delimiter, headers: JSON.parse(job.headers) as string[] });

  function view(job: ImportJobRow): ImportJob {
    const done = Number(job.done);
    const total = num(job.total);
    const run = runs.get(job.id);
    const elapsed = run ? (now() - run.startedAt) / 1000 : 0;
    const rate = run && elapsed > 0 ? (done - run.startDone) / elapsed : 0;
    return {
      id: job.id,
      fileName: job.file_name,
      status: job.status as ImportStatus,
      dryRun: job.dry_run === 1,
      kind: job.kind as CustomerKind,
      matchBy: job.match_by as ImportMatchKey,
      onMatch: job.on_match as ImportOnMatch,
      mapping: JSON.parse(job.mapping) as (string | null)[],
      headers: JSON.parse(job.headers) as string[],
      progress: { done, total, rate: Math.round(rate), eta: job.status === 'running' && total !== null && rate > 0 ? Math.ceil((total - done) / rate) : null },
      summary: { imported: Number(job.imported), updated: Number(job.updated), unchanged: Number(job.unchanged), rejected: Number(job.rejected), duplicates: Number(job.duplicates) },
      createdAt: isoFromDb(job.created_at)!,
      startedAt: isoFromDb(job.started_at),
      finishedAt: isoFromDb(job.finished_at),
      error: job.error_code ? { code: job.error_code, message: job.error_message ?? '' } : null,
    };
  }

  /** A job the actor may see: their own, or any in the workspace for whoever manages users; else 404. */
  async function visibleJob(actor: Actor, id: string): Promise<ImportJobRow> {
    vault.authorizeImport(actor);
    const job = await findJob(db, actor.workspaceId, id);
    if (!job || !(job.created_by === creatorOf(actor) || managesAll(actor))) throw notFound('import_not_found', 'No such import.');
    return job;
  }

  const creatorOf = (actor: Actor) => (actor.kind === 'user' ? actor.userId : actor.name);
  const managesAll = (actor: Actor) => actor.kind === 'system' || actor.access.permissions.capabilities.includes('manageUsers');

  /** Checks a mapping against the file's columns and the kind's fields: one field per column at most, the match column mapped. */
  async function checkMapping(actor: Actor, headers: readonly string[], options: Pick<StartOptions, 'kind' | 'mapping' | 'matchBy'>): Promise<void> {
    if (options.mapping.length !== headers.length) throw badRequest('mapping_invalid', `The mapping names ${options.mapping.length} columns; the file has ${headers.length}.`);
    const known = new Set((await mappable(actor.workspaceId, options.kind)).map((f) => f.key));
    const used = new Set<string>();
    options.mapping.forEach((key, i) => {
      if (key === null) return;
      if (!known.has(key)) throw badRequest('mapping_invalid', `There is no field "${key}" for a ${options.kind}.`, headers[i]);
      if (used.has(key)) throw badRequest('mapping_invalid', `Two columns are mapped to the field "${key}".`, headers[i]);
      used.add(key);
    });
    if (used.size === 0) throw badRequest('mapping_invalid', 'Map at least one column to a field.');
    if (!used.has(options.matchBy)) throw badRequest('match_column_missing', `No column is mapped to ${options.matchBy}: map one, or match by another field.`, 'matchBy');
  }

  /** The match key a mapping suggests: an external id first, then email, phone, national ID. */
  const suggestedMatch = (mapping: readonly (string | null)[]): ImportMatchKey => ['externalId', 'email', 'phone', 'nationalId'].find((key) => mapping.includes(key)) as ImportMatchKey | undefined ?? 'email';

  /** Turns one row's cells into field input; a cell that cannot be read refuses the row. */
  function inputOf(cells: readonly string[], mapping: readonly (string | null)[], byKey: ReadonlyMap<string, MappableField>): { input: Record<string, unknown> } | { reasons: ImportReason[] } {
    const input: Record<string, unknown> = {};
    const reasons: ImportReason[] = [];
    mapping.forEach((key, i) => {
      if (key === null) return;
      try {
        const value = cellToInput(byKey.get(key)!, cells[i] ?? '');
        if (value !== undefined) input[key] = value;
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        reasons.push({ code: error.code, field: key, message: error.message });
      }
    });
    return reasons.length > 0 ? { reasons } : { input };
  }

  /** Counts the data rows once, so progress has a total and an ETA. */
  async function countRows(job: ImportJobRow): Promise<number> {
    let last = 0;
    for await (const { row } of readRows(openFile(job), infoOf(job))) last = row;
    return last;
  }

  async function run(actor: Actor, jobId: string, state: Run): Promise<void> {
    const workspaceId = actor.workspaceId;
    let job = (await findJob(db, workspaceId, jobId))!;
    if (job.total === null) {
      const total = await countRows(job);
      await updateJob(db, workspaceId, jobId, { total });
      job = { ...job, total };
    }
    const jobKey = keys.open(job.job_key, jobKeyAad(workspaceId, jobId));
    const mapping = JSON.parse(job.mapping) as (string | null)[];
    const byKey = new Map((await mappable(workspaceId, job.kind as CustomerKind)).map((f) => [f.key, f]));
    const dryRun = job.dry_run === 1;
    const seen = new Set<string>();
    const counts = { done: Number(job.done), imported: Number(job.imported), updated: Number(job.updated), unchanged: Number(job.unchanged), rejected: Number(job.rejected), duplicates: Number(job.duplicates) };

    let batch: ImportRow[] = [];
    let refused: { row: number; cells: readonly string[]; reasons: ImportReason[] }[] = [];
    let cellsOf = new Map<number, readonly string[]>();
    let lastRow = counts.done;

    const flush = async () => {
      const rows = batch;
      const unreadable = refused;
      const cells = cellsOf;
      const through = lastRow;
      batch = [];
      refused = [];
      cellsOf = new Map();
      const record = async (executor: Kysely<DB>, result: ImportBatchResult | null) => {
        const rejections = [...unreadable];
        for (const outcome of result?.outcomes ?? []) if (outcome.outcome === 'rejected') rejections.push({ row: outcome.row, cells: cells.get(outcome.row) ?? [], reasons: outcome.reasons });
        counts.done = through;
        counts.imported += result?.imported ?? 0;
        counts.updated += result?.updated ?? 0;
        counts.unchanged += result?.unchanged ?? 0;
        counts.duplicates += result?.duplicates ?? 0;
        counts.rejected += rejections.length;
        await insertRejections(
          executor,
          rejections.map((r) => ({ workspace_id: workspaceId, job_id: jobId, row: r.row, sealed: sealRejection(jobKey, jobId, r.row, { cells: r.cells, reasons: r.reasons }) })),
        );
        await updateJob(executor, workspaceId, jobId, { ...counts });
      };
      if (rows.length === 0) return db.transaction().execute((trx) => record(trx, null));
      const options = { jobId, kind: job.kind as CustomerKind, matchBy: job.match_by as ImportMatchKey, onMatch: job.on_match as ImportOnMatch, dryRun, seen };
      // A real batch moves the job's progress in its own transaction; a dry run's batch rolls back, so its bookkeeping follows it.
      if (!dryRun) await vault.importBatch(actor, rows, { ...options, inTransaction: record });
      else {
        const result = await vault.importBatch(actor, rows, options);
        await db.transaction().execute((trx) => record(trx, result));
      }
    };

    for await (const { row, cells } of readRows(openFile(job), infoOf(job), { skip: counts.done })) {
      const read = inputOf(cells, mapping, byKey);
      if ('reasons' in read) refused.push({ row, cells, reasons: read.reasons });
      else {
        batch.push({ row, input: read.input });
        cellsOf.set(row, cells);
      }
      lastRow = row;
      if (batch.length + refused.length >= batchRows) {
        await flush();
        if (state.stop || (await findJob(db, workspaceId, jobId))?.status !== 'running') return;
      }
    }
    await flush();
    const finished = await moveJob(db, workspaceId, jobId, ['running'], { status: 'completed', done: lastRow, total: lastRow, finished_at: toDbTime(clock.now()) });
    if (!finished) return;
    // A real import is over: the uploaded file is not needed any more (a dry run's may still be imported for real).
    if (!dryRun) await removeUpload(job);
    await recordFinished(actor, jobId, 'completed');
  }

  async function removeUpload(job: ImportJobRow) {
    if (job.source === 'upload') await fs.promises.rm(path.join(dir, job.file_path), { force: true });
  }

  async function recordFinished(actor: Actor, jobId: string, status: string) {
    const job = (await findJob(db, actor.workspaceId, jobId))!;
    const s = view(job).summary;
    await audit.record(actor, {
      action: 'import.finished',
      outcome: status === 'failed' ? 'failure' : 'success',
      metadata: { status, dryRun: job.dry_run === 1, rows: Number(job.done), ...s },
      object: { type: 'import', id: jobId },
    });
  }

  /** Starts the job's runner in the background (the CLI awaits the returned promise). */
  function launch(actor: Actor, job: ImportJobRow): Run {
    const state: Run = { startedAt: now(), startDone: Number(job.done), stop: false, done: Promise.resolve() };
    runs.set(job.id, state);
    state.done = run(actor, job.id, state)
      .catch(async (error: unknown) => {
        deps.onFailure?.(error);
        const known = error instanceof AppError || error instanceof SourceError;
        await moveJob(db, actor.workspaceId, job.id, ['running'], {
          status: 'failed',
          finished_at: toDbTime(clock.now()),
          error_code: error instanceof AppError ? error.code : known ? 'unreadable_file' : 'import_failed',
          error_message: known ? (error as Error).message : 'The import stopped on an unexpected error; resume it to go on from the last committed row.',
        });
        await recordFinished(actor, job.id, 'failed');
      })
      .finally(() => runs.delete(job.id));
    return state;
  }

  async function begin(actor: Actor, job: ImportJobRow, resumedAt: number): Promise<Run> {
    await audit.record(actor, {
      action: 'import.started',
      outcome: 'success',
      metadata: { dryRun: job.dry_run === 1, kind: job.kind, matchBy: job.match_by, onMatch: job.on_match, fields: (JSON.parse(job.mapping) as (string | null)[]).filter((k): k is string => k !== null), resumedAt },
      object: { type: 'import', id: job.id },
    });
    return launch(actor, job);
  }

  /** A new job's row: the file, how it is read and mapped; counts at zero. */
  function newJob(
    actor: Actor,
    id: string,
    file: Pick<ImportJobRow, 'source' | 'file_name' | 'file_path' | 'file_sha256' | 'file_bytes'>,
    info: SourceInfo,
    options: Pick<ImportJobRow, 'kind' | 'mapping' | 'match_by' | 'on_match' | 'dry_run' | 'status' | 'started_at'>,
  ): ImportJobRow {
    return {
      workspace_id: actor.workspaceId,
      id,
      created_by: creatorOf(actor),
      ...file,
      job_key: keys.seal(randomBytes(32), jobKeyAad(actor.workspaceId, id)),
      format: info.format,
      encoding: info.encoding,
      delimiter: info.delimiter,
      headers: JSON.stringify(info.headers),
      ...options,
      ...ZERO_COUNTS,
      total: null,
      created_at: toDbTime(clock.now()),
      finished_at: null,
      error_code: null,
      error_message: null,
    };
  }

  return {
    async upload(actor: Actor, fileName: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ImportJob> {
      vault.authorizeImport(actor);
      const id = newId();
      const name = path.basename(fileName).slice(0, 200) || 'import';
      const stored = path.join(dir, `${id}.cimport`);
      let file;
      try {
        file = await storeUpload(body, stored, keys, MAX_UPLOAD_BYTES);
      } catch (error) {
        if (error instanceof FileTooLargeError) throw new AppError(413, 'file_too_large', error.message);
        throw error;
      }
      let info;
      try {
        info = await inspectSource(() => openUpload(stored, keys), name);
      } catch (error) {
        await fs.promises.rm(stored, { force: true });
        if (error instanceof SourceError) throw badRequest('unreadable_file', error.message);
        throw error;
      }
      const mapping = autoMap(info.headers, await mappable(actor.workspaceId, 'person'));
      const row = newJob(
        actor,
        id,
        { source: 'upload', file_name: name, file_path: path.basename(stored), file_sha256: file.sha256, file_bytes: file.bytes },
        info,
        { kind: 'person', mapping: JSON.stringify(mapping), match_by: suggestedMatch(mapping), on_match: 'update', dry_run: 0, status: 'uploaded', started_at: null },
      );
      await db.transaction().execute(async (trx) => {
        await insertJob(trx, row);
        await audit.record(actor, { action: 'import.uploaded', outcome: 'success', metadata: { bytes: file.bytes, format: info.format }, object: { type: 'import', id } }, trx);
      });
      return { ...view(row), preview: { format: info.format, encoding: info.encoding, delimiter: info.delimiter, headers: info.headers, sample: info.sample, mapping } };
    },

    async get(actor: Actor, id: string): Promise<ImportJob> {
      const job = await visibleJob(actor, id);
      if (job.status !== 'uploaded') return view(job);
      // Before it starts, the job answers with the file's first rows again (read from the sealed file, never stored apart).
      const info = await inspectSource(openFile(job), job.file_name, { ...(job.encoding ? { encoding: job.encoding as SourceInfo['encoding'] & string } : {}), ...(job.delimiter ? { delimiter: job.delimiter } : {}) });
      const mapping = JSON.parse(job.mapping) as (string | null)[];
      return { ...view(job), preview: { format: info.format, encoding: info.encoding, delimiter: info.delimiter, headers: info.headers, sample: info.sample, mapping } };
    },

    async list(actor: Actor): Promise<ImportJob[]> {
      vault.authorizeImport(actor);
      return (await listJobs(db, actor.workspaceId, managesAll(actor) ? null : creatorOf(actor), LIST_LIMIT)).map(view);
    },

    /** Starts an uploaded job, or a finished dry run for real (counts start over). */
    async start(actor: Actor, id: string, options: StartOptions): Promise<ImportJob> {
      const job = await visibleJob(actor, id);
      const again = job.status === 'completed' && job.dry_run === 1;
      if (job.status !== 'uploaded' && !again) throw new AppError(409, 'import_state', 'This import has already started: resume or cancel it instead.');
      await checkMapping(actor, JSON.parse(job.headers) as string[], options);
      const changes = {
        kind: options.kind,
        mapping: JSON.stringify(options.mapping),
        match_by: options.matchBy,
        on_match: options.onMatch,
        dry_run: options.dryRun ? 1 : 0,
        status: 'running',
        total: job.total,
        ...ZERO_COUNTS,
        started_at: toDbTime(clock.now()),
        finished_at: null,
        error_code: null,
        error_message: null,
      };
      const moved = await db.transaction().execute(async (trx) => {
        if (!(await moveJob(trx, actor.workspaceId, id, [job.status], changes))) return false;
        await deleteRejectionsFrom(trx, actor.workspaceId, id);
        return true;
      });
      if (!moved) throw new AppError(409, 'import_state', 'This import changed meanwhile; reload it.');
      const started = { ...job, ...changes };
      await begin(actor, started, 0);
      return view(started);
    },

    async cancel(actor: Actor, id: string): Promise<ImportJob> {
      const job = await visibleJob(actor, id);
      if (!(await moveJob(db, actor.workspaceId, id, ['running'], { status: 'cancelled', finished_at: toDbTime(clock.now()) }))) {
        throw new AppError(409, 'import_state', 'Only a running import can be cancelled.');
      }
      const run = runs.get(id);
      if (run) {
        run.stop = true;
        await run.done;
      }
      await recordFinished(actor, id, 'cancelled');
      return view((await findJob(db, actor.workspaceId, job.id))!);
    },

    async resume(actor: Actor, id: string): Promise<ImportJob> {
      const job = await visibleJob(actor, id);
      if (runs.has(id) || !(await moveJob(db, actor.workspaceId, id, ['cancelled', 'failed'], { status: 'running', finished_at: null, error_code: null, error_message: null }))) {
        throw new AppError(409, 'import_state', 'Only a cancelled or failed import can be resumed.');
      }
      const resumed = { ...job, status: 'running', finished_at: null, error_code: null, error_message: null };
      await begin(actor, resumed, Number(job.done));
      return view(resumed);
    },

    /** The rejected rows as CSV lines (UTF-8 BOM first): the file's header, then `row` and `reasons`; each row as it came. */
    async errors(actor: Actor, id: string): Promise<{ fileName: string; rows: number; lines: AsyncIterable<string> }> {
      const job = await visibleJob(actor, id);
      const jobKey = keys.open(job.job_key, jobKeyAad(actor.workspaceId, id));
      const headers = JSON.parse(job.headers) as string[];
      await audit.record(actor, { action: 'import.errors_downloaded', outcome: 'success', metadata: { rows: Number(job.rejected) }, object: { type: 'import', id } });
      async function* lines() {
        yield '\uFEFF' + csvLine([...headers, 'row', 'reasons']);
        for (let after = 0; ; ) {
          const page = await rejectionsAfter(db, actor.workspaceId, id, after, 500);
          for (const rejection of page) {
            const row = Number(rejection.row);
            const { cells, reasons } = openRejection<{ cells: string[]; reasons: ImportReason[] }>(jobKey, id, row, Buffer.from(rejection.sealed));
            yield csvLine([...headers.map((_, i) => cells[i] ?? ''), String(row), reasons.map((r) => (r.field ? `${r.field}: ${r.message}` : r.message)).join('; ')]);
          }
          if (page.length < 500) return;
          after = Number(page.at(-1)!.row);
        }
      }
      return { fileName: `${job.file_name.replace(/\.[^.]*$/, '')}-errors.csv`, rows: Number(job.rejected), lines: lines() };
    },

    /**
     * `custos import`: the operator's own file, read in place. An unfinished job of the same
     * file with the same options resumes after its last committed row instead of starting over.
     */
    async importFile(
      actor: Actor,
      file: string,
      options: { mapping?: MappingFileValue; dryRun: boolean; onStart?: (job: ImportJob, resumed: boolean) => void },
    ): Promise<ImportJob> {
      vault.authorizeImport(actor);
      const absolute = path.resolve(file);
      const hints = { ...(options.mapping?.encoding ? { encoding: options.mapping.encoding as SourceEncoding } : {}), ...(options.mapping?.delimiter ? { delimiter: options.mapping.delimiter } : {}) };
      let info;
      try {
        info = await inspectSource(() => fs.createReadStream(absolute), absolute, hints);
      } catch (error) {
        if (error instanceof SourceError) throw badRequest('unreadable_file', error.message);
        throw error;
      }
      const kind = (options.mapping?.kind ?? 'person') as CustomerKind;
      const fieldList = await mappable(actor.workspaceId, kind);
      let mapping: (string | null)[];
      try {
        mapping = applyMapping(info.headers, autoMap(info.headers, fieldList), options.mapping?.columns, fieldList);
      } catch (error) {
        throw badRequest('mapping_invalid', (error as Error).message);
      }
      const matchBy = (options.mapping?.matchBy ?? suggestedMatch(mapping)) as ImportMatchKey;
      const onMatch = (options.mapping?.onMatch ?? 'update') as ImportOnMatch;
      await checkMapping(actor, info.headers, { kind, mapping, matchBy });
      const digest = await sha256File(absolute);
      const same = { file_sha256: digest.sha256, created_by: creatorOf(actor), kind, mapping: JSON.stringify(mapping), match_by: matchBy, on_match: onMatch, dry_run: options.dryRun ? 1 : 0 };
      const earlier = options.dryRun ? undefined : await findResumable(db, actor.workspaceId, same);
      let job: ImportJobRow;
      if (earlier && (await moveJob(db, actor.workspaceId, earlier.id, [earlier.status], { status: 'running', file_path: absolute, finished_at: null, error_code: null, error_message: null }))) {
        job = { ...earlier, status: 'running', file_path: absolute };
      } else {
        const id = newId();
        const { file_sha256, created_by: _by, ...options } = same;
        job = newJob(actor, id, { source: 'cli', file_name: path.basename(absolute), file_path: absolute, file_sha256, file_bytes: digest.bytes }, info, { ...options, status: 'running', started_at: toDbTime(clock.now()) });
        await insertJob(db, job);
      }
      options.onStart?.(view(job), earlier !== undefined && job.id === earlier.id);
      await (await begin(actor, job, Number(job.done))).done;
      return view((await findJob(db, actor.workspaceId, job.id))!);
    },

    /** At start: jobs a stopped process left running cannot be running now; they wait to be resumed. */
    async markInterrupted(): Promise<number> {
      const stale = (await runningJobs(db)).filter((job) => !runs.has(job.id));
      for (const job of stale) {
        await moveJob(db, job.workspace_id, job.id, ['running'], {
          status: 'failed',
          error_code: 'interrupted',
          error_message: 'The server stopped during the import: resume it to go on from the last committed row.',
          finished_at: toDbTime(clock.now()),
        });
      }
      return stale.length;
    },

    /**
     * Hourly: an uploaded file waiting longer than UPLOAD_KEPT_MS (never started, a dry run not
     * imported, an import cancelled or failed and not resumed) is deleted; its job says so.
     */
    async sweep(): Promise<number> {
      const stale = await staleUploads(db, toDbTime(new Date(now() - UPLOAD_KEPT_MS)));
      for (const job of stale.filter((j) => !runs.has(j.id))) {
        await removeUpload(job);
        await moveJob(db, job.workspace_id, job.id, [job.status], { status: 'failed', error_code: 'expired', error_message: 'The uploaded file was deleted after 7 days; upload it again.', finished_at: toDbTime(clock.now()) });
      }
      return stale.length;
    },

    /** Waits for every job this process runs (tests; a graceful stop). */
    async idle(): Promise<void> {
      await Promise.all([...runs.values()].map((run) => run.done));
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
