import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a
 * small indexed query. This keeps the most recently used statements (LRU), and makes its
 * transactions `begin immediate`. Safe because the
 * driver runs one query at a time on its single connection, streams included.
 */
export function withStatementCache(database: SQLite.Database, capacity = 512): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      // Kysely opens transactions with a plain `begin`, which takes the write lock only at the
      // first write: if another process (the CLI) wrote meanwhile, that write fails at once with
      // SQLITE_BUSY, whatever busy_timeout says. `begin immediate` takes the lock up front, so
      // the busy timeout applies and the transaction waits its turn instead of failing.
      const sql = text === 'begin' ? 'begin immediate' : text;
      const cached = cache.get(sql);
      if (cached) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
