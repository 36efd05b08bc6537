import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { countMismatches, takeInventory } from './inventory.js';

/** What is wrong with a restored copy: its structure (the database's own checks), and rows that differ from the manifest. */
export interface CopyFindings {
  structure: string[];
  counts: string[];
}

/** SQLite's integrity and foreign-key checks on a restored file, and its rows against the manifest's counts. */
export async function examineSqlite(file: string, expected: Record<string, number>): Promise<CopyFindings> {
  const copy = new SQLite(file, { fileMustExist: true });
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: copy }) });
  try {
    const integrity = copy.pragma('integrity_check') as { integrity_check: string }[];
    const structure = integrity.filter((row) => row.integrity_check !== 'ok').slice(0, 5).map((row) => `integrity check: ${row.integrity_check}`);
    const orphans = (copy.pragma('foreign_key_check') as unknown[]).length;
    if (orphans > 0) structure.push(`${orphans} rows break a foreign key`);
    return { structure, counts: countMismatches(expected, (await takeInventory(db, 'sqlite')).tables) };
  } finally {
    await db.destroy();
  }
}

/**
 * A restored PostgreSQL schema: the replay itself checked every constraint as it added it
 * (foreign keys, unique indexes); what is left to see is that every index was built valid and
 * the rows match the manifest's counts.
 */
// The catalogue and any table of the restored schema, whatever its version.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function examinePostgres(db: Kysely<any>, expected: Record<string, number>): Promise<CopyFindings> {
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relnamespace = current_schema()::regnamespace and not (i.indisvalid and i.indisready) order by c.relname`.execute(db);
  return { structure: rows.map((row) => `index ${row.name} is not valid`), counts: countMismatches(expected, (await takeInventory(db, 'postgres')).tables) };
}
