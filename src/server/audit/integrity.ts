import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { checkpointFromRow, checkpointMessage, keyFingerprint, type Checkpoint } from './chain.js';
import { indexObjectRuns } from './object-index.js';
import { ensureAuditPartitions } from './partitions.js';
import { pruneAuditTrail } from './retention.js';
import type { AuditService } from './service.js';
import { verifyAll, verifyChain, type ChainReport } from './verify.js';

/**
 * The audit trail's integrity: signed checkpoints of the hash chains — the server signs each
 * chain's head when it moved (a job, each minute) under the KeyProvider's audit key, which the
 * database never holds, so someone who rewrites events and recomputes every hash after them
 * still cannot sign the new heads — the verification of every chain against them, the pruning
 * of events past the workspace's retention period, and (on PostgreSQL) the monthly partitions
 * made ahead of time.
 */
export function createAuditIntegrity({ db, clock, keys, audit }: { db: Kysely<DB>; clock: Clock; keys: KeyProvider; audit: Pick<AuditService, 'record'> }) {
  const fingerprint = keyFingerprint(keys.auditPublicKey);

  return {
    fingerprint,
    /** Checks every workspace's chain (or one), also against checkpoints kept elsewhere. */
    verify(options: { workspaceId?: string; external?: readonly Checkpoint[] } = {}): Promise<ChainReport[]> {
      const external = options.external ?? [];
      return options.workspaceId ? verifyChain(db, keys.auditPublicKey, options.workspaceId, external).then((report) => [report]) : verifyAll(db, keys.auditPublicKey, external);
    },
    ensurePartitions: () => ensureAuditPartitions(db, clock.now()),
    /** Drops events past each workspace's retention period, up to a checkpoint (retention.ts). */
    prune: () => pruneAuditTrail(db, clock, audit),
    /** Indexes by object every complete run not indexed yet (object-index.ts): what a failed pass or another process's appends left. */
    indexObjects: () => indexObjectRuns(db),
    /** Signs the head of every chain that moved since its last checkpoint; returns how many it signed. */
    async signHeads(): Promise<number> {
      const heads = await db
        .selectFrom('audit_heads')
        .leftJoin(
          (eb) => eb.selectFrom('audit_checkpoints').select((e) => ['workspace_id', e.fn.max('seq').as('signed')]).groupBy('workspace_id').as('last'),
          (join) => join.onRef('last.workspace_id', '=', 'audit_heads.workspace_id'),
        )
        .select(['audit_heads.workspace_id', 'audit_heads.seq', 'audit_heads.hash', 'last.signed'])
        .execute();
      let signed = 0;
      for (const head of heads) {
        if (Number(head.seq) === 0 || (head.signed !== null && Number(head.signed) >= Number(head.seq))) continue;
        const checkpoint = { workspaceId: head.workspace_id, seq: Number(head.seq), hash: head.hash.toString('hex'), at: clock.now().toISOString() };
        const row: DB['audit_checkpoints'] = {
          workspace_id: checkpoint.workspaceId,
          seq: checkpoint.seq,
          hash: head.hash,
          at: Date.parse(checkpoint.at),
          key_fingerprint: fingerprint,
          signature: keys.signAudit(checkpointMessage(checkpoint)),
        };
        await db.insertInto('audit_checkpoints').values(row).onConflict((oc) => oc.columns(['workspace_id', 'seq']).doNothing()).execute();
        signed += 1;
      }
      return signed;
    },
    /** A workspace's checkpoints (all workspaces' without one), oldest first. */
    async list(workspaceId?: string): Promise<Checkpoint[]> {
      const rows = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .$if(workspaceId !== undefined, (query) => query.where('workspace_id', '=', workspaceId!))
        .orderBy('workspace_id')
        .orderBy('seq')
        .execute();
      return rows.map(checkpointFromRow);
    },
  };
}

export type AuditIntegrity = ReturnType<typeof createAuditIntegrity>;
