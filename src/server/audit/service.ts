import type { Kysely } from 'kysely';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { toDbJson, toDbTime } from '../db/mapping.js';
import { newId } from '../ids.js';
import type { AuditAction, AuditEventMetadata, AuditOutcome } from './events.js';

/** Installation-wide events (a failed sign-in for an unknown address) use this workspace id. */
export const INSTALLATION_SCOPE = '*';
/** 14 columns a row: 500 rows stay under SQLite's and PostgreSQL's bound-parameter limits. */
const AUDIT_CHUNK = 500;

export interface AuditEventInput<A extends AuditAction> {
  action: A;
  outcome: AuditOutcome;
  metadata: AuditEventMetadata[A];
  object?: { type: string; id: string };
}

/**
 * Appends events to the audit trail. Pass the transaction that makes the change so the event
 * and the change commit or roll back together. The hash chain and signed checkpoints arrive
 * with the audit issue (#5); the shape of an event does not change with them.
 */
export function createAuditService({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  type Who = { workspaceId: string; actorType: string; actorId: string | null; sessionId: string | null; tokenId: string | null } & RequestOrigin;

  function whoIs(actor: Actor): Who {
    return actor.kind === 'user'
      ? { workspaceId: actor.workspaceId, actorType: 'user', actorId: actor.userId, sessionId: actor.sessionId, tokenId: actor.tokenId, ip: actor.ip, userAgent: actor.userAgent }
      : { workspaceId: actor.workspaceId, actorType: 'system', actorId: actor.name, sessionId: null, tokenId: null, ip: actor.ip, userAgent: actor.userAgent };
  }

  function row<A extends AuditAction>(who: Who, event: AuditEventInput<A>) {
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
    await executor.insertInto('audit_events').values(row(who, event)).execute();
  }

  return {
    /** Records an event done by `actor`. */
    record<A extends AuditAction>(actor: Actor, event: AuditEventInput<A>, executor: Kysely<DB> = db): Promise<void> {
      return write(executor, whoIs(actor), event);
    },
    /** Records many events of one actor in one statement per chunk (bulk writes: one event per record). */
    async recordMany<A extends AuditAction>(actor: Actor, events: AuditEventInput<A>[], executor: Kysely<DB>): Promise<void> {
      const who = whoIs(actor);
      for (let i = 0; i < events.length; i += AUDIT_CHUNK) {
        await executor.insertInto('audit_events').values(events.slice(i, i + AUDIT_CHUNK).map((event) => row(who, event))).execute();
      }
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
