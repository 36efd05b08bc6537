import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { systemActor } from '../actor.js';
import { openDatabase } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { Services } from '../http/route-deps.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { BackupError, type Manifest, type ProgressListener } from './backup.js';
import { BackupFormatError, openBackup, type ImageDigest, type OpenedPart } from './format.js';
import { examinePostgres, examineSqlite } from './checks.js';
import { PG_SCHEMA_NAME, retargetDump, startPsql } from './postgres.js';

/** Where an image is written back: a new SQLite file, or a PostgreSQL schema (made, or emptied first with `replace`). */
export type RestoreTarget = { dialect: 'sqlite'; sqlitePath: string } | { dialect: 'postgres'; databaseUrl: string; schema: string; replace: boolean };

export interface RestoredImage {
  manifest: Manifest;
  image: ImageDigest;
  /** How long decrypting and writing back took. */
  seconds: number;
}

function checkManifest(value: unknown): Manifest {
  const manifest = value as Partial<Manifest> | null;
  const valid =
    manifest !== null &&
    typeof manifest === 'object' &&
    (manifest.dialect === 'sqlite' || (manifest.dialect === 'postgres' && typeof manifest.pgSchema === 'string' && PG_SCHEMA_NAME.test(manifest.pgSchema))) &&
    typeof manifest.createdAt === 'string' &&
    typeof manifest.tables === 'object' &&
    manifest.tables !== null;
  if (!valid) throw new BackupError('the backup’s manifest is not one this Custos understands');
  return manifest as Manifest;
}

/** The file's bytes, counted for progress as they are read. */
async function* counted(file: string, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const piece of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    bytes += piece.length;
    onBytes(bytes);
    yield piece;
  }
}

/** Decrypts the manifest only (the first frame): what a backup holds, without reading it all. */
export async function readManifest(file: string, keys: Pick<KeyProvider, 'open'>): Promise<Manifest> {
  for await (const part of openBackup(fs.createReadStream(file), keys)) {
    if (part.type === 'manifest') return checkManifest(part.manifest);
  }
  throw new BackupError('the backup holds no manifest');
}

async function writeSqlite(image: AsyncIterable<Buffer>, target: string): Promise<void> {
  try {
    await pipeline(Readable.from(image), fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    const handle = await fs.promises.open(target, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.promises.rm(target, { force: true });
    throw error;
  }
}

/**
 * Replays a dump into PostgreSQL in one transaction: `COMMIT` is sent only after the backup's
 * final frame authenticated; anything less (a tampered or cut file, an SQL error) ends psql
 * before it, and the server rolls the whole restore back.
 */
async function writePostgres(image: AsyncIterable<Buffer>, manifest: Manifest, target: Extract<RestoreTarget, { dialect: 'postgres' }>): Promise<void> {
  if (!PG_SCHEMA_NAME.test(target.schema)) throw new BackupError('the target schema must be a plain lower-case identifier');
  const psql = startPsql(target.databaseUrl);
  async function* script(): AsyncGenerator<Buffer> {
    const prelude = target.replace ? `DROP SCHEMA IF EXISTS ${target.schema} CASCADE;\nCREATE SCHEMA ${target.schema};\n` : `CREATE SCHEMA IF NOT EXISTS ${target.schema};\n`;
    yield Buffer.from(`BEGIN;\nSET client_min_messages = warning;\n${prelude}`);
    yield* retargetDump(image, manifest.pgSchema!, target.schema);
    yield Buffer.from('\nCOMMIT;\n');
  }
  const fed = pipeline(Readable.from(script()), psql.input).catch((error: unknown) => {
    psql.abort();
    throw error;
  });
  const [feeding, replaying] = await Promise.allSettled([fed, psql.done]);
  // A bad backup is the reason psql was stopped; otherwise psql's own error explains a broken pipe.
  const badBackup = feeding.status === 'rejected' && (feeding.reason instanceof BackupFormatError || feeding.reason instanceof BackupError);
  if (feeding.status === 'rejected' && (badBackup || replaying.status === 'fulfilled')) throw feeding.reason;
  if (replaying.status === 'rejected') throw replaying.reason;
}

/**
 * Decrypts the backup at `file` and writes its image to the target `choose` names once the
 * manifest is known. Resolves only when the whole file authenticated and the image matched
 * its recorded SHA-256; otherwise nothing is left behind (the SQLite file is removed, the
 * PostgreSQL transaction rolled back).
 */
export async function restoreImage(file: string, keys: Pick<KeyProvider, 'open'>, choose: (manifest: Manifest) => RestoreTarget, onProgress: ProgressListener = () => undefined): Promise<RestoredImage> {
  const started = performance.now();
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const totalBytes = (await fs.promises.stat(file)).size;
  const parts = openBackup(
    counted(file, (bytes) => onProgress({ phase: 'restore', bytes, totalBytes })),
    keys,
  )[Symbol.asyncIterator]();
  const first = await parts.next();
  if (first.done || first.value.type !== 'manifest') throw new BackupError('the backup holds no manifest');
  const manifest = checkManifest(first.value.manifest);
  const target = choose(manifest);
  if (target.dialect !== manifest.dialect) {
    throw new BackupError(`this is a backup of a ${manifest.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database: restore it ${manifest.dialect === 'sqlite' ? 'with --data-dir' : 'with --database-url'}`);
  }
  let image: ImageDigest | null = null;
  async function* data(): AsyncGenerator<Buffer> {
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part: OpenedPart = next.value;
      if (part.type === 'data') yield part.bytes;
      else if (part.type === 'end') image = part.image;
    }
  }
  if (target.dialect === 'sqlite') await writeSqlite(data(), target.sqlitePath);
  else await writePostgres(data(), manifest, target);
  if (!image) throw new BackupError('the backup ended without its final chunk');
  return { manifest, image, seconds: (performance.now() - started) / 1000 };
}

/**
 * A SQLite database that a connection holds open (a running server, in WAL mode) cannot be
 * locked exclusively: the check `--force` makes before replacing one. A file that is not a
 * database at all is nobody's database and may be replaced.
 */
export function assertSqliteUnused(file: string): void {
  const db = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('begin exclusive');
    db.exec('commit');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new BackupError(`${file} is open in another process (a running Custos server?): stop it before restoring over it`);
    if (code !== 'SQLITE_NOTADB') throw error;
  } finally {
    db.close();
  }
}

/** The schema a PostgreSQL connection works in, and whether anything is in it yet. */
async function describeSchema(databaseUrl: string): Promise<{ schema: string; objects: number }> {
  const database = openDatabase({ databaseUrl, sqlitePath: '', poolSize: 1 });
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db);
    const schema = rows[0]?.schema;
    if (!schema) throw new BackupError('the target connection works in no existing schema: create the schema its search_path names first');
    if (!PG_SCHEMA_NAME.test(schema)) throw new BackupError(`the target schema "${schema}" is not a plain lower-case identifier`);
    const counted = await sql<{ n: number | string }>`select count(*) as n from pg_class where relnamespace = current_schema()::regnamespace`.execute(database.db);
    return { schema, objects: Number(counted.rows[0]?.n ?? 0) };
  } finally {
    await database.close();
  }
}

export type RestoreDestination = { dataDir: string } | { databaseUrl: string };

export interface RestoreReport extends RestoredImage {
  /** The SQLite file or PostgreSQL schema now holding the restored database. */
  restoredTo: string;
  rows: number;
}

const sumRows = (tables: Record<string, number>) => Object.values(tables).reduce((sum, n) => sum + n, 0);

/**
 * Restores a backup as a new database: into `dataDir/custos.sqlite` (refused if one exists,
 * unless `force` — and then only when no process holds it open) or into the schema a
 * PostgreSQL connection works in (refused unless empty, unless `force`, which drops and
 * re-creates it in the restore's transaction). The image is written beside the target and
 * checked (SQLite's integrity check, the manifest's row counts) before it takes its place.
 */
export async function restoreBackup(options: { file: string; keys: Pick<KeyProvider, 'open'>; to: RestoreDestination; force?: boolean; onProgress?: ProgressListener }): Promise<RestoreReport> {
  const { file, keys, to, force = false, onProgress } = options;
  if ('dataDir' in to) {
    const target = path.join(to.dataDir, 'custos.sqlite');
    const exists = fs.existsSync(target);
    if (exists && !force) throw new BackupError(`${to.dataDir} already holds a Custos database (custos.sqlite): restore into a new directory, or pass --force to replace it`);
    if (exists) assertSqliteUnused(target);
    fs.mkdirSync(to.dataDir, { recursive: true, mode: 0o700 });
    const staged = path.join(to.dataDir, `.restore-${randomBytes(6).toString('hex')}.sqlite`);
    try {
      const restored = await restoreImage(file, keys, () => ({ dialect: 'sqlite', sqlitePath: staged }), onProgress);
      const findings = await examineSqlite(staged, restored.manifest.tables);
      const problems = [...findings.structure, ...findings.counts];
      if (problems.length > 0) throw new BackupError(`the restored database is not sound: ${problems.join('; ')}`);
      if (fs.existsSync(target)) {
        if (!force) throw new BackupError(`${target} appeared while restoring: nothing was replaced`);
        assertSqliteUnused(target);
        for (const suffix of ['-wal', '-shm', '']) await fs.promises.rm(target + suffix, { force: true });
      }
      await fs.promises.rename(staged, target);
      return { ...restored, restoredTo: target, rows: sumRows(restored.manifest.tables) };
    } finally {
      await fs.promises.rm(staged, { force: true });
    }
  }
  const { schema, objects } = await describeSchema(to.databaseUrl);
  if (objects > 0 && !force) throw new BackupError(`the schema "${schema}" already holds ${objects} objects: restore into an empty schema, or pass --force to replace it`);
  const restored = await restoreImage(file, keys, () => ({ dialect: 'postgres', databaseUrl: to.databaseUrl, schema, replace: objects > 0 }), onProgress);
  const database = openDatabase({ databaseUrl: to.databaseUrl, sqlitePath: '', poolSize: 1 });
  try {
    const findings = await examinePostgres(database.db, restored.manifest.tables);
    const problems = [...findings.structure, ...findings.counts];
    if (problems.length > 0) throw new BackupError(`the restored schema is not sound: ${problems.join('; ')}`);
  } finally {
    await database.close();
  }
  return { ...restored, restoredTo: `schema ${schema}`, rows: sumRows(restored.manifest.tables) };
}

/** A customer erased in an installation, as its audit trail records it. */
export interface Erasure {
  workspaceId: string;
  customerId: string;
  at: number;
}

/** Every erasure an installation's audit trail holds (`customer.erased`, kept for the workspace's audit retention). */
export async function readErasures(db: Kysely<DB>): Promise<Erasure[]> {
  const rows = await db.selectFrom('audit_events').select(['workspace_id', 'object_id', 'at']).where('action', '=', 'customer.erased').where('outcome', '=', 'success').orderBy('at').execute();
  return rows.filter((row) => row.object_id !== null).map((row) => ({ workspaceId: row.workspace_id, customerId: row.object_id!, at: Number(row.at) }));
}

/** The erasures of an installation named by its data directory (SQLite) or database URL. */
export async function readErasuresFrom(installation: string): Promise<Erasure[]> {
  const databaseUrl = /^postgres(ql)?:\/\//.test(installation) ? installation : null;
  const sqlitePath = path.join(installation, 'custos.sqlite');
  if (!databaseUrl && !fs.existsSync(sqlitePath)) throw new BackupError(`${installation} holds no Custos database (custos.sqlite) to read erasures from`);
  const database = openDatabase({ databaseUrl, sqlitePath, poolSize: 1 });
  try {
    return await readErasures(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Erases again, in a restored installation, the customers erased in the live one after the
 * backup was made (their subject keys were still in it): through the records gateway, so each
 * is recorded as `customer.erased` with the original date. Customers already gone are skipped.
 * Returns how many were erased.
 */
export async function reapplyErasures(vault: Pick<Services['vault'], 'erase'>, erasures: readonly Erasure[]): Promise<number> {
  let erased = 0;
  for (const erasure of erasures) {
    try {
      await vault.erase(systemActor(erasure.workspaceId, 'restore'), erasure.customerId, `erasure of ${new Date(erasure.at).toISOString()} re-applied after a restore`);
      erased += 1;
    } catch (error) {
      if (!(error instanceof AppError && error.status === 404)) throw error;
    }
  }
  return erased;
}
