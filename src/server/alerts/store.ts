import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { AlertsTable, AuditEventsTable, DB } from '../db/schema.js';
import { INSTALLATION_SCOPE } from '../audit/service.js';

export type AlertRow = Selectable<AlertsTable>;
/** The columns of an audit event the rules read (never the hash). */
export type TrailEvent = Pick<Selectable<AuditEventsTable>, 'seq' | 'at' | 'actor_type' | 'actor_id' | 'token_id' | 'ip' | 'action' | 'object_id' | 'metadata'>;

const EVENT_COLUMNS = ['seq', 'at', 'actor_type', 'actor_id', 'token_id', 'ip', 'action', 'object_id', 'metadata'] as const;

/** Workspaces whose chain has events the detector has not read yet, with how far it read (0: never). */
export async function workspacesBehind(db: Kysely<DB>): Promise<{ workspaceId: string; cursor: number }[]> {
  const rows = await db
    .selectFrom('audit_heads')
    .innerJoin('workspaces', 'workspaces.id', 'audit_heads.workspace_id')
    .leftJoin('alert_cursors', 'alert_cursors.workspace_id', 'audit_heads.workspace_id')
    .select(['audit_heads.workspace_id', 'audit_heads.seq as head', 'alert_cursors.seq as cursor'])
    .where('audit_heads.workspace_id', '!=', INSTALLATION_SCOPE)
    .execute();
  return rows
    .map((row) => ({ workspaceId: row.workspace_id, head: Number(row.head), cursor: row.cursor === null ? 0 : Number(row.cursor) }))
    .filter((row) => row.head > row.cursor)
    .map(({ workspaceId, cursor }) => ({ workspaceId, cursor }));
}

/** The next events of a workspace's chain after `afterSeq`, in chain order. */
export function eventsAfter(db: Kysely<DB>, workspaceId: string, afterSeq: number, limit: number): Promise<TrailEvent[]> {
  return db.selectFrom('audit_events').select(EVENT_COLUMNS).where('workspace_id', '=', workspaceId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/**
 * Moves the workspace's cursor from `from` to `to`; false when another detector (a second
 * server) moved it first — that one reads, judges and answers for these events.
 */
export async function claimCursor(trx: Transaction<DB>, workspaceId: string, from: number, to: number, now: number): Promise<boolean> {
  if (from === 0) {
    const inserted = await trx
      .insertInto('alert_cursors')
      .values({ workspace_id: workspaceId, seq: to, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  }
  const updated = await trx.updateTable('alert_cursors').set({ seq: to, updated_at: now }).where('workspace_id', '=', workspaceId).where('seq', '=', from).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * The most a window is read: far above any threshold, so a rule still fires, while someone
 * producing millions of events (or a long backlog) cannot make each batch re-read all of them.
 */
export const WINDOW_EVENTS_LIMIT = 10_000;

/**
 * A person's events of some kinds (`actions`, or every action ending in `suffix`) in a time
 * window, counting only chain positions in (afterSeq, upToSeq]: what an earlier alert counted is
 * not counted again, and what the detector has not reached yet is not counted early. At most
 * the latest WINDOW_EVENTS_LIMIT of them, oldest first.
 */
export function subjectEvents(
  db: Kysely<DB>,
  workspaceId: string,
  query: { actorId: string; actions?: readonly string[]; suffix?: string; excludePrefix?: string; from: number; to: number; afterSeq: number; upToSeq: number },
): Promise<TrailEvent[]> {
  return db
    .selectFrom('audit_events')
    .select(EVENT_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('actor_id', '=', query.actorId)
    .where('at', '>=', query.from)
    .where('at', '<=', query.to)
    .where('seq', '>', query.afterSeq)
    .where('seq', '<=', query.upToSeq)
    .$if(query.actions !== undefined, (q) => q.where('action', 'in', [...query.actions!]))
    .$if(query.suffix !== undefined, (q) => q.where('action', 'like', `%${query.suffix!}`))
    .$if(query.excludePrefix !== undefined, (q) => q.where('action', 'not like', `${query.excludePrefix!}%`))
    .orderBy('seq', 'desc')
    .limit(WINDOW_EVENTS_LIMIT)
    .execute()
    .then((rows) => rows.reverse());
}

/**
 * Whether a user's signed-in activity (through a session, or through `tokenId` when given)
 * came from `ip` since `since`, before `beforeSeq`.
 */
export async function seenFrom(db: Kysely<DB>, workspaceId: string, who: { userId: string; tokenId: string | null }, ip: string, since: number, beforeSeq: number): Promise<boolean> {
  const row = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('workspace_id', '=', workspaceId)
    .where('actor_id', '=', who.userId)
    .where('at', '>=', since)
    .where('seq', '<', beforeSeq)
    .where('actor_type', '=', 'user')
    .where('ip', '=', ip)
    .where((eb) => (who.tokenId === null ? eb('token_id', 'is', null) : eb('token_id', '=', who.tokenId)))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the user (through a session, or through `tokenId`) did anything from any address before `beforeSeq`. */
export async function hasEarlierActivity(db: Kysely<DB>, workspaceId: string, who: { userId: string; tokenId: string | null }, beforeSeq: number): Promise<boolean> {
  const row = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('workspace_id', '=', workspaceId)
    .where('actor_id', '=', who.userId)
    .where('seq', '<', beforeSeq)
    .where('actor_type', '=', 'user')
    .where('ip', 'is not', null)
    .where((eb) => (who.tokenId === null ? eb('token_id', 'is', null) : eb('token_id', '=', who.tokenId)))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The latest alert a rule raised about a subject: the window it closed and the events it counted. */
export async function latestAlert(db: Kysely<DB>, workspaceId: string, rule: string, subject: string): Promise<{ windowEnd: number; lastSeq: number } | null> {
  const row = await db
    .selectFrom('alerts')
    .select(['window_end', 'last_seq'])
    .where('workspace_id', '=', workspaceId)
    .where('rule', '=', rule)
    .where('subject', '=', subject)
    .orderBy('window_end', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { windowEnd: Number(row.window_end), lastSeq: Number(row.last_seq) } : null;
}

export function ruleRows(db: Kysely<DB>, workspaceId: string) {
  return db.selectFrom('alert_rules').selectAll().where('workspace_id', '=', workspaceId).execute();
}

export async function upsertRule(trx: Transaction<DB>, row: Insertable<DB['alert_rules']>): Promise<void> {
  await trx
    .insertInto('alert_rules')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'rule']).doUpdateSet({ enabled: row.enabled, action: row.action, params: row.params, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}

export async function insertAlert(trx: Transaction<DB>, row: Insertable<AlertsTable>): Promise<void> {
  await trx.insertInto('alerts').values(row).execute();
}

/** Users of a workspace by id: what alerts say about the people in them. */
export function usersByIds(db: Kysely<DB>, workspaceId: string, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'email', 'display_name', 'locale', 'role', 'status']).where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute();
}

export function workspaceName(db: Kysely<DB>, workspaceId: string): Promise<string> {
  return db
    .selectFrom('workspaces')
    .select('name')
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
    .then((row) => row.name);
}

/** An alert with the names of the people it concerns (who it is about, who acknowledged and resolved it). */
function alertsWithPeople(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('alerts')
    .leftJoin('users as subject', (join) => join.onRef('subject.workspace_id', '=', 'alerts.workspace_id').onRef('subject.id', '=', 'alerts.actor_id'))
    .leftJoin('users as acknowledger', (join) => join.onRef('acknowledger.workspace_id', '=', 'alerts.workspace_id').onRef('acknowledger.id', '=', 'alerts.acknowledged_by'))
    .leftJoin('users as resolver', (join) => join.onRef('resolver.workspace_id', '=', 'alerts.workspace_id').onRef('resolver.id', '=', 'alerts.resolved_by'))
    .selectAll('alerts')
    .select([
      'subject.display_name as actor_name',
      'subject.email as actor_email',
      'acknowledger.display_name as acknowledged_by_name',
      'resolver.display_name as resolved_by_name',
    ])
    .where('alerts.workspace_id', '=', workspaceId);
}

export type AlertWithPeople = NonNullable<Awaited<ReturnType<typeof findAlert>>>;

export function findAlert(db: Kysely<DB>, workspaceId: string, id: string) {
  return alertsWithPeople(db, workspaceId).where('alerts.id', '=', id).executeTakeFirst();
}

/** Newest first, by id (time-ordered); `unresolved` leaves out the resolved ones. */
export function listAlerts(db: Kysely<DB>, workspaceId: string, options: { unresolved: boolean; before: string | null; limit: number }) {
  return alertsWithPeople(db, workspaceId)
    .$if(options.unresolved, (q) => q.where('alerts.status', '!=', 'resolved'))
    .$if(options.before !== null, (q) => q.where('alerts.id', '<', options.before!))
    .orderBy('alerts.id', 'desc')
    .limit(options.limit)
    .execute();
}

/** Moves an alert from one of `from` to `status`; false when it was in none of them (someone else moved it first). */
export async function setAlertStatus(
  trx: Transaction<DB>,
  workspaceId: string,
  id: string,
  from: readonly string[],
  changes: Pick<AlertsTable, 'status'> & Partial<Pick<AlertsTable, 'acknowledged_at' | 'acknowledged_by' | 'resolved_at' | 'resolved_by'>>,
): Promise<boolean> {
  const result = await trx.updateTable('alerts').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setAlertOutcome(executor: Kysely<DB>, workspaceId: string, id: string, changes: Partial<Pick<AlertsTable, 'action_result' | 'mail'>>): Promise<void> {
  await executor.updateTable('alerts').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
