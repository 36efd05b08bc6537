import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The audit trail's index by object moves off the reads' hot path (issue #5): instead of an
// index on audit_log (chain, object_id), written with every event on a random page, the
// events are indexed run by run — RUN_EVENTS consecutive chain positions, once all of them
// are committed — into `audit_object_index` (chain, run, object, seq), each run a sorted
// stretch appended whole; `audit_object_runs` lists the runs indexed. The events already
// recorded are indexed here, every complete run of every chain.

/** As src/server/audit/object-index.ts (copied: migrations stand alone). */
const RUN_EVENTS = 4096;
const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const compact = postgres ? sql`` : sql`without rowid`;
  await db.schema
    .createTable('audit_object_index')
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('run', 'bigint', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_object_index_pk', ['chain', 'run', 'object_id', 'seq'])
    .modifyEnd(compact)
    .execute();
  await db.schema
    .createTable('audit_object_runs')
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('run', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_object_runs_pk', ['chain', 'run'])
    .modifyEnd(compact)
    .execute();

  const heads: { chain: number; seq: number | string }[] = await db.selectFrom('audit_heads').select(['chain', 'seq']).orderBy('chain').execute();
  for (const head of heads) {
    const first: { seq: number | string } | undefined = await db.selectFrom('audit_log').select('seq').where('chain', '=', head.chain).orderBy('seq').limit(1).executeTakeFirst();
    if (!first) continue;
    const from = Math.floor((Number(first.seq) - 1) / RUN_EVENTS);
    const to = Math.floor(Number(head.seq) / RUN_EVENTS);
    if (to <= from) continue;
    const runs = Array.from({ length: to - from }, (_, i) => ({ chain: head.chain, run: from + i }));
    for (let i = 0; i < runs.length; i += BATCH) await db.insertInto('audit_object_runs').values(runs.slice(i, i + BATCH)).execute();
    // In key order: each run written as one sorted stretch. (SQLite gets bound numbers as reals:
    // the cast keeps the division an integer one.)
    await db
      .insertInto('audit_object_index')
      .columns(['chain', 'run', 'object_id', 'seq'])
      .expression(
        db
          .selectFrom('audit_log')
          .select(['chain', sql<number>`(seq - 1) / cast(${RUN_EVENTS} as integer)`.as('run'), 'object_id', 'seq'])
          .where('chain', '=', head.chain)
          .where('seq', '<=', to * RUN_EVENTS)
          .where('object_id', 'is not', null)
          .orderBy('run')
          .orderBy('object_id')
          .orderBy('seq'),
      )
      .execute();
  }
  await db.schema.dropIndex('audit_log_object_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_object_idx').on('audit_log').columns(['chain', 'object_id']).execute();
  await db.schema.dropTable('audit_object_runs').execute();
  await db.schema.dropTable('audit_object_index').execute();
}
