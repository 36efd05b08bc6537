import type { Kysely } from 'kysely';
import { systemActor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { pruneObjectIndex } from './object-index.js';
import type { AuditService } from './service.js';

const DAY_MS = 86_400_000;
const DELETE_BATCH = 5_000;

/**
 * Drops each workspace's audit events older than its retention period — only up to a signed
 * checkpoint, which is kept: the remaining log links to the checkpoint's hash and still
 * verifies from there (verify.ts). A checkpoint signed before the cutoff vouches that every
 * event up to its seq was recorded before the cutoff. The contexts and shapes the dropped events
 * named stay (they are few, shared, and hold no customer value). Returns how many events went.
 */
export async function pruneAuditTrail(db: Kysely<DB>, clock: Clock, audit: Pick<AuditService, 'record'>): Promise<number> {
  const now = clock.now().getTime();
  const workspaces = await db.selectFrom('workspaces').select(['id', 'audit_retention_days']).execute();
  let pruned = 0;
  for (const workspace of workspaces) {
    const cutoff = now - Number(workspace.audit_retention_days) * DAY_MS;
    const anchor = await db
      .selectFrom('audit_checkpoints')
      .select('seq')
      .where('workspace_id', '=', workspace.id)
      .where('at', '<', cutoff)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!anchor) continue;
    const through = Number(anchor.seq);
    const head = await db.selectFrom('audit_heads').select('chain').where('workspace_id', '=', workspace.id).executeTakeFirst();
    if (!head) continue;
    let events = 0;
    for (;;) {
      // In batches: a long delete would hold the writers up.
      const batch = await db.selectFrom('audit_log').select('seq').where('chain', '=', head.chain).where('seq', '<=', through).orderBy('seq').limit(DELETE_BATCH).execute();
      if (batch.length === 0) break;
      const last = Number(batch.at(-1)!.seq);
      const deleted = await db.deleteFrom('audit_log').where('chain', '=', head.chain).where('seq', '<=', last).executeTakeFirst();
      events += Number(deleted.numDeletedRows);
    }
    if (events === 0) continue;
    await db.deleteFrom('audit_event_customers').where('workspace_id', '=', workspace.id).where('seq', '<=', through).execute();
    await pruneObjectIndex(db, head.chain, through);
    await db.deleteFrom('audit_checkpoints').where('workspace_id', '=', workspace.id).where('seq', '<', through).execute();
    await audit.record(systemActor(workspace.id, 'audit-retention'), {
      action: 'audit.pruned',
      outcome: 'success',
      metadata: { events, throughSeq: through, retentionDays: Number(workspace.audit_retention_days) },
    });
    pruned += events;
  }
  return pruned;
}
