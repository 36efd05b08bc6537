import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { checkpointFromRow, checkpointSignedBy, GENESIS_HASH, linkHash, type Checkpoint } from './chain.js';

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
 * Checks a workspace's audit chain from its first kept event to its end: every event's hash
 * links it to the one before (an edited, inserted, deleted or reordered event breaks the link
 * where it is), seqs run without gaps, each checkpoint is signed by this installation's audit
 * key and matches the chain at its seq, and nothing a checkpoint or the head vouches for is
 * missing from the tail. `external` adds checkpoints kept elsewhere (an export), so deleting
 * checkpoints from the database hides nothing they cover.
 */
export async function verifyChain(db: Kysely<DB>, publicKey: KeyObject, workspaceId: string, external: readonly Checkpoint[] = []): Promise<ChainReport> {
  const stored = (await db.selectFrom('audit_checkpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute()).map(checkpointFromRow);
  const checkpoints = [...stored, ...external.filter((c) => c.workspaceId === workspaceId)].sort((a, b) => a.seq - b.seq);
  const head = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('workspace_id', '=', workspaceId).executeTakeFirst();
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
  const bySeq = new Map<number, Checkpoint[]>();
  for (const checkpoint of checkpoints) bySeq.set(checkpoint.seq, [...(bySeq.get(checkpoint.seq) ?? []), checkpoint]);

  const first = await db.selectFrom('audit_events').select('seq').where('workspace_id', '=', workspaceId).orderBy('seq').limit(1).executeTakeFirst();
  let expected = first ? Number(first.seq) : 1;
  let previous: Buffer = GENESIS_HASH;
  if (expected > 1) {
    // Pruned by retention: the kept log starts right after a checkpoint, whose hash it links to.
    const anchor = bySeq.get(expected - 1)?.[0];
    if (!anchor) return fail({ seq: 1, eventId: null, kind: 'missing', message: `events #1 to #${expected - 1} are missing, and no checkpoint anchors the log at #${expected - 1}` });
    previous = Buffer.from(anchor.hash, 'hex');
  }

  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('seq', '>=', expected)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq < expected) return fail({ seq, eventId: row.id, kind: 'out_of_order', message: `event #${seq} (${row.id}) appears twice or out of order` });
      if (seq > expected) return fail({ seq: expected, eventId: null, kind: 'missing', message: `event #${expected} is missing (the log goes on at #${seq}, ${row.id})` });
      const hash = linkHash(previous, row);
      if (!hash.equals(row.hash)) {
        return fail({ seq, eventId: row.id, kind: 'altered', message: `event #${seq} (${row.id}) does not match its hash: it was edited, inserted or moved` });
      }
      for (const checkpoint of bySeq.get(seq) ?? []) {
        if (checkpoint.hash !== hash.toString('hex')) {
          const after = report.signedThrough;
          return fail({ seq, eventId: row.id, kind: 'checkpoint_mismatch', message: `the chain at #${seq} differs from its checkpoint of ${checkpoint.at}: events #${after + 1} to #${seq} were rewritten` });
        }
        report.signedThrough = seq;
      }
      previous = hash;
      expected = seq + 1;
      report.events += 1;
    }
    if (rows.length < PAGE) break;
  }

  const last = expected - 1;
  const vouched = Math.max(checkpoints.at(-1)?.seq ?? 0, head ? Number(head.seq) : 0);
  if (vouched > last) {
    return fail({ seq: last + 1, eventId: null, kind: 'truncated', message: `events #${last + 1} to #${vouched} are missing from the end of the log` });
  }
  if (head && last > 0 && !head.hash.equals(previous)) {
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
  return reports;
}
