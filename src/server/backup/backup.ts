import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, Dialect } from '../db/database.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { sealBackup, type ImageDigest } from './format.js';
import { takeInventory, type Inventory } from './inventory.js';
import { PG_SCHEMA_NAME, pgToolVersion, startPgDump } from './postgres.js';

/** What a backup says about itself: encrypted as its first frame. */
export interface Manifest extends Inventory {
  createdAt: string;
  dialect: Dialect;
  /** PostgreSQL: the schema the dump was taken from (its statements name it). */
  pgSchema: string | null;
  tools: Record<string, string>;
}

export interface BackupProgress {
  /** snapshot: SQLite's copy of the live file; dump: pg_dump's output; restore: the image written back; check: the restored copy examined. */
  phase: 'snapshot' | 'encrypt' | 'dump' | 'restore' | 'check';
  bytes: number;
  /** Unknown while pg_dump streams. */
  totalBytes: number | null;
}

export type ProgressListener = (progress: BackupProgress) => void;

export interface BackupResult {
  file: string;
  /** The encrypted file's size. */
  bytes: number;
  image: ImageDigest;
  manifest: Manifest;
  /** SQLite: 1 when the file was encrypted as it was read, 2 when it was copied first (no quiet moment came); PostgreSQL: 1. */
  passes: 1 | 2;
  seconds: number;
}

export class BackupError extends Error {}

/** Where the database lives, as the backup reaches it. */
export interface BackupSource {
  database: Database;
  /** PostgreSQL: the connection pg_dump uses (the database's own). */
  databaseUrl: string | null;
  /**
   * SQLite: where the snapshot is written while it is encrypted — the data directory: the
   * same disk and the same protection as the database, and no plaintext copy on backup media.
   */
  workDir: string;
}

/** SQLite pages copied per step of the online backup (1 MiB at the default page size): the event loop never waits long. */
const PAGES_PER_STEP = 256;
/** Bytes read from the database file at a time when it is encrypted in one pass. */
const IMAGE_READ_BYTES = 1024 * 1024;

let custosVersionCache: string | null = null;
function custosVersion(): string {
  if (custosVersionCache) return custosVersionCache;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'custos') return (custosVersionCache = pkg.version ?? 'unknown');
    }
    if (path.dirname(dir) === dir) return (custosVersionCache = 'unknown');
  }
}

/** How long a backup looks for a moment with no open transaction before it copies the slow way. */
const QUIET_WAIT_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function walBytes(sqlitePath: string): number {
  try {
    return fs.statSync(`${sqlitePath}-wal`).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * A read transaction in which the database file on disk is the snapshot, so the backup can
 * read and encrypt it in one pass, with no plaintext copy written first.
 *
 * A `TRUNCATE` checkpoint moves everything committed into the file and empties the WAL; the
 * transaction then begins, and the WAL is looked at again. Empty means the transaction began
 * with nothing in the WAL (a transaction that saw WAL frames would keep the WAL from being
 * emptied until it ends), so it reads the file alone and holds the lock every checkpoint needs
 * before it writes into the file: until it ends, the server's writes go on into the WAL and the
 * file does not change. The connection never waits on a lock (`busy_timeout` 0): in the
 * server's own process, the transaction holding it is waiting for this event loop. After
 * `QUIET_WAIT_MS` of open transactions it gives up and answers null.
 */
async function quietSnapshot(sqlitePath: string, signal?: AbortSignal): Promise<SQLite.Database | null> {
  const source = new SQLite(sqlitePath, { fileMustExist: true, timeout: 0 });
  try {
    if (source.pragma('journal_mode', { simple: true }) !== 'wal') {
      // A rollback-journal database: the read transaction's shared lock keeps writers out.
      source.exec('begin');
      source.prepare('select count(*) from sqlite_master').get();
      return source;
    }
    for (const deadline = performance.now() + QUIET_WAIT_MS; performance.now() < deadline; await sleep(20)) {
      signal?.throwIfAborted();
      const [result] = source.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) continue;
      source.exec('begin');
      try {
        source.prepare('select count(*) from sqlite_master').get();
      } catch (error) {
        source.exec('rollback');
        if ((error as { code?: string }).code === 'SQLITE_BUSY') continue;
        throw error;
      }
      if (walBytes(sqlitePath) === 0) return source;
      source.exec('rollback');
    }
    source.close();
    return null;
  } catch (error) {
    source.close();
    throw error;
  }
}

/**
 * The pages of a quiet snapshot's file, 1 MiB a read, the next read under way while the
 * current piece is encrypted. Page 1 says the image is a rollback-journal database, as a file
 * left by `journal_mode = DELETE` does: the restored copy needs no WAL beside it.
 */
async function* fileImage(sqlitePath: string, bytes: number): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(sqlitePath, 'r');
  let next: Promise<Buffer> | null = null;
  try {
    const read = async (offset: number) => {
      const length = Math.min(IMAGE_READ_BYTES, bytes - offset);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new BackupError('the database file is shorter than the snapshot says');
      return buffer;
    };
    next = bytes > 0 ? read(0) : null;
    for (let offset = 0; next; ) {
      const piece = await next;
      if (offset === 0) piece[18] = piece[19] = 1;
      offset += piece.length;
      next = offset < bytes ? read(offset) : null;
      yield piece;
    }
  } finally {
    // A consumer that stopped early (cancelled, the disk full) leaves a read under way.
    await next?.catch(() => undefined);
    await handle.close();
  }
}

/**
 * The slow way, when no quiet moment came: a consistent copy of the live database made with
 * SQLite's online backup API from a connection of its own that holds one read transaction
 * across every step (in WAL mode the server's writers go on meanwhile, and the copy is the
 * database as of that transaction's start; without the held transaction, each write by another
 * connection would restart the copy), then switched out of WAL mode so the image is one
 * self-contained file. It is encrypted afterwards: two passes.
 */
async function snapshotSqlite(sqlitePath: string, target: string, onProgress: ProgressListener, signal?: AbortSignal): Promise<{ inventory: Inventory; sqliteVersion: string }> {
  const source = new SQLite(sqlitePath, { fileMustExist: true });
  try {
    source.exec('begin');
    source.prepare('select count(*) from sqlite_master').get();
    const pageSize = Number(source.pragma('page_size', { simple: true }));
    await source.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        signal?.throwIfAborted();
        onProgress({ phase: 'snapshot', bytes: (totalPages - remainingPages) * pageSize, totalBytes: totalPages * pageSize });
        return PAGES_PER_STEP;
      },
    });
    source.exec('commit');
  } finally {
    source.close();
  }
  fs.chmodSync(target, 0o600);
  const copy = new SQLite(target);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: copy }) });
  try {
    copy.pragma('journal_mode = DELETE');
    const sqliteVersion = String(copy.prepare('select sqlite_version()').pluck().get());
    return { inventory: await takeInventory(db, 'sqlite'), sqliteVersion };
  } finally {
    await db.destroy();
  }
}

/** Writes the sealed stream to `file` through a temporary name beside it, so a file that exists is a finished backup. */
async function writeSealed(file: string, chunks: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<number> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await pipeline(Readable.from(chunks), fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' }), { signal });
    const handle = await fs.promises.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await claimName(partial, file);
    return (await fs.promises.stat(file)).size;
  } finally {
    await fs.promises.rm(partial, { force: true });
  }
}

/**
 * Gives the finished file its name without ever replacing another: a hard link fails if the
 * name was taken meanwhile. Filesystems without hard links (some network shares) get a rename
 * after a last look.
 */
async function claimName(partial: string, file: string): Promise<void> {
  try {
    await fs.promises.link(partial, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || fs.existsSync(file)) throw new BackupError(`${file} appeared while the backup was written: it was not replaced`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await fs.promises.rename(partial, file);
  }
}

function refuseExisting(file: string): void {
  if (fs.existsSync(file)) throw new BackupError(`${file} already exists: a backup never replaces a file`);
  if (!fs.existsSync(path.dirname(path.resolve(file)))) throw new BackupError(`the directory of ${file} does not exist`);
}

function sqliteManifest(createdAt: string, inventory: Inventory, sqliteVersion: string): Manifest {
  return { createdAt, dialect: 'sqlite', pgSchema: null, ...inventory, tools: { custos: custosVersion(), node: process.version, sqlite: sqliteVersion } };
}

async function sealInto(file: string, image: AsyncIterable<Buffer>, manifest: Manifest, totalBytes: number, keys: KeyProvider, onProgress: ProgressListener, signal?: AbortSignal) {
  let sealed: ImageDigest | null = null;
  const chunks = sealBackup(image, {
    keys,
    manifest,
    onBytes: (bytes) => onProgress({ phase: 'encrypt', bytes, totalBytes }),
    onSealed: (digest) => (sealed = digest),
  });
  const bytes = await writeSealed(file, chunks, signal);
  return { manifest, image: sealed!, bytes, passes: 1 as const };
}

/**
 * SQLite in one pass where it can: the rows counted and the file's pages encrypted inside one
 * quiet snapshot (see `quietSnapshot`), so the manifest describes exactly the image and no
 * plaintext copy is ever written. Otherwise the online backup's copy, then its encryption.
 */
async function backupSqlite(source: BackupSource, keys: KeyProvider, file: string, clock: Clock, onProgress: ProgressListener, signal?: AbortSignal) {
  const sqlitePath = source.database.sqlitePath!;
  const createdAt = clock.now().toISOString();
  const quiet = await quietSnapshot(sqlitePath, signal);
  if (!quiet) return backupSqliteCopy(source, keys, file, createdAt, onProgress, signal);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: quiet }) });
  try {
    onProgress({ phase: 'snapshot', bytes: 0, totalBytes: null });
    const inventory = await takeInventory(db, 'sqlite');
    const sqliteVersion = String(quiet.prepare('select sqlite_version()').pluck().get());
    const totalBytes = Number(quiet.pragma('page_size', { simple: true })) * Number(quiet.pragma('page_count', { simple: true }));
    return await sealInto(file, fileImage(sqlitePath, totalBytes), sqliteManifest(createdAt, inventory, sqliteVersion), totalBytes, keys, onProgress, signal);
  } finally {
    // Closing ends the read transaction: checkpoints may write into the file again.
    await db.destroy();
  }
}

async function backupSqliteCopy(source: BackupSource, keys: KeyProvider, file: string, createdAt: string, onProgress: ProgressListener, signal?: AbortSignal) {
  const snapshot = path.join(source.workDir, `.backup-${randomBytes(6).toString('hex')}.sqlite`);
  try {
    const { inventory, sqliteVersion } = await snapshotSqlite(source.database.sqlitePath!, snapshot, onProgress, signal);
    const totalBytes = (await fs.promises.stat(snapshot)).size;
    const image = fs.createReadStream(snapshot, { highWaterMark: IMAGE_READ_BYTES }) as AsyncIterable<Buffer>;
    return { ...(await sealInto(file, image, sqliteManifest(createdAt, inventory, sqliteVersion), totalBytes, keys, onProgress, signal)), passes: 2 as const };
  } finally {
    await fs.promises.rm(snapshot, { force: true });
  }
}

/**
 * PostgreSQL: one snapshot for everything — a repeatable-read transaction exports its
 * snapshot, counts the rows in it, and pg_dump dumps the installation's schema in that same
 * snapshot (`--snapshot`), so the manifest's counts describe exactly the image. Nothing
 * blocks the server's reads and writes; only schema changes (the monthly audit partition)
 * wait for the dump's table locks.
 */
async function backupPostgres(source: BackupSource, keys: KeyProvider, file: string, clock: Clock, onProgress: ProgressListener, signal?: AbortSignal) {
  if (!source.databaseUrl) throw new BackupError('a PostgreSQL backup needs the database URL');
  const databaseUrl = source.databaseUrl;
  const pgDump = pgToolVersion('pg_dump');
  return source.database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      await sql`set local idle_in_transaction_session_timeout = 0`.execute(trx);
      const createdAt = clock.now().toISOString();
      const { rows } = await sql<{ snapshot: string; schema: string | null; server: string }>`select pg_export_snapshot() as snapshot, current_schema() as schema, current_setting('server_version') as server`.execute(trx);
      const { snapshot, schema, server } = rows[0]!;
      if (!schema || !PG_SCHEMA_NAME.test(schema)) throw new BackupError('the connection works in no schema with a plain lower-case name: Custos backs up the schema it runs in');
      const inventory = await takeInventory(trx, 'postgres');
      const manifest: Manifest = { createdAt, dialect: 'postgres', pgSchema: schema, ...inventory, tools: { custos: custosVersion(), node: process.version, postgres: server, pgDump } };
      const dump = startPgDump(databaseUrl, schema, snapshot);
      let image: ImageDigest | null = null;
      const chunks = sealBackup(dump.output as AsyncIterable<Buffer>, {
        keys,
        manifest,
        onBytes: (bytes) => onProgress({ phase: 'dump', bytes, totalBytes: null }),
        onSealed: (sealed) => (image = sealed),
      });
      // pg_dump's exit is awaited with the file: a dump that stopped half-way leaves no backup;
      // a backup stopped half-way (cancelled, the disk full) stops pg_dump, which nobody reads any more.
      const written = writeSealedAfter(file, chunks, dump.done, signal).catch((error: unknown) => {
        dump.stop();
        throw error;
      });
      const [bytes] = await Promise.all([written, dump.done]);
      return { manifest, image: image!, bytes, passes: 1 as const };
    });
}

/** Writes the backup only if `producer` (the tool making the image) also succeeded. */
async function writeSealedAfter(file: string, chunks: AsyncIterable<Buffer>, producer: Promise<void>, signal?: AbortSignal): Promise<number> {
  async function* checked() {
    yield* chunks;
    await producer;
  }
  return writeSealed(file, checked(), signal);
}

export interface CreateBackupOptions {
  out: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** Makes an encrypted backup of the live database into `out` (which must not exist). */
export async function createBackup(source: BackupSource, keys: KeyProvider, clock: Clock, options: CreateBackupOptions): Promise<BackupResult> {
  refuseExisting(options.out);
  options.signal?.throwIfAborted();
  const started = performance.now();
  const onProgress = options.onProgress ?? (() => undefined);
  const made =
    source.database.dialect === 'sqlite'
      ? await backupSqlite(source, keys, options.out, clock, onProgress, options.signal)
      : await backupPostgres(source, keys, options.out, clock, onProgress, options.signal);
  return { file: options.out, ...made, seconds: (performance.now() - started) / 1000 };
}
