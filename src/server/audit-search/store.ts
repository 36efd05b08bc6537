import type { Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, DB } from '../db/schema.js';
import { objectEventSeqs } from '../audit/object-index.js';
import { EXPOSING_READS, EXPORTED_SUFFIX } from './exposure.js';
import type { ActionMatch, Position } from './query.js';

// SQL only. The audit search reads the audit trail's tables, and — to show who an actor is and
// to resolve a token to its user — the users' and tokens' names; it writes none of them.

export interface EventFilters {
  /** A user's events (by session or token; a failed sign-in of their account), or a system job's (its name). */
  actorId?: string;
  /** Of those, only the ones made with this token. */
  tokenId?: string;
  /** Events about the customer: their object, or one of the customers a list page or lookup showed. */
  customerId?: string;
  action?: ActionMatch;
  /** Only the events that showed customer data (reads and exports; see exposure.ts). */
  exposing?: boolean;
  outcome?: string;
  /** Inclusive, epoch milliseconds. */
  from?: number;
  to?: number;
  /** Not past this chain position: an export's snapshot, unchanged by what is recorded while it streams. */
  maxSeq?: number;
  /** Older than this event (the keyset cursor). */
  before?: Position;
}

export type EventRow = Omit<Selectable<AuditEventsTable>, 'workspace_id' | 'hash'>;

const EVENT_COLUMNS = ['seq', 'id', 'at', 'actor_type', 'actor_id', 'session_id', 'token_id', 'ip', 'user_agent', 'action', 'object_type', 'object_id', 'outcome', 'metadata'] as const;

/** The workspace's events matching `filters`; every query here starts from it, so none reads another workspace. */
function matching(db: Kysely<DB>, workspaceId: string, filters: EventFilters) {
  const { actorId, tokenId, customerId, action, exposing, outcome, from, to, maxSeq, before } = filters;
  return db
    .selectFrom('audit_events')
    .where('workspace_id', '=', workspaceId)
    .$if(actorId !== undefined, (q) => q.where('actor_id', '=', actorId!))
    .$if(tokenId !== undefined, (q) => q.where('token_id', '=', tokenId!))
    .$if(customerId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('seq', 'in', objectEventSeqs(db, workspaceId, customerId!)),
          eb('seq', 'in', eb.selectFrom('audit_event_customers').select('seq').where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId!)),
        ]),
      ),
    )
    .$if(action !== undefined && 'exact' in action, (q) => q.where('action', '=', (action as { exact: string }).exact))
    // A prefix compared as a substring: exact in both dialects (no LIKE wildcards to escape, no collation reordering punctuation).
    .$if(action !== undefined && 'prefix' in action, (q) => {
      const { prefix } = action as { prefix: string };
      return q.where((eb) => eb(eb.fn<string>('substr', ['action', eb.val(1), eb.val(prefix.length)]), '=', prefix));
    })
    .$if(exposing === true, (q) =>
      q.where((eb) => eb.or([eb('action', 'in', [...EXPOSING_READS]), eb.and([eb('action', 'like', `%${EXPORTED_SUFFIX}`), eb('action', 'not like', 'audit.%')])])),
    )
    .$if(outcome !== undefined, (q) => q.where('outcome', '=', outcome!))
    .$if(from !== undefined, (q) => q.where('at', '>=', from!))
    .$if(to !== undefined, (q) => q.where('at', '<=', to!))
    .$if(maxSeq !== undefined, (q) => q.where('seq', '<=', maxSeq!))
    .$if(before !== undefined, (q) => q.where((eb) => eb.or([eb('at', '<', before!.at), eb.and([eb('at', '=', before!.at), eb('seq', '<', before!.seq)])])));
}

/** Newest first: by time, then by chain position (events of one instant keep their chain order). */
export function findEvents(db: Kysely<DB>, workspaceId: string, filters: EventFilters, limit: number): Promise<EventRow[]> {
  return matching(db, workspaceId, filters).select(EVENT_COLUMNS).orderBy('at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
}

/** How many events match, counting no further than `cap`. */
export async function countEvents(db: Kysely<DB>, workspaceId: string, filters: EventFilters, cap: number): Promise<number> {
  const capped = matching(db, workspaceId, filters).select('seq').limit(cap);
  const row = await db
    .selectFrom(capped.as('matched'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The position of the n-th matching event (1-based), newest first. */
export async function nthEvent(db: Kysely<DB>, workspaceId: string, filters: EventFilters, n: number): Promise<Position | null> {
  const row = await matching(db, workspaceId, filters)
    .select(['at', 'seq'])
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .offset(n - 1)
    .executeTakeFirst();
  return row ? { at: Number(row.at), seq: Number(row.seq) } : null;
}

/** The workspace's last chain position (0 before its first event). */
export async function lastSeq(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** The workspace's users by id, for naming actors. */
export function findUsers(db: Kysely<DB>, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'display_name', 'email']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

export function listUsers(db: Kysely<DB>, workspaceId: string) {
  return db.selectFrom('users').select(['id', 'display_name', 'email', 'status']).where('workspace_id', '=', workspaceId).orderBy('display_name').orderBy('id').execute();
}

/** A personal access token of the workspace: its user is the actor of what it did. */
export function findToken(db: Kysely<DB>, workspaceId: string, id: string) {
  return db.selectFrom('api_tokens').select(['id', 'user_id']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Every token the workspace's users made, revoked and expired ones included: they may be what a breach is about. */
export function listTokens(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'user_id', 'created_at', 'expires_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}
