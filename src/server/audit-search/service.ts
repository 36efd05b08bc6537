import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { hasCapability } from '../auth/context.js';
import { isoFromDb } from '../db/mapping.js';
import { badRequest, forbidden } from '../http/errors.js';
import { createTally, shownBy } from './exposure.js';
import { CSV_BOM, csvLine, fileName, jsonLine, type FileFormat } from './file-format.js';
import { decodeCursor, encodeCursor, filterShape, parseAction, parseRange, type Position } from './query.js';
import { SEARCH_LIMITS } from './schema.js';
import { countEvents, findEvents, findToken, findUsers, lastSeq, listTokens, listUsers, nthEvent, type EventFilters, type EventRow } from './store.js';
import type { AuditActor, AuditEvent, ExposureAnswer } from '../../shared/audit.js';

/** The search's parameters as the query string gives them. */
export interface SearchInput {
  actor?: string;
  customerId?: string;
  action?: string;
  from?: string;
  to?: string;
  outcome?: string;
  cursor?: string;
  limit?: number;
}

export interface ExposureInput {
  actor?: string;
  customerId?: string;
  from?: string;
  to?: string;
  limit?: number;
}



/** A file on its way out: how many rows, where the next file starts if a bound cut this one, and its lines. */
export interface AuditFile {
  rows: number;
  nextCursor: string | null;
  fileName: string;
  lines: Iterable<string> | AsyncIterable<string>;
}

/** Rows a file reads per query while it streams. */
const FILE_BATCH = 1_000;
/** Events breach scoping reads per query. */
const EXPOSURE_BATCH = 2_000;

export const EVENT_CSV_COLUMNS = ['id', 'seq', 'at', 'actorType', 'actorId', 'actorName', 'actorEmail', 'sessionId', 'tokenId', 'ip', 'userAgent', 'action', 'objectType', 'objectId', 'outcome', 'metadata'] as const;

function eventCells(event: AuditEvent): unknown[] {
  const { actor, object } = event;
  return [event.id, event.seq, event.at, actor.type, actor.id, actor.name, actor.email, event.sessionId, event.tokenId, event.ip, event.userAgent, event.action, object?.type, object?.id, event.outcome, event.metadata];
}

const levelsText = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, level]) => `${key}:${level}`)
    .join('; ');

function parseMetadata(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const positionOf = (row: Pick<EventRow, 'at' | 'seq'>): Position => ({ at: Number(row.at), seq: Number(row.seq) });

/**
 * Search, export and breach scoping over the workspace's audit trail (issue #5), for those whose
 * role has `readAudit`. Every search, export and exposure question is itself recorded — by filter
 * names, never their values — so who looked into whom stays on the record.
 */
export function createAuditSearch({
  db,
  clock,
  audit,
  limits = SEARCH_LIMITS,
}: {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record' | 'recordRead'>;
  /** The bounds on files and exposure scans (tests pass small ones to reach them). */
  limits?: { exportRows: number; exposureEvents: number };
}) {
  function authorize(actor: Actor): void {
    if (!hasCapability(actor, 'readAudit')) throw forbidden('forbidden', 'Your role may not read the audit trail.');
  }

  /** Users' names and emails by id, looked up once per id for a page or a whole file. */
  function actorNames(workspaceId: string) {
    const known = new Map<string, { name: string; email: string } | null>();
    return {
      async load(ids: Iterable<string | null>): Promise<void> {
        const missing = [...new Set([...ids].filter((id): id is string => id !== null && !known.has(id)))];
        for (const id of missing) known.set(id, null);
        for (const user of await findUsers(db, workspaceId, missing)) known.set(user.id, { name: user.display_name, email: user.email });
      },
      present(type: string, id: string | null): AuditActor {
        if (type === 'system') return { type, id, name: id, email: null };
        const user = id ? known.get(id) : null;
        return { type, id, name: user?.name ?? null, email: user?.email ?? null };
      },
    };
  }
  type ActorNames = ReturnType<typeof actorNames>;

  function presentEvent(row: EventRow, names: ActorNames): AuditEvent {
    return {
      id: row.id,
      seq: Number(row.seq),
      at: isoFromDb(row.at)!,
      actor: names.present(row.actor_type, row.actor_id),
      sessionId: row.session_id,
      tokenId: row.token_id,
      ip: row.ip,
      userAgent: row.user_agent,
      action: row.action,
      object: row.object_type && row.object_id ? { type: row.object_type, id: row.object_id } : null,
      outcome: row.outcome,
      metadata: parseMetadata(row.metadata),
    };
  }

  /** `actor` as filters: a token's id stands for its user's events made with it; anything else is a user's id or a system job's name. */
  async function actorFilters(workspaceId: string, actor: string | undefined): Promise<Pick<EventFilters, 'actorId' | 'tokenId'>> {
    if (!actor) return {};
    const token = await findToken(db, workspaceId, actor);
    return token ? { actorId: token.user_id, tokenId: token.id } : { actorId: actor };
  }

  async function searchFilters(workspaceId: string, input: SearchInput): Promise<EventFilters> {
    return {
      ...(await actorFilters(workspaceId, input.actor)),
      ...parseRange(input.from, input.to),
      ...(input.customerId ? { customerId: input.customerId } : {}),
      ...(input.action ? { action: parseAction(input.action) } : {}),
      ...(input.outcome ? { outcome: input.outcome } : {}),
      ...(input.cursor ? { before: decodeCursor(input.cursor) } : {}),
    };
  }

  /** Rows of a file, read a batch at a time from where the filters start, `total` at most. */
  async function* fileLines(workspaceId: string, filters: EventFilters, total: number, format: FileFormat): AsyncGenerator<string> {
    const names = actorNames(workspaceId);
    if (format === 'csv') yield CSV_BOM + csvLine(EVENT_CSV_COLUMNS);
    let sent = 0;
    let before = filters.before;
    while (sent < total) {
      const batch = await findEvents(db, workspaceId, { ...filters, before }, Math.min(FILE_BATCH, total - sent));
      if (batch.length === 0) return;
      await names.load(batch.map((row) => row.actor_id));
      const events = batch.map((row) => presentEvent(row, names));
      yield events.map((event) => (format === 'csv' ? csvLine(eventCells(event)) : jsonLine(event))).join('');
      sent += batch.length;
      before = positionOf(batch.at(-1)!);
    }
  }

  /**
   * Reads every exposing event the filters match, a batch at a time, into `take`. Bounded: a
   * range holding more than `limits.exposureEvents` of them is refused, asking for a
   * shorter one, rather than answered in part.
   */
  async function scanExposure(workspaceId: string, filters: EventFilters, take: (row: EventRow) => void): Promise<void> {
    let before: Position | undefined;
    let scanned = 0;
    for (;;) {
      const batch = await findEvents(db, workspaceId, { ...filters, exposing: true, outcome: 'success', before }, EXPOSURE_BATCH);
      scanned += batch.length;
      if (scanned > limits.exposureEvents) {
        throw badRequest('exposure_too_broad', `More than ${limits.exposureEvents.toLocaleString('en')} reads in this range: choose a shorter time range.`, 'from');
      }
      batch.forEach(take);
      if (batch.length < EXPOSURE_BATCH) return;
      before = positionOf(batch.at(-1)!);
    }
  }

  /**
   * Which customers an actor saw (or, asked about a customer, who saw them), with the fields and
   * levels, first and last time and how many events; the subject of the question for its audit event.
   */
  async function exposure(actor: Actor, input: ExposureInput) {
    authorize(actor);
    if ((input.actor === undefined) === (input.customerId === undefined)) {
      throw badRequest('exposure_subject', 'Ask about one actor (actor=) or one customer (customerId=).', input.actor === undefined ? 'actor' : 'customerId');
    }
    const workspaceId = actor.workspaceId;
    const range = parseRange(input.from, input.to);
    const filters = { from: input.from, to: input.to };
    const tally = createTally();

    if (input.actor !== undefined) {
      const subject = await actorFilters(workspaceId, input.actor);
      const unnamedExports = { events: 0, rows: 0 };
      await scanExposure(workspaceId, { ...subject, ...range }, (row) => {
        const shown = shownBy(row);
        if (shown.customerIds.length === 0 && shown.exportedRows === 0) return;
        tally.countEvent(Number(row.at));
        if (shown.customerIds.length === 0) {
          unnamedExports.events += 1;
          unnamedExports.rows += shown.exportedRows;
        }
        for (const customerId of shown.customerIds) tally.add(customerId, Number(row.at), shown, row.token_id);
      });
      const objectType = subject.tokenId ? 'token' : (await findUsers(db, workspaceId, [input.actor])).length > 0 ? 'user' : 'system';
      const customers = tally.entries().map(({ key, ...seen }) => ({ customerId: key, ...seen }));
      return { by: 'actor' as const, object: { type: objectType, id: input.actor }, filters, customers, actors: null, unnamedExports, tally };
    }

    const customerId = input.customerId!;
    const actorsByKey = new Map<string, { type: string; id: string | null }>();
    await scanExposure(workspaceId, { customerId, ...range }, (row) => {
      const shown = shownBy(row);
      if (!shown.customerIds.includes(customerId)) return;
      const key = `${row.actor_type}:${row.actor_id ?? ''}`;
      actorsByKey.set(key, { type: row.actor_type, id: row.actor_id });
      tally.countEvent(Number(row.at));
      tally.add(key, Number(row.at), shown, row.token_id);
    });
    const names = actorNames(workspaceId);
    await names.load([...actorsByKey.values()].map((a) => a.id));
    const actors = tally.entries().map(({ key, ...seen }) => {
      const { type, id } = actorsByKey.get(key)!;
      return { actor: names.present(type, id), ...seen };
    });
    return { by: 'customer' as const, object: { type: 'customer', id: customerId }, filters, customers: null, actors, unnamedExports: null, tally };
  }

  return {
    authorize,

    /** A page of events, newest first, filtered; recorded as `audit.searched`. */
    async search(actor: Actor, input: SearchInput): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
      authorize(actor);
      const limit = input.limit ?? SEARCH_LIMITS.defaultPage;
      const rows = await findEvents(db, actor.workspaceId, await searchFilters(actor.workspaceId, input), limit + 1);
      const page = rows.slice(0, limit);
      const names = actorNames(actor.workspaceId);
      await names.load(page.map((row) => row.actor_id));
      const items = page.map((row) => presentEvent(row, names));
      await audit.recordRead(actor, { action: 'audit.searched', outcome: 'success', metadata: { filters: filterShape(input), page: input.cursor !== undefined, results: items.length } });
      const last = page.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
    },

    /**
     * Every matching event as a file, newest first, up to `limits.exportRows` rows; past
     * that, `nextCursor` says where the next file starts. The rows are those recorded before the
     * export began (a snapshot of the chain position), so the count in its `audit.exported`
     * event — committed before the first row leaves — is exactly what the file holds.
     */
    async exportEvents(actor: Actor, input: SearchInput, format: FileFormat): Promise<AuditFile> {
      authorize(actor);
      const workspaceId = actor.workspaceId;
      const filters = { ...(await searchFilters(workspaceId, input)), maxSeq: await lastSeq(db, workspaceId) };
      const matched = await countEvents(db, workspaceId, filters, limits.exportRows + 1);
      const truncated = matched > limits.exportRows;
      const rows = Math.min(matched, limits.exportRows);
      const lastRow = truncated ? await nthEvent(db, workspaceId, filters, rows) : null;
      await audit.record(actor, { action: 'audit.exported', outcome: 'success', metadata: { what: 'events', format, rows, filters: filterShape(input), truncated } });
      return { rows, nextCursor: lastRow ? encodeCursor(lastRow) : null, fileName: fileName('audit-events', clock.now(), format), lines: fileLines(workspaceId, filters, rows, format) };
    },

    /** Breach scoping as JSON (the `limit` most recent entries, with the totals); recorded as `audit.exposure_queried`. */
    async exposure(actor: Actor, input: ExposureInput): Promise<ExposureAnswer> {
      const answer = await exposure(actor, input);
      const limit = input.limit ?? SEARCH_LIMITS.defaultExposureList;
      const { tally } = answer;
      const total = answer.customers?.length ?? answer.actors!.length;
      await audit.recordRead(actor, { action: 'audit.exposure_queried', outcome: 'success', metadata: { by: answer.by, filters: filterShape(answer.filters), results: total }, object: answer.object });
      const common = { events: tally.events, days: tally.days() };
      return answer.customers
        ? { customers: answer.customers.slice(0, limit), totalCustomers: total, unnamedExports: answer.unnamedExports!, ...common }
        : { actors: answer.actors!.slice(0, limit), totalActors: total, ...common };
    },

    /** Breach scoping as CSV, every entry; recorded as `audit.exported`, committed before the file leaves. */
    async exposureFile(actor: Actor, input: ExposureInput): Promise<AuditFile> {
      const answer = await exposure(actor, input);
      const lines: string[] = [];
      if (answer.customers) {
        lines.push(CSV_BOM + csvLine(['customerId', 'firstSeen', 'lastSeen', 'events', 'fields', 'activity', 'tokenIds']));
        for (const c of answer.customers) lines.push(csvLine([c.customerId, c.firstSeen, c.lastSeen, c.events, levelsText(c.fields), c.activity.join('; '), c.tokenIds.join('; ')]));
      } else {
        lines.push(CSV_BOM + csvLine(['actorType', 'actorId', 'actorName', 'actorEmail', 'tokenIds', 'firstSeen', 'lastSeen', 'events', 'fields', 'activity']));
        for (const a of answer.actors!) {
          lines.push(csvLine([a.actor.type, a.actor.id, a.actor.name, a.actor.email, a.tokenIds.join('; '), a.firstSeen, a.lastSeen, a.events, levelsText(a.fields), a.activity.join('; ')]));
        }
      }
      const rows = lines.length - 1;
      await audit.record(actor, { action: 'audit.exported', outcome: 'success', metadata: { what: 'exposure', format: 'csv', rows, filters: filterShape(answer.filters), truncated: false }, object: answer.object });
      return { rows, nextCursor: null, fileName: fileName(`audit-exposure-${answer.by}`, clock.now(), 'csv'), lines };
    },

    /** Who may be asked about: the workspace's users and every token they made (revoked ones too). */
    async actors(actor: Actor) {
      authorize(actor);
      const [users, tokens] = await Promise.all([listUsers(db, actor.workspaceId), listTokens(db, actor.workspaceId)]);
      return {
        users: users.map((u) => ({ id: u.id, displayName: u.display_name, email: u.email, status: u.status })),
        tokens: tokens.map((token) => ({
          id: token.id,
          name: token.name,
          userId: token.user_id,
          createdAt: isoFromDb(token.created_at)!,
          expiresAt: isoFromDb(token.expires_at)!,
          revokedAt: isoFromDb(token.revoked_at),
        })),
      };
    },
  };
}

export type AuditSearch = ReturnType<typeof createAuditSearch>;
