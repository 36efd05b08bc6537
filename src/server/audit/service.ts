import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { compiledInsert } from '../db/compiled-query.js';
import { toDbJson, toDbTime } from '../db/mapping.js';
import { durableCommitter } from './durable-commit.js';
import { indexObjectRuns, runOf } from './object-index.js';
import { blockHash, contextId, eventLine, GENESIS_HASH, ownMetadata, shapeId, type EventContext, type EventShape } from './chain.js';
import type { AuditAction, AuditEventMetadata, AuditOutcome } from './events.js';

/** Installation-wide events (a failed sign-in for an unknown address) use this workspace id. */
export const INSTALLATION_SCOPE = '*';
/** Read events one commit writes at most; more wait for the next. */
export const READ_BATCH = 256;

const insertEvents = compiledInsert('audit_log', ['chain', 'seq', 'at', 'context', 'shape', 'object_id', 'metadata', 'hash'], { sizes: [500, 256, 128, 64, 32, 16, 8, 4, 2, 1] });
const insertContexts = compiledInsert('audit_contexts', ['chain', 'id', 'actor_type', 'actor_id', 'session_id', 'token_id', 'ip', 'user_agent'], { sizes: [64, 8, 1], ignoreConflicts: true });
const insertShapes = compiledInsert('audit_shapes', ['chain', 'id', 'action', 'object_type', 'outcome', 'metadata'], { sizes: [64, 8, 1], ignoreConflicts: true });
const insertEventCustomers = compiledInsert('audit_event_customers', ['workspace_id', 'customer_id', 'seq'], { sizes: [1000, 256, 64, 16, 4, 1], ignoreConflicts: true });

/** An event ready to append: its context and shape with their ids, and the customers it concerns beyond its object. */
interface PendingEvent {
  workspaceId: string;
  at: number;
  context: EventContext & { id: string };
  shape: EventShape & { id: string };
  objectId: string | null;
  metadata: string | null;
  customerIds: readonly string[];
}

interface PendingRead extends PendingEvent {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The customers an event's metadata names beyond its object: list pages and lookups carry
 * `customerIds`; events about a customer's notes, contact points, addresses or cases carry the
 * `customerId` whose data they touched.
 */
function customersOf(metadata: unknown): readonly string[] {
  const { customerIds, customerId } = metadata as { customerIds?: unknown; customerId?: unknown };
  if (Array.isArray(customerIds)) return customerIds as string[];
  return typeof customerId === 'string' ? [customerId] : [];
}

const ID_CACHE_SIZE = 4096;

/** A memo of at most `size` entries, dropping the oldest: `(key, make)` answers the kept value, or makes, keeps and answers it. */
function boundedCache<T>(size: number): (key: string, make: () => T) => T {
  const entries = new Map<string, T>();
  return (key, make) => {
    const kept = entries.get(key);
    if (kept !== undefined) return kept;
    const made = make();
    entries.set(key, made);
    if (entries.size > size) entries.delete(entries.keys().next().value!);
    return made;
  };
}

/** Each of `items` once, by its id. */
function distinct<T extends { id: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

/**
 * Appends events to their workspaces' hash chains inside `trx`: each chain's head is locked
 * (PostgreSQL: `for update`; SQLite has one writer), the events get the next seqs and, as one
 * block, the hash linking them to the head; the contexts and shapes they name are stored if
 * new, and the head moves on — all in the transaction, so a rolled-back change leaves no link (and no dangling context) behind and
 * concurrent writers never fork a chain. Returns whether a chain completed a run of its object
 * index (object-index.ts), which the index then takes in.
 */
async function appendToChains(trx: Kysely<DB>, events: readonly PendingEvent[]): Promise<boolean> {
  let completedRun = false;
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  const byWorkspace = new Map<string, PendingEvent[]>();
  for (const event of events) {
    const list = byWorkspace.get(event.workspaceId);
    if (list) list.push(event);
    else byWorkspace.set(event.workspaceId, [event]);
  }
  // One lock order for every transaction: two never wait on each other's heads.
  for (const workspaceId of [...byWorkspace.keys()].sort()) {
    const pending = byWorkspace.get(workspaceId)!;
    const head = (await lockHead(trx, workspaceId, postgres)) ?? (await newChain(trx, workspaceId, postgres));
    const chain = head.chain;
    const first = Number(head.seq) + 1;
    const rows = pending.map((event, i) => ({
      chain,
      seq: first + i,
      at: event.at,
      context: event.context.id,
      shape: event.shape.id,
      object_id: event.objectId,
      metadata: event.metadata,
      hash: null as Buffer | null,
    }));
    // The events of this transaction are one block of the chain; its hash goes on the last.
    const hash = blockHash(head.hash, chain, rows.map(eventLine));
    rows.at(-1)!.hash = hash;
    const seq = first + rows.length - 1;
    await insertContexts(trx, distinct(pending.map((event) => event.context)).map((context) => ({ chain, ...context })));
    await insertShapes(trx, distinct(pending.map((event) => event.shape)).map((shape) => ({ chain, ...shape })));
    await insertEvents(trx, rows);
    const links = pending.flatMap(({ customerIds }, i) => customerIds.map((customerId) => ({ workspace_id: workspaceId, customer_id: customerId, seq: rows[i]!.seq })));
    if (links.length > 0) await insertEventCustomers(trx, links);
    await trx.updateTable('audit_heads').set({ seq, hash }).where('workspace_id', '=', workspaceId).execute();
    if (runOf(seq + 1) > runOf(first)) completedRun = true;
  }
  return completedRun;
}

function lockHead(trx: Kysely<DB>, workspaceId: string, postgres: boolean) {
  return trx
    .selectFrom('audit_heads')
    .select(['chain', 'seq', 'hash'])
    .where('workspace_id', '=', workspaceId)
    .$if(postgres, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** A workspace's first event starts its chain, numbered after the others (PostgreSQL: one new chain at a time). */
async function newChain(trx: Kysely<DB>, workspaceId: string, postgres: boolean) {
  if (postgres) await sql`select pg_advisory_xact_lock(${NEW_CHAIN_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_heads').select((eb) => eb.fn.max('chain').as('chain')).executeTakeFirst();
  await trx
    .insertInto('audit_heads')
    .values({ workspace_id: workspaceId, chain: Number(last?.chain ?? 0) + 1, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  return (await lockHead(trx, workspaceId, postgres))!;
}

/** The advisory lock key serializing the creation of chains on PostgreSQL (any fixed number). */
const NEW_CHAIN_LOCK = 0x637573746f73;

/** Appends in the caller's transaction, or in one of its own. */
function append(executor: Kysely<DB>, events: readonly PendingEvent[]): Promise<boolean> {
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
  /** `breakGlassId`: the grant the actor works under, if any — every event they cause carries it. */
  type Who = { workspaceId: string; actorType: string; actorId: string | null; sessionId: string | null; tokenId: string | null; breakGlassId?: string | null } & RequestOrigin;

  function whoIs(actor: Actor): Who {
    return actor.kind === 'user'
      ? { workspaceId: actor.workspaceId, actorType: 'user', actorId: actor.userId, sessionId: actor.sessionId, tokenId: actor.tokenId, ip: actor.ip, userAgent: actor.userAgent, breakGlassId: actor.breakGlassId }
      : { workspaceId: actor.workspaceId, actorType: 'system', actorId: actor.name, sessionId: null, tokenId: null, ip: actor.ip, userAgent: actor.userAgent };
  }

  // Ids of recent contexts and shapes: the same few recur from read to read, and hashing them
  // again would cost each read two SHA-256s. Keys are the hashed fields as JSON (null ≠ "null").
  const contextIds = boundedCache<string>(ID_CACHE_SIZE);
  const shapeIds = boundedCache<string>(ID_CACHE_SIZE);

  function contextOf(who: Who): PendingEvent['context'] {
    const context: EventContext = { actor_type: who.actorType, actor_id: who.actorId, session_id: who.sessionId, token_id: who.tokenId, ip: who.ip, user_agent: who.userAgent };
    const key = JSON.stringify([context.actor_type, context.actor_id, context.session_id, context.token_id, context.ip, context.user_agent]);
    return { ...context, id: contextIds(key, () => contextId(context)) };
  }

  /** `context`: the actor's, when the caller already has it (many events of one actor). */
  function pending<A extends AuditAction>(who: Who, event: AuditEventInput<A>, context = contextOf(who)): PendingEvent {
    const metadata = toDbJson(who.breakGlassId ? { ...event.metadata, breakGlassId: who.breakGlassId } : event.metadata);
    const own = ownMetadata(metadata);
    const shape: EventShape = { action: event.action, object_type: event.object?.type ?? null, outcome: event.outcome, metadata: own === null ? metadata : null };
    return {
      workspaceId: who.workspaceId,
      at: toDbTime(clock.now()),
      context,
      shape: { ...shape, id: shapeIds(JSON.stringify([shape.action, shape.object_type, shape.outcome, shape.metadata]), () => shapeId(shape)) },
      objectId: event.object?.id ?? null,
      metadata: own,
      customerIds: customersOf(event.metadata),
    };
  }

  // Read events waiting for the next commit, and whether a flush is under way.
  const pendingReads: PendingRead[] = [];
  let flushing = false;
  const commitDurably = durableCommitter(db);

  // The object index's background step (object-index.ts), after a chain completed a run: one
  // pass at a time, and one more after it when another run completed meanwhile.
  let indexing = false;
  let indexAgain = false;
  function indexCompletedRuns(): void {
    if (indexing) {
      indexAgain = true;
      return;
    }
    indexing = true;
    // Off the appending request: once the I/O callbacks waiting now have run.
    setImmediate(() => {
      indexObjectRuns(db)
        // A failed pass (the database closed under a CLI command that just appended; another
        // process indexing the same run) is taken up again by the next completed run; until
        // then, lookups read the events not indexed from the trail itself.
        .catch(() => 0)
        .finally(() => {
          indexing = false;
          if (indexAgain) {
            indexAgain = false;
            indexCompletedRuns();
          }
        });
    });
  }

  /** Appends, then starts the object index's step if a run was completed. */
  async function appendAndIndex(executor: Kysely<DB>, events: readonly PendingEvent[]): Promise<void> {
    if (await append(executor, events)) indexCompletedRuns();
  }

  /**
   * Writes the waiting read events, up to READ_BATCH a transaction, until none is left.
   * Each caller's promise settles only once its batch committed (or failed): while one batch
   * commits, the reads that arrive meanwhile queue up for the next.
   */
  async function flushReads(): Promise<void> {
    while (pendingReads.length > 0) {
      const batch = pendingReads.splice(0, READ_BATCH);
      try {
        const completedRun = await commitDurably((trx) => appendToChains(trx, batch));
        for (const pending of batch) pending.resolve();
        if (completedRun) indexCompletedRuns();
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
      return appendAndIndex(executor, [pending(whoIs(actor), event)]);
    },
    /** Records many events of one actor in one statement per chunk (bulk writes: one event per record). */
    async recordMany<A extends AuditAction>(actor: Actor, events: AuditEventInput<A>[], executor: Kysely<DB>): Promise<void> {
      const who = whoIs(actor);
      const context = contextOf(who);
      await appendAndIndex(
        executor,
        events.map((event) => pending(who, event, context)),
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
      return appendAndIndex(executor, [pending(who, event)]);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
