import { close, fdatasync, open } from 'node:fs';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/** SQLite's `synchronous = FULL`: the level a server's connection runs at (db/database.ts). */
const FULL = 2;

/**
 * Transactions committed durably without holding up the server's only thread while the disk
 * flushes — for the read events' group commits, which every audited read waits for.
 *
 * On SQLite (better-sqlite3 runs on the server's thread), a commit with `synchronous = FULL`
 * fsyncs the WAL right there: about 2 ms per group commit during which no request is served.
 * Here the transaction commits with `synchronous = NORMAL` (SQLite writes its frames to the WAL
 * but does not fsync it), the connection goes back to its own level before anyone else may use
 * it, and the WAL file is then synced (`fdatasync`) on libuv's thread pool; `commit` resolves
 * only after that sync. The commit is on disk by then exactly as FULL would have put it: SQLite appends
 * frames to the WAL and only rewinds it after a checkpoint that synced the WAL and then the
 * database file, so whatever the transaction wrote is in a synced WAL or a synced database.
 * PostgreSQL commits in its own process (the client only waits): a plain transaction.
 */
export function durableCommitter(db: Kysely<DB>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // The connection's own level, and the WAL's path ('' for an in-memory database): read once.
  let setup: Promise<{ level: number; wal: string | null }> | undefined;

  async function readSetup(): Promise<{ level: number; wal: string | null }> {
    const level = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous ?? FULL;
    const file = (await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db)).rows[0]?.file ?? '';
    return { level, wal: file === '' ? null : `${file}-wal` };
  }

  /**
   * Syncs the WAL through a descriptor of its own, opened for the purpose: a WAL file replaced
   * meanwhile is still the one synced. `fdatasync`, as SQLite itself syncs on Linux: the WAL's
   * data and size, without a journal commit for its modification time (about 2 ms more per
   * read at one connection with `fsync`). The callback API: lighter than a FileHandle per commit.
   * No WAL at all means a checkpoint moved every frame into the database file and synced it
   * before the WAL was removed: the commit is on disk already.
   */
  function syncWal(wal: string): Promise<void> {
    return new Promise((resolve, reject) => {
      open(wal, 'r', (openError, fd) => {
        if (openError) return openError.code === 'ENOENT' ? resolve() : reject(openError);
        fdatasync(fd, (syncError) => close(fd, (closeError) => (syncError || closeError ? reject(syncError ?? closeError) : resolve())));
      });
    });
  }

  return async function commit<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    if (postgres) return db.transaction().execute(work);
    const { level, wal } = await (setup ??= readSetup());
    // A connection that syncs its commits otherwise than FULL (a bulk writer does not), or nothing to sync.
    if (level !== FULL || wal === null) return db.transaction().execute(work);
    // One connection throughout: no other statement runs between the commit and putting the
    // connection's level back, so no other transaction commits with NORMAL.
    const result = await db.connection().execute(async (connection) => {
      await sql`pragma synchronous = 1`.execute(connection);
      try {
        return await connection.transaction().execute(work);
      } finally {
        await sql`pragma synchronous = 2`.execute(connection);
      }
    });
    await syncWal(wal);
    return result;
  };
}
