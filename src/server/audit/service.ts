import type { Kysely } from 'kysely';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { compiledInsert } from '../db/compiled-query.js';
import { toDbJson, toDbTime } from '../db/mapping.js';
import { newId } from '../ids.js';
import type { AuditAction, AuditEventMetadata, AuditOutcome } from './events.js';

/** Installation-wide events (a failed sign-in for an unknown address) use this workspace id. */
export const INSTALLATION_SCOPE = '*';
/** Read events one commit writes at most; more wait for the next. */
export const READ_BATCH = 256;

/**
 * 14 columns a row: 500 rows stay under SQLite's and PostgreSQL's bound-parameter limits.
 * Statements of powers of two take the rest of a batch: a few SQL texts serve every batch
 * size, in at most one statement per bit of it.
 */
const insertEvents = compiledInsert(
  'audit_events',
  ['workspace_id', 'id', 'at', 'actor_type', 'actor_id', 'session_id', 'token_id', 'ip', 'user_agent', 'action', 'object_type', 'object_id', 'outcome', 'metadata'],
  { sizes: [500, 256, 128, 64, 32, 16, 8, 4, 2, 1] },
);

type EventRow = Parameters<typeof insertEvents>[1][number];

interface PendingRead {
  row: EventRow;
  resolve(): void;
  reject(error: unknown): void;
}

export interface AuditEventInput<A extends AuditAction> {
  action: A;
  outcome: AuditOutcome;
  metadata: AuditEventMetadata[A];
  object?: { type: string; id: string };
}

/**
 * Appends events to the audit trail. Pass the transaction that makes the change so the event
 * and the change commit or roll back together. Reads, which change nothing, are recorded by
 * group commit (`recordRead`). The hash chain and signed checkpoints arrive with the audit
 * issue (#5); the shape of an event does not change with them.
 */
export function createAuditService({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  type Who = { workspaceId: string; actorType: string; actorId: string | null; sessionId: string | null; tokenId: string | null } & RequestOrigin;

  function whoIs(actor: Actor): Who {
    return actor.kind === 'user'
      ? { workspaceId: actor.workspaceId, actorType: 'user', actorId: actor.userId, sessionId: actor.sessionId, tokenId: actor.tokenId, ip: actor.ip, userAgent: actor.userAgent }
      : { workspaceId: actor.workspaceId, actorType: 'system', actorId: actor.name, sessionId: null, tokenId: null, ip: actor.ip, userAgent: actor.userAgent };
  }

  function row<A extends AuditAction>(who: Who, event: AuditEventInput<A>): EventRow {
    return {
      workspace_id: who.workspaceId,
      id: newId(),
      at: toDbTime(clock.now()),
      actor_type: who.actorType,
      actor_id: who.actorId,
      session_id: who.sessionId,
      token_id: who.tokenId,
      ip: who.ip,
      user_agent: who.userAgent,
      action: event.action,
      object_type: event.object?.type ?? null,
      object_id: event.object?.id ?? null,
      outcome: event.outcome,
      metadata: toDbJson(event.metadata),
    };
  }

  async function write<A extends AuditAction>(executor: Kysely<DB>, who: Who, event: AuditEventInput<A>): Promise<void> {
    await insertEvents(executor, [row(who, event)]);
  }

  // Read events waiting for the next commit, and whether a flush is under way.
  const pendingReads: PendingRead[] = [];
  let flushing = false;

  /**
   * Writes the waiting read events, up to READ_BATCH a transaction, until none is left.
   * Each caller's promise settles only once its batch committed (or failed): while one batch
   * commits, the reads that arrive meanwhile queue up for the next.
   */
  async function flushReads(): Promise<void> {
    while (pendingReads.length > 0) {
      const batch = pendingReads.splice(0, READ_BATCH);
      try {
        await db.transaction().execute((trx) => insertEvents(trx, batch.map((pending) => pending.row)));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
      // The requests whose I/O is ready get to queue their events before the next batch is cut.
      if (pendingReads.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    flushing = false;
  }

  return {
    /** Records an event done by `actor`. */
    record<A extends AuditAction>(actor: Actor, event: AuditEventInput<A>, executor: Kysely<DB> = db): Promise<void> {
      return write(executor, whoIs(actor), event);
    },
    /** Records many events of one actor in one statement per chunk (bulk writes: one event per record). */
    async recordMany<A extends AuditAction>(actor: Actor, events: AuditEventInput<A>[], executor: Kysely<DB>): Promise<void> {
      const who = whoIs(actor);
      await insertEvents(executor, events.map((event) => row(who, event)));
    },
    /**
     * Records a read (a record viewed, a list page, a lookup) by group commit: the events of
     * reads made at about the same time are written in one transaction, so they share one
     * disk flush instead of one each. Resolves only once the event is committed and rejects
     * when its batch failed: the caller answers after this, so no read is answered without
     * its event on disk.
     */
    recordRead<A extends AuditAction>(actor: Actor, event: AuditEventInput<A>): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        pendingReads.push({ row: row(whoIs(actor), event), resolve, reject });
        if (flushing) return;
        flushing = true;
        // After the current I/O callbacks: the reads being served right now join this batch.
        setImmediate(() => void flushReads());
      });
    },
    /** Records an event by someone not yet signed in (failed sign-ins, lockouts). */
    recordAnonymous<A extends AuditAction>(
      workspaceId: string | null,
      subjectUserId: string | null,
      origin: RequestOrigin,
      event: AuditEventInput<A>,
      executor: Kysely<DB> = db,
    ): Promise<void> {
      return write(
        executor,
        { workspaceId: workspaceId ?? INSTALLATION_SCOPE, actorType: 'anonymous', actorId: subjectUserId, sessionId: null, tokenId: null, ...origin },
        event,
      );
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
