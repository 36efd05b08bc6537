import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { systemActor, type Actor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import { INSTALLATION_SCOPE } from '../audit/service.js';
import type { AuditAction, AuditEventMetadata, AuditOutcome } from '../audit/events.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { KeyError, loadMasterKey, type KeyProvider, type MasterKeySource } from '../keys/key-provider.js';
import { createBackup, type BackupResult, type ProgressListener } from './backup.js';
import { readManifest, type RestoreReport } from './restore.js';
import { verifyBackup, type VerifyReport } from './verify.js';

/**
 * Backups of a running installation, as the CLI (and a schedule in the server) ask for them:
 * make one (`create`), prove one restores (`verify`), read what one holds (`manifest`). Each
 * is recorded in the audit trail of every workspace, since a backup holds them all: who asked
 * (`by`: a user in their own workspace, else a system actor of that name) and what it held —
 * file name, sizes, counts, durations; never a path's directories or a value.
 */
export function createBackupService({ database, databaseUrl, dataDir, keys, clock, audit }: {
  database: Database;
  /** PostgreSQL: the connection pg_dump uses and verification restores beside. */
  databaseUrl: string | null;
  /** SQLite: where a backup's snapshot is written while it is encrypted. */
  dataDir: string;
  keys: KeyProvider;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
}) {
  return {
    /** Writes an encrypted backup to `out` (a new file) while the server keeps serving. */
    async create(options: { out: string; by?: Actor | string; onProgress?: ProgressListener; signal?: AbortSignal }): Promise<BackupResult> {
      const result = await createBackup({ database, databaseUrl, workDir: dataDir }, keys, clock, options);
      await recordInEveryWorkspace(database.db, audit, options.by, 'backup.created', 'success', {
        file: path.basename(result.file),
        dialect: result.manifest.dialect,
        schemaVersion: result.manifest.schemaVersion,
        bytes: result.bytes,
        imageBytes: result.image.bytes,
        passes: result.passes,
        tables: Object.keys(result.manifest.tables).length,
        rows: Object.values(result.manifest.tables).reduce((sum, n) => sum + n, 0),
        seconds: round(result.seconds),
      });
      return result;
    },

    /** Restores `file` into a temporary database and checks it (verify.ts); recorded with its outcome. */
    async verify(file: string, options: { by?: Actor | string; onProgress?: ProgressListener } = {}): Promise<VerifyReport> {
      const report = await verifyBackup(file, keys, { databaseUrl, clock, onProgress: options.onProgress });
      await recordVerified(database.db, audit, options.by, file, report);
      return report;
    },

    /** What a backup holds (created, schema version, row counts), from its first frame only. */
    manifest: (file: string) => readManifest(file, keys),
  };
}

export type BackupService = ReturnType<typeof createBackupService>;

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Records one event in each workspace's chain (the installation's when there is none yet). */
export async function recordInEveryWorkspace<A extends AuditAction>(db: Kysely<DB>, audit: Pick<AuditService, 'record'>, by: Actor | string | undefined, action: A, outcome: AuditOutcome, metadata: AuditEventMetadata[A]): Promise<void> {
  const workspaces = (await db.selectFrom('workspaces').select('id').orderBy('id').execute()).map((row) => row.id);
  for (const workspaceId of workspaces.length > 0 ? workspaces : [INSTALLATION_SCOPE]) {
    const actor = typeof by === 'object' && by.workspaceId === workspaceId ? by : systemActor(workspaceId, typeof by === 'string' ? by : 'backup');
    await audit.record(actor, { action, outcome, metadata });
  }
}

/** `backup.verified` in the installation that asked (not in the temporary copy, which is gone). */
export function recordVerified(db: Kysely<DB>, audit: Pick<AuditService, 'record'>, by: Actor | string | undefined, file: string, report: VerifyReport): Promise<void> {
  return recordInEveryWorkspace(db, audit, by, 'backup.verified', report.ok ? 'success' : 'failure', {
    file: path.basename(file),
    createdAt: report.manifest?.createdAt ?? null,
    rows: report.rows,
    restoreSeconds: report.restoreSeconds === null ? null : round(report.restoreSeconds),
    seconds: round(report.seconds),
    problem: report.problem ? { code: report.problem.code, chunk: report.problem.chunk } : null,
  });
}

/** `backup.restored` in the restored installation's own trail: where its history resumes. */
export function recordRestored(db: Kysely<DB>, audit: Pick<AuditService, 'record'>, file: string, report: RestoreReport, erasuresReapplied: number): Promise<void> {
  return recordInEveryWorkspace(db, audit, 'restore', 'backup.restored', 'success', {
    file: path.basename(file),
    createdAt: report.manifest.createdAt,
    schemaVersion: report.manifest.schemaVersion,
    rows: report.rows,
    seconds: round(report.seconds),
    erasuresReapplied,
  });
}

/**
 * The master key a backup was sealed under, for commands that read backups: never a new one
 * (`loadMasterKey` makes one on a first start, which would only fail later and leave a stray
 * key file behind).
 */
export function existingMasterKey(env: NodeJS.ProcessEnv, dataDir: string): MasterKeySource {
  if (!env.CUSTOS_MASTER_KEY && !env.CUSTOS_MASTER_KEY_FILE && !fs.existsSync(path.join(dataDir, 'master.key'))) {
    throw new KeyError(`no master key: set CUSTOS_MASTER_KEY_FILE (or CUSTOS_MASTER_KEY) to the key the backup was made under; ${path.join(dataDir, 'master.key')} does not exist`);
  }
  return loadMasterKey(env, dataDir);
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** Progress as the CLI prints it on stderr: at most a line a second, and one at each new phase. */
export function progressLines(write: (line: string) => void, command: string): ProgressListener {
  let phase = '';
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (progress.phase === phase && now - last < 1000) return;
    phase = progress.phase;
    last = now;
    const size = progress.totalBytes !== null ? ` ${mib(progress.bytes)}/${mib(progress.totalBytes)} MiB` : progress.bytes > 0 ? ` ${mib(progress.bytes)} MiB` : '';
    write(`${command}: ${progress.phase}${size}`);
  };
}

/** A verification as one line: `ok …` or `FAIL …` naming the problem. */
export function describeVerification(file: string, report: VerifyReport): string {
  if (report.problem) return `FAIL ${path.basename(file)}: ${report.problem.message}`;
  const manifest = report.manifest!;
  return (
    `ok   ${path.basename(file)}: ${manifest.dialect} backup of ${manifest.createdAt} (schema ${manifest.schemaVersion ?? 'empty'}), ` +
    `${report.rows} rows in ${Object.keys(manifest.tables).length} tables restored in ${report.restoreSeconds!.toFixed(2)} s; ` +
    `integrity ok, rows match the manifest, ${report.audit.length} audit chain${report.audit.length === 1 ? '' : 's'} verified`
  );
}
