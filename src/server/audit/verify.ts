import type { KeyObject } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import { blockHash, checkpointFromRow, checkpointSignedBy, contextId, GENESIS_HASH, shapeId, type Checkpoint } from './chain.js';

/** The first thing wrong with a chain, named by the event (or checkpoint) where it shows. */
export interface ChainProblem {
  seq: number;
  eventId: string | null;
  kind: 'altered' | 'missing' | 'out_of_order' | 'truncated' | 'checkpoint_mismatch' | 'bad_signature';
  message: string;
}

export interface ChainReport {
  workspaceId: string;
  events: number;
  checkpoints: number;
  /** The last seq a valid checkpoint vouches for. */
  signedThrough: number;
  /** Events after the last checkpoint: chained, but not yet signed. */
  unsigned: number;
  problem: ChainProblem | null;
}

const PAGE = 10_000;

/**
 * An event's line (chain.ts `eventLine`) built by the database: reading one string a row
 * rather than six columns is most of what makes verifying fast. Lengths are UTF-8 bytes on
 * both sides.
 */
function eventLineSql(db: Kysely<DB>): RawBuilder<string> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<string>`seq::text || ' ' || at::text || ' ' || context || ' ' || shape || ' ' || coalesce(octet_length(object_id)::text || ':' || object_id, '-') || ' ' || coalesce(octet_length(metadata)::text || ':' || metadata, '-')`
    : sql<string>`seq || ' ' || at || ' ' || context || ' ' || shape || ' ' || coalesce(length(cast(object_id as blob)) || ':' || object_id, '-') || ' ' || coalesce(length(cast(metadata as blob)) || ':' || metadata, '-')`;
}

/**
 * The first event naming a context or shape that was edited (`altered` ids) or is gone
 * (deleted rows): one pass inside the database, no row read out.
 */
async function firstNamingBadRecord(db: Kysely<DB>, chain: number, altered: readonly string[]): Promise<number | null> {
  const row = await db
    .selectFrom('audit_log as e')
    .select((eb) => eb.fn.min('e.seq').as('seq'))
    .where('e.chain', '=', chain)
    .where((eb) =>
      eb.or([
        eb.not(eb.exists(eb.selectFrom('audit_contexts as c').select('c.id').whereRef('c.chain', '=', 'e.chain').whereRef('c.id', '=', 'e.context'))),
        eb.not(eb.exists(eb.selectFrom('audit_shapes as s').select('s.id').whereRef('s.chain', '=', 'e.chain').whereRef('s.id', '=', 'e.shape'))),
        ...(altered.length > 0 ? [eb('e.context', 'in', altered), eb('e.shape', 'in', altered)] : []),
      ]),
    )
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/** An event's id as the `audit_events` view gives it: its seq, zero-padded. */
const eventIdOf = (seq: number) => String(seq).padStart(12, '0');

/**
 * Checks a workspace's audit chain from its first kept event to its end: every block's hash
 * links it to the one before (an edited, inserted, deleted or reordered event breaks the link
 * of its block), every context and shape still matches its id, seqs run without gaps, each checkpoint is signed by this installation's audit
 * key and matches the chain at its seq, and nothing a checkpoint or the head vouches for is
 * missing from the tail. `external` adds checkpoints kept elsewhere (an export), so deleting
 * checkpoints from the database hides nothing they cover.
 */
export async function verifyChain(db: Kysely<DB>, publicKey: KeyObject, workspaceId: string, external: readonly Checkpoint[] = []): Promise<ChainReport> {
  const stored = (await db.selectFrom('audit_checkpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute()).map(checkpointFromRow);
  const checkpoints = [...stored, ...external.filter((c) => c.workspaceId === workspaceId)].sort((a, b) => a.seq - b.seq);
  const head = await db.selectFrom('audit_heads').select(['chain', 'seq', 'hash']).where('workspace_id', '=', workspaceId).executeTakeFirst();
  const report: ChainReport = { workspaceId, events: 0, checkpoints: checkpoints.length, signedThrough: 0, unsigned: 0, problem: null };
  const fail = (problem: ChainProblem) => {
    report.problem = problem;
    return report;
  };

  for (const checkpoint of checkpoints) {
    if (!checkpointSignedBy(checkpoint, publicKey)) {
      return fail({ seq: checkpoint.seq, eventId: null, kind: 'bad_signature', message: `the checkpoint at #${checkpoint.seq} is not signed by this installation's audit key` });
    }
  }

  if (!head) {
    // No chain (yet): nothing may be missing that a checkpoint vouched for.
    const vouched = checkpoints.at(-1)?.seq ?? 0;
    return vouched > 0 ? fail({ seq: 1, eventId: null, kind: 'truncated', message: `events #1 to #${vouched} are missing: the workspace's chain is gone` }) : report;
  }
  const chain = head.chain;
  // Contexts and shapes are named by their hash: an edited one no longer matches its id, a
  // deleted one leaves events naming nothing (and hidden from the audit_events view).
  const altered: string[] = [];
  for (const context of await db.selectFrom('audit_contexts').selectAll().where('chain', '=', chain).execute()) {
    if (contextId(context) !== context.id) altered.push(context.id);
  }
  for (const shape of await db.selectFrom('audit_shapes').selectAll().where('chain', '=', chain).execute()) {
    if (shapeId(shape) !== shape.id) altered.push(shape.id);
  }
  const naming = await firstNamingBadRecord(db, chain, altered);

  const first = await db.selectFrom('audit_log').select('seq').where('chain', '=', chain).orderBy('seq').limit(1).executeTakeFirst();
  let expected = first ? Number(first.seq) : 1;
  let previous: Buffer = GENESIS_HASH;
  if (expected > 1) {
    // Pruned by retention: the kept log starts right after a checkpoint, whose hash it links to.
    const anchor = checkpoints.find((checkpoint) => checkpoint.seq === expected - 1);
    if (!anchor) return fail({ seq: 1, eventId: null, kind: 'missing', message: `events #1 to #${expected - 1} are missing, and no checkpoint anchors the log at #${expected - 1}` });
    previous = Buffer.from(anchor.hash, 'hex');
  }
  // The checkpoints still ahead, in order.
  let next = checkpoints.findIndex((checkpoint) => checkpoint.seq >= expected);
  if (next < 0) next = checkpoints.length;

  const line = eventLineSql(db);
  let block: string[] = [];
  let blockStart = expected;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['seq', line.as('line'), 'hash'])
      .where('chain', '=', chain)
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq < expected) return fail({ seq, eventId: eventIdOf(seq), kind: 'out_of_order', message: `event #${seq} appears twice or out of order` });
      if (seq > expected) return fail({ seq: expected, eventId: null, kind: 'missing', message: `event #${expected} is missing (the log goes on at #${seq})` });
      if (seq === naming) {
        return fail({ seq, eventId: eventIdOf(seq), kind: 'altered', message: `event #${seq} names who or what it records by a hash that no longer matches: that record was edited or deleted` });
      }
      if (block.length === 0) blockStart = seq;
      expected = seq + 1;
      block.push(row.line);
      if (row.hash === null) continue;
      const hash = blockHash(previous, chain, block);
      if (!hash.equals(row.hash)) {
        const which = blockStart === seq ? `event #${seq} does not` : `events #${blockStart} to #${seq} (recorded together) do not`;
        return fail({ seq: blockStart, eventId: eventIdOf(blockStart), kind: 'altered', message: `${which} match their hash: one was edited, inserted or moved` });
      }
      for (; next < checkpoints.length && checkpoints[next]!.seq <= seq; next++) {
        const checkpoint = checkpoints[next]!;
        if (checkpoint.seq !== seq || checkpoint.hash !== hash.toString('hex')) {
          return fail({
            seq: checkpoint.seq,
            eventId: eventIdOf(checkpoint.seq),
            kind: 'checkpoint_mismatch',
            message: `the chain at #${checkpoint.seq} differs from its checkpoint of ${checkpoint.at}: events #${report.signedThrough + 1} to #${checkpoint.seq} were rewritten`,
          });
        }
        report.signedThrough = seq;
      }
      previous = hash;
      report.events += block.length;
      block = [];
    }
    if (rows.length < PAGE) break;
  }
  if (block.length > 0) {
    return fail({ seq: blockStart, eventId: eventIdOf(blockStart), kind: 'altered', message: `events from #${blockStart} on are not closed by a block hash: they were added to the log by hand` });
  }

  const last = expected - 1;
  const vouched = Math.max(checkpoints.at(-1)?.seq ?? 0, Number(head.seq));
  if (vouched > last) {
    return fail({ seq: last + 1, eventId: null, kind: 'truncated', message: `events #${last + 1} to #${vouched} are missing from the end of the log` });
  }
  if (last > 0 && !head.hash.equals(previous)) {
    return fail({ seq: last, eventId: null, kind: 'altered', message: `the chain's head does not match event #${last}` });
  }
  report.unsigned = last - report.signedThrough;
  return report;
}

/** Every workspace's chain (the installation's own, for sign-in failures, included). */
export async function verifyAll(db: Kysely<DB>, publicKey: KeyObject, external: readonly Checkpoint[] = []): Promise<ChainReport[]> {
  // Every workspace, not only those with a head: deleting a head row hides no chain.
  const ids = new Set([
    ...(await db.selectFrom('audit_heads').select('workspace_id').execute()).map((row) => row.workspace_id),
    ...(await db.selectFrom('workspaces').select('id').execute()).map((row) => row.id),
    ...external.map((checkpoint) => checkpoint.workspaceId),
  ]);
  const reports: ChainReport[] = [];
  for (const workspaceId of [...ids].sort()) reports.push(await verifyChain(db, publicKey, workspaceId, external));
  // Chains are numbered from 1 without gaps: one whose head row is gone shows as a number no head has.
  const chains = new Set((await db.selectFrom('audit_heads').select('chain').execute()).map((row) => row.chain));
  const highest = await db.selectFrom('audit_log').select((eb) => eb.fn.max('chain').as('chain')).executeTakeFirst();
  for (let chain = 1; chain <= Number(highest?.chain ?? 0); chain++) {
    if (chains.has(chain)) continue;
    const orphan = await db.selectFrom('audit_log').select('seq').where('chain', '=', chain).orderBy('seq').limit(1).executeTakeFirst();
    if (!orphan) continue;
    const message = `chain ${chain} holds events but no workspace's head names it: its head was deleted`;
    reports.push({ workspaceId: `chain ${chain}`, events: 0, checkpoints: 0, signedThrough: 0, unsigned: 0, problem: { seq: Number(orphan.seq), eventId: null, kind: 'missing', message } });
  }
  return reports;
}
