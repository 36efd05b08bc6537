import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.js';

const placeholder = (index: number) => `\u0000custos-bound-value-${index}\u0000`;

/**
 * A query built and compiled once per dialect, whose bound values change per call — for the
 * point reads every request makes (session, token, a customer's key). The values stay bound
 * parameters: only the parameter array is swapped, never the SQL text. `build` gets one
 * string per value, in order, and must bind each exactly once.
 */
export function compiledSelect<Row, Values extends string[]>(build: (db: Kysely<DB>, ...values: Values) => Compilable<Row>) {
  const compiled = new WeakMap<object, { query: CompiledQuery<Row>; slots: (number | null)[] }>();
  return async (db: Kysely<DB>, ...values: Values): Promise<Row[]> => {
    // A transaction shares its database's adapter: one compilation serves both.
    const adapter = db.getExecutor().adapter;
    let entry = compiled.get(adapter);
    if (!entry) {
      const markers = values.map((_, i) => placeholder(i));
      const query = build(db, ...(markers as Values)).compile();
      const slots = query.parameters.map((parameter) => (typeof parameter === 'string' ? markers.indexOf(parameter) : -1)).map((i) => (i < 0 ? null : i));
      if (markers.some((_, i) => slots.filter((slot) => slot === i).length !== 1)) throw new Error('a compiled select binds each of its values exactly once');
      entry = { query, slots };
      compiled.set(adapter, entry);
    }
    const { query, slots } = entry;
    const parameters = query.parameters.map((parameter, i) => (slots[i] === null ? parameter : values[slots[i]!]));
    return (await db.executeQuery<Row>({ ...query, parameters })).rows;
  };
}

/** A compiled select of at most one row, by one value (a session's or a token's hash). */
export function compiledLookup<Row>(build: (db: Kysely<DB>, value: string) => Compilable<Row>) {
  const select = compiledSelect(build);
  return async (db: Kysely<DB>, value: string): Promise<Row | undefined> => (await select(db, value))[0];
}

type Column<T extends keyof DB> = keyof DB[T] & string;

interface CompiledRows {
  query: CompiledQuery;
  /** For each bound parameter, the row (within the statement) and the column it takes. */
  slots: { row: number; column: number }[];
}

/**
 * Multi-row inserts into one table, each statement size built and compiled once per dialect:
 * a bulk write pays for Kysely's query building once rather than per statement, and the SQL
 * texts stay few, so SQLite's statement cache keeps them prepared. Rows are written in
 * statements of the largest size in `sizes` that fits, then smaller ones; every value stays a
 * bound parameter. Each row must give every column (null where there is no value).
 */
export function compiledInsert<T extends keyof DB & string, C extends Column<T>>(table: T, columns: readonly C[], options: { sizes: readonly number[]; ignoreConflicts?: boolean }) {
  const sizes = [...options.sizes].sort((a, b) => b - a);
  if (sizes.at(-1) !== 1) throw new Error('a compiled insert needs a one-row statement for the remainder');
  const compiled = new WeakMap<object, Map<number, CompiledRows>>();

  function statement(db: Kysely<DB>, size: number): CompiledRows {
    const adapter = db.getExecutor().adapter;
    let bySize = compiled.get(adapter);
    if (!bySize) compiled.set(adapter, (bySize = new Map()));
    let entry = bySize.get(size);
    if (!entry) {
      const marker = (row: number, column: number) => `\u0000custos-row-${row}-column-${column}\u0000`;
      const rows = Array.from({ length: size }, (_, row) => Object.fromEntries(columns.map((name, column) => [name, marker(row, column)])));
      let insert = db.insertInto(table).values(rows as never);
      if (options.ignoreConflicts) insert = insert.onConflict((oc) => oc.doNothing());
      const query = insert.compile();
      const where = new Map(rows.flatMap((_, row) => columns.map((__, column) => [marker(row, column), { row, column }] as const)));
      const slots = query.parameters.map((parameter) => where.get(parameter as string));
      if (slots.length !== size * columns.length || slots.some((slot) => slot === undefined)) throw new Error(`the insert into ${table} binds something else than its rows' values`);
      entry = { query, slots: slots as CompiledRows['slots'] };
      bySize.set(size, entry);
    }
    return entry;
  }

  return async (db: Kysely<DB>, rows: readonly Record<C, unknown>[]): Promise<void> => {
    let at = 0;
    for (const size of sizes) {
      while (rows.length - at >= size) {
        const { query, slots } = statement(db, size);
        const parameters = slots.map(({ row, column }) => rows[at + row]![columns[column]!]);
        await db.executeQuery({ ...query, parameters });
        at += size;
      }
    }
  };
}
