import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import { migrateToLatest, openDatabase, type Database } from '../db/database.js';
import { migrations } from '../db/migrations/index.js';
import { createAuditIntegrity } from '../audit/integrity.js';
import { createAuditService } from '../audit/service.js';
import type { ChainReport } from '../audit/verify.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { BackupError, type Manifest, type ProgressListener } from './backup.js';
import { examinePostgres, examineSqlite, type CopyFindings } from './checks.js';
import { BackupFormatError, type BackupProblem, type ImageDigest } from './format.js';
import { inSchema, PgToolError } from './postgres.js';
import { restoreImage, type RestoredImage, type RestoreTarget } from './restore.js';

/** Why a backup failed its check: a problem of the file (format.ts), or of the database restored from it. */
export type VerifyProblem = BackupProblem | 'restore_failed' | 'integrity' | 'row_counts' | 'schema_newer' | 'audit_chain';

export interface VerifyReport {
  ok: boolean;
  problem: { code: VerifyProblem; message: string; chunk: number | null } | null;
  manifest: Manifest | null;
  image: ImageDigest | null;
  /** Decrypting the file and writing the database back, in seconds: what a real restore costs. */
  restoreSeconds: number | null;
  seconds: number;
  /** Rows in the restored database, by the manifest. */
  rows: number;
  /** The audit chains of the restored database. */
  audit: ChainReport[];
}

/** Where a temporary copy goes, and how it is opened, checked and removed. */
interface TemporaryPlace {
  target: RestoreTarget;
  open(): Database;
  examine(database: Database, expected: Record<string, number>): Promise<CopyFindings>;
  remove(): Promise<void>;
}

function temporarySqlite(): TemporaryPlace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-verify-'));
  const sqlitePath = path.join(dir, 'custos.sqlite');
  return {
    target: { dialect: 'sqlite', sqlitePath },
    open: () => openDatabase({ databaseUrl: null, sqlitePath }),
    examine: (_database, expected) => examineSqlite(sqlitePath, expected),
    remove: () => fs.promises.rm(dir, { recursive: true, force: true }),
  };
}

/** A schema of its own on the installation's PostgreSQL server, dropped afterwards. */
function temporarySchema(databaseUrl: string): TemporaryPlace {
  const schema = `custos_verify_${randomBytes(6).toString('hex')}`;
  return {
    target: { dialect: 'postgres', databaseUrl, schema, replace: false },
    open: () => openDatabase({ databaseUrl: inSchema(databaseUrl, schema), sqlitePath: '', poolSize: 2 }),
    examine: (database, expected) => examinePostgres(database.db, expected),
    async remove() {
      const database = openDatabase({ databaseUrl, sqlitePath: '', poolSize: 1 });
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
      } finally {
        await database.close();
      }
    },
  };
}

/** A backup restored into a temporary database, open, until `remove()`. */
export interface TemporaryRestore extends RestoredImage {
  database: Database;
  /** The database's own checks and the manifest's row counts (before any migration). */
  examine(): Promise<CopyFindings>;
  /** Closes and deletes the copy. */
  remove(): Promise<void>;
}

/**
 * Restores a backup where nothing else looks: a SQLite file in a private temporary directory,
 * or (a PostgreSQL backup) a schema `custos_verify_…` on `databaseUrl`'s server. For checking a
 * backup, or reading something back from it; the caller removes it. Throws what restoreImage
 * throws, leaving nothing behind.
 */
export async function restoreToTemporary(file: string, keys: Pick<KeyProvider, 'open'>, options: { databaseUrl: string | null; onProgress?: ProgressListener }): Promise<TemporaryRestore> {
  // Chosen once the manifest says which database the backup holds.
  const made: { place: TemporaryPlace | null } = { place: null };
  try {
    const restored = await restoreImage(
      file,
      keys,
      (manifest) => {
        if (manifest.dialect === 'postgres' && !options.databaseUrl) {
          throw new BackupError('this is a backup of a PostgreSQL database: restoring it needs a PostgreSQL server (set CUSTOS_DATABASE_URL)');
        }
        made.place = manifest.dialect === 'sqlite' ? temporarySqlite() : temporarySchema(options.databaseUrl!);
        return made.place.target;
      },
      options.onProgress,
    );
    const place = made.place!;
    const database = place.open();
    return {
      ...restored,
      database,
      examine: () => place.examine(database, restored.manifest.tables),
      async remove() {
        await database.close();
        await place.remove();
      },
    };
  } catch (error) {
    await made.place?.remove();
    throw error;
  }
}

/**
 * Proves a backup can be restored: decrypts it into a temporary database (restoreToTemporary),
 * runs the database's own checks, compares every table's rows with the manifest, brings the
 * copy to this version's schema as a restore would, and verifies its audit chains with the
 * master key's audit key. The copy is removed whatever the outcome.
 */
export async function verifyBackup(file: string, keys: KeyProvider, options: { databaseUrl: string | null; clock: Clock; onProgress?: ProgressListener }): Promise<VerifyReport> {
  const started = performance.now();
  const report: VerifyReport = { ok: false, problem: null, manifest: null, image: null, restoreSeconds: null, seconds: 0, rows: 0, audit: [] };
  const fail = (code: VerifyProblem, message: string, chunk: number | null = null) => {
    report.problem = { code, message, chunk };
    report.seconds = (performance.now() - started) / 1000;
    return report;
  };
  let copy: TemporaryRestore;
  try {
    copy = await restoreToTemporary(file, keys, options);
  } catch (error) {
    if (error instanceof BackupFormatError) return fail(error.problem, error.message, error.chunk);
    if (error instanceof BackupError || error instanceof PgToolError) return fail('restore_failed', error.message);
    throw error;
  }
  const { manifest, database } = copy;
  Object.assign(report, { manifest, image: copy.image, restoreSeconds: copy.seconds, rows: Object.values(manifest.tables).reduce((sum, n) => sum + n, 0) });
  try {
    options.onProgress?.({ phase: 'check', bytes: 0, totalBytes: null });
    const { structure, counts } = await copy.examine();
    if (structure.length > 0) return fail('integrity', `the restored database is damaged: ${structure.join('; ')}`);
    if (counts.length > 0) return fail('row_counts', `rows differ from the manifest: ${counts.join('; ')}`);
    if (manifest.schemaVersion && !(manifest.schemaVersion in migrations)) {
      return fail('schema_newer', `the backup was made by a newer Custos (schema ${manifest.schemaVersion}): verify or restore it with that version or later`);
    }
    await migrateToLatest(database.db);
    const audit = createAuditService({ db: database.db, clock: options.clock });
    report.audit = await createAuditIntegrity({ db: database.db, clock: options.clock, keys, audit }).verify();
    const broken = report.audit.find((chain) => chain.problem);
    if (broken?.problem) return fail('audit_chain', `audit trail of ${broken.workspaceId === '*' ? 'the installation' : `workspace ${broken.workspaceId}`}: ${broken.problem.message}`);
    report.ok = true;
    report.seconds = (performance.now() - started) / 1000;
    return report;
  } finally {
    await copy.remove();
  }
}
