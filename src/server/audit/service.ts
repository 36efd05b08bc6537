import { PostgresAdapter, type Kysely } from 'kysely';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { compiledInsert } from '../db/compiled-query.js';
import { toDbJson, toDbTime } from '../db/mapping.js';
import { newId } from '../ids.js';
import { GENESIS_HASH, linkHash, type ChainedEvent } from './chain.js';
import type { AuditAction, AuditEventMetadata, AuditOutcome } from './events.js';

/** Installation-wide events (a failed sign-in for an unknown address) use this workspace id. */
export const INSTALLATION_SCOPE = '*';
/** Read events one commit writes at most; more wait for the next. */
export const READ_BATCH = 256;

/**
 * 16 columns a row: 500 rows stay under SQLite's and PostgreSQL's bound-parameter limits.
 * Statements of powers of two take the rest of a batch: a few SQL texts serve every batch
 * size, in at most one statement per bit of it.
 */
const insertEvents = compiledInsert(
  'audit_events',
  ['workspace_id', 'seq', 'id', 'at', 'actor_type', 'actor_id', 'session_id', 'token_id', 'ip', 'user_agent', 'action', 'object_type', 'object_id', 'outcome', 'metadata', 'hash'],
  { sizes: [500, 256, 128, 64, 32, 16, 8, 4, 2, 1] },
);
const insertEventCustomers = compiledInsert('audit_event_customers', ['workspace_id', 'customer_id', 'seq'], { sizes: [1000, 256, 64, 16, 4, 1], ignoreConflicts: true });

type EventRow = Omit<ChainedEvent, 'seq'>;

/** An event ready to append, with the customers it concerns beyond its object (a list page's). */
interface PendingEvent {
  row: EventRow;
  customerIds: readonly string[];
}

interface PendingRead extends PendingEvent {
  resolve(): void;
  reject(error: unknown): void;
}

/** The customers an event's metadata names (list pages and lookups carry `customerIds`). */
function customersOf(metadata: unknown): readonly string[] {
  const ids = (metadata as { customerIds?: unknown }).customerIds;
  return Array.isArray(ids) ? (ids as string[]) : [];
}

/**
 * Appends events to their workspaces' hash chains inside `trx`: each chain's head is locked
 * (PostgreSQL: `for update`; SQLite has one writer), every event gets the next seq and its link
 * hash, and the head moves on — all in the transaction, so a rolled-back change leaves no
 * link behind and concurrent writers never fork a chain.
 */
async function appendToChains(trx: Kysely<DB>, events: readonly PendingEvent[]): Promise<void> {
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  const byWorkspace = new Map<string, PendingEvent[]>();
  for (const event of events) {
    const list = byWorkspace.get(event.row.workspace_id);
    if (list) list.push(event);
    else byWorkspace.set(event.row.workspace_id, [event]);
  }
  // One lock order for every transaction: two never wait on each other's heads.
  for (const workspaceId of [...byWorkspace.keys()].sort()) {
    const pending = byWorkspace.get(workspaceId)!;
    let head = await lockHead(trx, workspaceId, postgres);
    if (!head) {
      await trx.insertInto('audit_heads').values({ workspace_id: workspaceId, seq: 0, hash: GENESIS_HASH }).onConflict((oc) => oc.column('workspace_id').doNothing()).execute();
      head = (await lockHead(trx, workspaceId, postgres))!;
    }
    let seq = Number(head.seq);
    let hash = head.hash;
    const rows = pending.map(({ row }) => {
      seq += 1;
      const chained = { ...row, seq };
      hash = linkHash(hash, chained);
      return { ...chained, hash };
    });
    await insertEvents(trx, rows);
    const links = pending.flatMap(({ customerIds }, i) => customerIds.map((customerId) => ({ workspace_id: workspaceId, customer_id: customerId, seq: rows[i]!.seq })));
    if (links.length > 0) await insertEventCustomers(trx, links);
    await trx.updateTable('audit_heads').set({ seq, hash }).where('workspace_id', '=', workspaceId).execute();
  }
}

function lockHead(trx: Kysely<DB>, workspaceId: string, postgres: boolean) {
  return trx
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('workspace_id', '=', workspaceId)
    .$if(postgres, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** Appends in the caller's transaction, or in one of its own. */
function append(executor: Kysely<DB>, events: readonly PendingEvent[]): Promise<void> {
  return executor.isTransaction ? appendToChains(executor, events) : executor.transaction().execute((trx) => appendToChains(trx, events));
}

export interface AuditEventInput<A extends AuditAction> {
  action: A;
  outcome: AuditOutcome;
  metadata: AuditEventMetadata[A];
  object?: { type: string; id: string };
}

/**
 * Appends events to the audit trail's hash chains. Pass the transaction that makes the change
 * so the event and the change commit or roll back together. Reads, which change nothing, are
 * recorded by group commit (`recordRead`). Checkpoints sign the chains (audit/checkpoints.ts).
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

  function pending<A extends AuditAction>(who: Who, event: AuditEventInput<A>): PendingEvent {
    return { row: row(who, event), customerIds: customersOf(event.metadata) };
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
        await append(db, batch);
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
      return append(executor, [pending(whoIs(actor), event)]);
    },
    /** Records many events of one actor in one statement per chunk (bulk writes: one event per record). */
    async recordMany<A extends AuditAction>(actor: Actor, events: AuditEventInput<A>[], executor: Kysely<DB>): Promise<void> {
      const who = whoIs(actor);
      await append(
        executor,
        events.map((event) => pending(who, event)),
      );
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
        pendingReads.push({ ...pending(whoIs(actor), event), resolve, reject });
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
      const who = { workspaceId: workspaceId ?? INSTALLATION_SCOPE, actorType: 'anonymous', actorId: subjectUserId, sessionId: null, tokenId: null, ...origin };
      return append(executor, [pending(who, event)]);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
