import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { isoFromDb, toDbTime } from '../db/mapping.js';
import { authorizeCapability, requireRecentReauth } from '../auth/context.js';
import type { Keyring } from './keyring.js';
import { countSubjectKeysByVersion, listWorkspaceKeys, retireWorkspaceKeysBelow, subjectKeysBelowVersion, updateSubjectKey } from './key-store.js';

export interface RewrapProgress {
  done: number;
  total: number;
  /** Subject keys re-wrapped per second so far. */
  rate: number;
  /** Seconds left at that rate. */
  eta: number | null;
}

const REWRAP_BATCH = 1_000;

/** A rewrap stopped between batches because it was asked to; the batches done stay done. */
export class RewrapCancelled extends Error {
  constructor(readonly rewrapped: number) {
    super('The rewrap was cancelled.');
    this.name = 'RewrapCancelled';
  }
}

/**
 * Key rotation: a new data-key version wraps new subject keys at once; the rewrap moves the
 * existing subject keys forward batch by batch (each batch one transaction, so it can stop
 * anywhere and resume), then retires the old versions when nothing refers to them.
 * The customer data itself is not re-encrypted: it stays under its subject key.
 */
export function createKeyRotation({ db, keyring, audit, clock }: { db: Kysely<DB>; keyring: Keyring; audit: Pick<AuditService, 'record'>; clock: Clock }) {
  return {
    async status(workspaceId: string) {
      const keys = await listWorkspaceKeys(db, workspaceId);
      const counts = new Map((await countSubjectKeysByVersion(db, workspaceId)).map((row) => [row.data_key_version, Number(row.count)]));
      return keys.map((key) => ({
        purpose: key.purpose,
        version: key.version,
        masterKeyId: key.kek_id,
        createdAt: isoFromDb(key.created_at)!,
        retiredAt: isoFromDb(key.retired_at),
        subjectKeys: key.purpose === 'data' ? (counts.get(key.version) ?? 0) : null,
      }));
    },

    /** A user needs to be an administrator who proved themselves in the last minutes; the CLI acts as the system. */
    async rotate(actor: Actor): Promise<number> {
      if (actor.kind === 'user') {
        authorizeCapability(actor, 'manageSettings');
        requireRecentReauth(actor, clock.now());
      }
      return db.transaction().execute(async (trx) => {
        await keyring.currentDataKeyVersion(trx, actor.workspaceId); // makes version 1 if there is none yet
        const version = await keyring.rotateDataKey(trx, actor.workspaceId);
        await audit.record(actor, { action: 'keys.rotated', outcome: 'success', metadata: { purpose: 'data', version }, object: { type: 'workspace', id: actor.workspaceId } }, trx);
        return version;
      });
    },

    /**
     * Moves every subject key to the current data key; safe to stop and run again. `signal`
     * is looked at between batches: once aborted, the rewrap records that it was cancelled
     * and throws RewrapCancelled.
     */
    async rewrap(actor: Actor, onProgress: (progress: RewrapProgress) => void = () => undefined, batchSize = REWRAP_BATCH, signal?: AbortSignal) {
      if (actor.kind === 'user') authorizeCapability(actor, 'manageSettings');
      const workspaceId = actor.workspaceId;
      const object = { type: 'workspace', id: workspaceId };
      const version = await keyring.currentDataKeyVersion(db, workspaceId);
      const counts = await countSubjectKeysByVersion(db, workspaceId);
      const total = counts.filter((row) => row.data_key_version < version).reduce((sum, row) => sum + Number(row.count), 0);
      await audit.record(actor, { action: 'keys.rewrap_started', outcome: 'success', metadata: { toVersion: version, pending: total }, object });
      const started = clock.now().getTime();
      let done = 0;
      let after: string | null = null;
      let cancelled = false;
      try {
        onProgress({ done, total, rate: 0, eta: null });
        for (;;) {
          if (signal?.aborted) {
            cancelled = true;
            break;
          }
          const batch = await subjectKeysBelowVersion(db, workspaceId, version, after, batchSize);
          if (batch.length === 0) break;
          await db.transaction().execute(async (trx) => {
            for (const row of batch) await updateSubjectKey(trx, await keyring.rewrap(trx, row));
          });
          done += batch.length;
          after = batch[batch.length - 1]!.customer_id;
          const seconds = Math.max((clock.now().getTime() - started) / 1000, 0.001);
          const rate = done / seconds;
          onProgress({ done, total: Math.max(total, done), rate, eta: rate > 0 ? Math.max(total - done, 0) / rate : null });
        }
      } catch (error) {
        // The failure is worth a trace, but must not hide the error itself (the database may be what failed).
        await audit.record(actor, { action: 'keys.rewrap_failed', outcome: 'failure', metadata: { rewrapped: done, toVersion: version }, object }).catch(() => undefined);
        throw error;
      }
      if (cancelled) {
        await audit.record(actor, { action: 'keys.rewrap_cancelled', outcome: 'success', metadata: { rewrapped: done, toVersion: version }, object });
        throw new RewrapCancelled(done);
      }
      // Retire older versions only when no subject key refers to them any more.
      const left = (await countSubjectKeysByVersion(db, workspaceId)).filter((row) => row.data_key_version < version);
      const retiredBelow = left.length === 0 ? version : null;
      await db.transaction().execute(async (trx) => {
        if (retiredBelow !== null) await retireWorkspaceKeysBelow(trx, workspaceId, 'data', retiredBelow, toDbTime(clock.now()));
        await audit.record(actor, { action: 'keys.rewrapped', outcome: 'success', metadata: { rewrapped: done, toVersion: version, retiredBelow }, object }, trx);
      });
      return { rewrapped: done, version, retiredBelow };
    },
  };
}

export type KeyRotation = ReturnType<typeof createKeyRotation>;
