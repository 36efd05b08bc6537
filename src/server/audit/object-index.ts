import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { compiledInsert } from '../db/compiled-query.js';

/**
 * The audit trail's index by object (who viewed customer X), kept off the reads' hot path.
 *
 * An index on `(chain, object_id)` written with each event puts every read's entry on a
 * random leaf page: each group commit then writes one page per event to the WAL (and the
 * checkpoint writes it again) — most of what a read's event cost. Instead, the chain is cut
 * into runs of RUN_EVENTS consecutive positions (run k holds seqs k·RUN_EVENTS+1 through
 * (k+1)·RUN_EVENTS); once a run is complete, a background step sorts its events by object and
 * writes them to `audit_object_index` under the key (chain, run, object, seq): each run is a
 * new, sorted stretch of the index, appended whole, a few dozen pages for thousands of events.
 * `audit_object_runs` lists the runs indexed; past the last one, the events are not indexed
 * yet (the tail, under RUN_EVENTS plus what arrived since), and the lookup reads them from the
 * trail itself. A lookup is one index seek per run plus that tail.
 */
export const RUN_EVENTS = 4096;

/** The run of a chain position (seqs start at 1). */
export const runOf = (seq: number): number => Math.floor((seq - 1) / RUN_EVENTS);

const insertEntries = compiledInsert('audit_object_index', ['chain', 'run', 'object_id', 'seq'], { sizes: [512, 64, 8, 1] });

/**
 * The seqs of the workspace's events about `objectId`, as a subquery (`where('seq', 'in', …)`
 * over `audit_events` or `audit_log` of that workspace's chain): the indexed runs, then the tail.
 */
export function objectEventSeqs(db: Kysely<DB>, workspaceId: string, objectId: string) {
  const chain = db.selectFrom('audit_heads').select('chain').where('workspace_id', '=', workspaceId);
  const indexed = db
    .selectFrom('audit_object_runs as r')
    .innerJoin('audit_object_index as i', (join) => join.onRef('i.chain', '=', 'r.chain').onRef('i.run', '=', 'r.run'))
    .select('i.seq')
    .where('r.chain', '=', chain)
    .where('i.object_id', '=', objectId);
  // Past the last indexed run: its end is the next run's start.
  const indexedThrough = db
    .selectFrom('audit_object_runs')
    .select((eb) => eb(eb.parens(eb.fn.coalesce(eb.fn.max('run'), eb.val(-1)), '+', 1), '*', RUN_EVENTS).as('through'))
    .where('chain', '=', chain);
  const tail = db.selectFrom('audit_log as l').select('l.seq').where('l.chain', '=', chain).where('l.seq', '>', indexedThrough).where('l.object_id', '=', objectId);
  // Runs and tail never overlap: `union all` spares the sort of `union`.
  return indexed.unionAll(tail);
}

/** The first run of a chain not indexed yet: after the last indexed one, else the run of its oldest event (older ones were pruned), else none before the head. */
async function nextRun(db: Kysely<DB>, chain: number, headSeq: number): Promise<number> {
  const last = await db.selectFrom('audit_object_runs').select((eb) => eb.fn.max('run').as('run')).where('chain', '=', chain).executeTakeFirst();
  if (last?.run !== null && last?.run !== undefined) return Number(last.run) + 1;
  const first = await db.selectFrom('audit_log').select('seq').where('chain', '=', chain).orderBy('seq').limit(1).executeTakeFirst();
  return first ? runOf(Number(first.seq)) : runOf(headSeq + 1);
}

/**
 * Indexes every complete run of every chain not indexed yet, one transaction per run, and
 * returns how many it indexed. Only committed events are indexed: a run is complete once the
 * head, which moves in the appending transaction, has passed its end. Two passes never index
 * a run twice: each claims the run's row first, and leaves a run claimed by another.
 */
export async function indexObjectRuns(db: Kysely<DB>): Promise<number> {
  let indexed = 0;
  for (const head of await db.selectFrom('audit_heads').select(['chain', 'seq']).orderBy('chain').execute()) {
    const complete = Math.floor(Number(head.seq) / RUN_EVENTS);
    for (let run = await nextRun(db, head.chain, Number(head.seq)); run < complete; run += 1) {
      const claimed = await db.transaction().execute(async (trx) => {
        const claim = await trx.insertInto('audit_object_runs').values({ chain: head.chain, run }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        // Another pass (this process's, or another's) indexed it meanwhile.
        if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        const rows = await trx
          .selectFrom('audit_log')
          .select(['object_id', 'seq'])
          .where('chain', '=', head.chain)
          .where('seq', '>', run * RUN_EVENTS)
          .where('seq', '<=', (run + 1) * RUN_EVENTS)
          .where('object_id', 'is not', null)
          .execute();
        const entries = rows.map((row) => ({ chain: head.chain, run, object_id: row.object_id!, seq: Number(row.seq) }));
        entries.sort((a, b) => (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : a.seq - b.seq));
        await insertEntries(trx, entries);
        return true;
      });
      if (claimed) indexed += 1;
    }
  }
  return indexed;
}

/**
 * After the chain was pruned through `through`: the entries of the events gone, and the runs
 * they emptied — but the last run, which says how far the index reaches.
 */
export async function pruneObjectIndex(db: Kysely<DB>, chain: number, through: number): Promise<void> {
  await db.deleteFrom('audit_object_index').where('chain', '=', chain).where('run', '<=', runOf(through)).where('seq', '<=', through).execute();
  const last = await db.selectFrom('audit_object_runs').select((eb) => eb.fn.max('run').as('run')).where('chain', '=', chain).executeTakeFirst();
  if (last?.run === null || last?.run === undefined) return;
  const emptied = Math.min(Math.floor(through / RUN_EVENTS), Number(last.run));
  await db.deleteFrom('audit_object_runs').where('chain', '=', chain).where('run', '<', emptied).execute();
}
