import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/database.js';

/**
 * What a database holds, counted the same way when a backup is made and when it is checked:
 * the rows of every table (a partitioned table counted once, as its parent), and the last
 * migration applied. Table names come from the catalogue, never from the application, so the
 * count covers tables this code does not know (a newer schema, partitions).
 */
export interface Inventory {
  schemaVersion: string | null;
  tables: Record<string, number>;
}

// The catalogue and any table, whatever the schema: this module reads what is there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function tableNames(db: AnyDb, dialect: Dialect): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)
      : await sql<{ name: string }>`select relname as name from pg_class
          where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') and not relispartition order by relname`.execute(db);
  return rows.rows.map((row) => row.name);
}

export async function takeInventory(db: AnyDb, dialect: Dialect): Promise<Inventory> {
  const tables: Record<string, number> = {};
  for (const name of await tableNames(db, dialect)) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    tables[name] = Number(rows[0]?.n ?? 0);
  }
  const schemaVersion =
    'custos_migrations' in tables ? ((await sql<{ name: string }>`select max(name) as name from custos_migrations`.execute(db)).rows[0]?.name ?? null) : null;
  return { schemaVersion, tables };
}

/** Tables whose counts differ, as `name: expected → found` (`missing` for a table absent on that side). */
export function countMismatches(expected: Record<string, number>, found: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
  const show = (counts: Record<string, number>, name: string) => (name in counts ? String(counts[name]) : 'missing');
  return names.filter((name) => show(expected, name) !== show(found, name)).map((name) => `${name}: ${show(expected, name)} → ${show(found, name)}`);
}
