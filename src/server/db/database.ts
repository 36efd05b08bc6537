import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type MigrationResultSet } from 'kysely';
import type { DB } from './schema.js';
import { migrations } from './migrations/index.js';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import { withStatementCache } from './statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the SQLite file lives; null on PostgreSQL. */
  sqlitePath: string | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; SQLite when null. */
  databaseUrl: string | null;
  /** SQLite file path (used when databaseUrl is null). */
  sqlitePath: string;
  /** PostgreSQL schema to use instead of `public` (tests isolate themselves this way). */
  pgSchema?: string;
  poolSize?: number;
  /** SQLite's page cache for this process, in MiB (DEFAULT_SQLITE_CACHE_MB when absent). */
  sqliteCacheMb?: number;
  /** SQLite tuned for a process that bulk-writes (BULK_WRITER). */
  sqliteBulkWriter?: boolean;
  /** SQLite: checkpoints made by a worker thread, never on this thread (checkpointer.ts) — for a server. */
  sqliteCheckpointer?: boolean;
  /** How often that thread checkpoints (CHECKPOINT_EVERY_MS when absent; tests go faster). */
  sqliteCheckpointEveryMs?: number;
}

/**
 * How `custos seed-demo` opens the database: it inserts millions of blind-index rows with
 * random keys, so every batch touches pages all over the indexes. A big page cache and a
 * memory map keep those pages in memory between batches instead of reading them back; its
 * commits do not wait for the disk (synchronous = NORMAL: a power cut may lose the last
 * batches it wrote, never the database's consistency — the server keeps FULL); and it
 * checkpoints every 256 MiB of WAL rather than 4 MiB, so a page that many batches change is
 * copied into the database file once per checkpoint, not once per batch.
 */
export const BULK_WRITER: Pick<DatabaseOptions, 'sqliteCacheMb' | 'sqliteBulkWriter'> = { sqliteCacheMb: 1024, sqliteBulkWriter: true };
/**
 * How `custos import` opens SQLite: a larger page cache than a server's for the blind-index pages
 * a batch touches, small enough for the import's memory bound (1 GB for a million rows: 256 MiB
 * of cache measured 855 MiB peak RSS at 100,000 rows, 64 MiB 600 MiB for 8 % more time); commits
 * stay durable (synchronous = FULL), as each batch also records how far the import got.
 */
export const IMPORT_WRITER: Pick<DatabaseOptions, 'sqliteCacheMb'> = { sqliteCacheMb: 128 };
const BULK_MMAP_BYTES = 8 * 1024 ** 3;
const BULK_CHECKPOINT_PAGES = 65_536;

/**
 * Enough for the inner pages of the tables a request reads at a million customers (the leaf
 * pages come from the operating system's cache), small enough to keep a server's memory low.
 */
export const DEFAULT_SQLITE_CACHE_MB = 32;
/** How often a long-running process refreshes the statistics the query planner reads. */
const OPTIMIZE_EVERY_MS = 60 * 60_000;

const PG_INT8 = 20;

const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    if (options.pgSchema !== undefined && !PG_SCHEMA_NAME.test(options.pgSchema)) {
      throw new Error('pgSchema must be a plain lower-case identifier');
    }
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // bigint columns hold epoch milliseconds and counters, all far below 2^53.
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === PG_INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
      },
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqlitePath: null, close: () => db.destroy() };
  }

  fs.mkdirSync(path.dirname(options.sqlitePath), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(options.sqlitePath);
  // Only the server's user reads the database (SQLite gives its WAL and shm files the same mode).
  fs.chmodSync(options.sqlitePath, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives a power cut, not only a crashed process.
  sqlite.pragma(options.sqliteBulkWriter ? 'synchronous = NORMAL' : 'synchronous = FULL');
  if (options.sqliteBulkWriter) {
    sqlite.pragma(`mmap_size = ${BULK_MMAP_BYTES}`);
    sqlite.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
  }
  const checkpointer = options.sqliteCheckpointer && !options.sqliteBulkWriter ? startCheckpointer(options.sqlitePath, options.sqliteCheckpointEveryMs) : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`cache_size = ${-Math.round((options.sqliteCacheMb ?? DEFAULT_SQLITE_CACHE_MB) * 1024)}`);
  // Statistics for the query planner, sampled (a few milliseconds even for gigabytes): without
  // them it may walk a whole index to spare itself a sort, e.g. every blind-index row of the
  // workspace to answer one lookup in customer order. Refreshed now and then, as tables grow.
  sqlite.pragma('analysis_limit = 1000');
  sqlite.pragma('optimize = 0x10002');
  const optimizer = setInterval(() => {
    if (sqlite.open) sqlite.pragma('optimize');
  }, OPTIMIZE_EVERY_MS).unref();
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    sqlitePath: options.sqlitePath,
    close: async () => {
      clearInterval(optimizer);
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

export class MigrationError extends Error {}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  // Kysely looks for its migration tables among every schema's tables unless told which
  // schema: on a PostgreSQL server holding several installations (or test schemas), another's
  // tables would pass for ours. Ours are in the schema the connection works in.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const schema = postgres ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'custos_migrations',
    migrationLockTableName: 'custos_migrations_lock',
    migrationTableSchema: schema,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw new MigrationError(`migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
  }
  return result;
}

export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
