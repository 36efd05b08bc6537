import type { Compilable, Kysely } from 'kysely';
import type { DB } from './schema.js';

const PLACEHOLDER = '\u0000custos-bound-value\u0000';

/**
 * A query built and compiled once per database, whose one bound value changes per call —
 * for the lookups every request makes (session, token). The value stays a bound parameter:
 * only the parameter array is swapped, never the SQL text.
 */
export function compiledLookup<Row>(build: (db: Kysely<DB>, value: string) => Compilable<Row>) {
  const compiled = new WeakMap<Kysely<DB>, { query: ReturnType<Compilable<Row>['compile']>; index: number }>();
  return async (db: Kysely<DB>, value: string): Promise<Row | undefined> => {
    let entry = compiled.get(db);
    if (!entry) {
      const query = build(db, PLACEHOLDER).compile();
      const index = query.parameters.indexOf(PLACEHOLDER);
      if (index < 0 || query.parameters.lastIndexOf(PLACEHOLDER) !== index) throw new Error('a compiled lookup binds exactly one value');
      entry = { query, index };
      compiled.set(db, entry);
    }
    const parameters = entry.query.parameters.map((parameter, i) => (i === entry!.index ? value : parameter));
    const result = await db.executeQuery<Row>({ ...entry.query, parameters });
    return result.rows[0];
  };
}
