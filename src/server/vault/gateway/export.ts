import type { Actor } from '../../actor.js';
import { CUSTOMER_KINDS, type CustomerKind, type FieldDefinition, type Sensitivity } from '../../../shared/fields.js';
import { RELATIONS, scopeRank, type Scope } from '../../../shared/permissions.js';
import { AppError, badRequest } from '../../http/errors.js';
import { authorizeCustomers, levelOf } from '../policy.js';
import type { Registry } from '../field-registry.js';
import { countCustomers, queryCustomers, type CustomerRow } from '../store.js';
import { parseFilter, parseSort, type Cursor, type Filter, type Sort } from './list-query.js';
import { sortValueOf } from './records.js';
import { reachOf, refuseHidden, type Reach } from './reach.js';
import type { CustomerRecord, GatewayContext } from './context.js';

// Exports of the customers list (issue 7): the same query as the list, in the caller's export
// scope, each row presented at the caller's field levels (hidden fields absent, masked values
// masked, sensitive values never in clear), handed page by page to a sink that writes the file.
// Every page leaves an audit event naming its customers, in the order: authorize, decrypt, audit.

/** Above this many rows an export needs a stated reason (as does any personal or sensitive column). */
export const EXPORT_REASON_ROWS = 1_000;
export const EXPORT_REASON_MIN_LENGTH = 5;
/** Rows read, presented, written and audited at a time: one audit event links at most this many customers. */
export const EXPORT_PAGE_ROWS = 500;

export interface ExportQuery {
  q?: string;
  kind?: CustomerKind;
  filters?: string[];
  sort?: string;
  /** Field keys, in order; absent: every field the caller may see. */
  columns?: string[];
  reason?: string;
}

/** A column of the file: a field's key, its labels for the header, and its class (for the reason rule). */
export interface ExportColumn {
  key: string;
  labels: { en: string; 'zh-CN': string };
  sensitivity: Sensitivity;
}

/** An export checked and counted, ready to run: what `planExport` answers and `exportCustomers` runs. */
export interface ExportPlan {
  columns: ExportColumn[];
  /** Customers the query matches in the caller's export scope, when counted. */
  rows: number;
  reasonRequired: boolean;
  reason: string | null;
  kind: CustomerKind | undefined;
  filters: Filter[];
  sort: Sort;
  search: { as: string; ids: string[]; text: string | null } | null;
  reach: Reach | null;
}

/** Where the rows go: each page of presented records, in order; the export stops when `signal` aborts. */
export interface ExportSink {
  /** Audit only: the file's format and the job that wrote it. */
  format: string;
  exportId: string;
  signal?: AbortSignal;
  write(records: readonly CustomerRecord[]): Promise<void>;
}

const narrower = (a: Scope, b: Scope): Scope => (scopeRank(a) <= scopeRank(b) ? a : b);
const rank = (sensitivity: Sensitivity) => ['public', 'internal', 'personal', 'sensitive'].indexOf(sensitivity);

/** Refuses an export that needs a reason and was given none (or too short a one). */
export function requireExportReason(plan: Pick<ExportPlan, 'reasonRequired' | 'reason'>): void {
  if (plan.reasonRequired && (plan.reason ?? '').length < EXPORT_REASON_MIN_LENGTH) {
    throw badRequest(
      'reason_required',
      `Say why you export these customers (at least ${EXPORT_REASON_MIN_LENGTH} characters): more than ${EXPORT_REASON_ROWS.toLocaleString('en')} rows or personal data need a reason.`,
      'reason',
    );
  }
}

type Searcher = (actor: Actor, registry: Registry, q: string) => Promise<{ as: string; ids: string[]; text: string | null }>;
type Presenter = (actor: Actor, rows: readonly CustomerRow[]) => Promise<{ records: CustomerRecord[] }>;

/**
 * The export part of the gateway. It takes the list's own search and presentation (records.ts)
 * so an export shows exactly what the list would show the caller, nothing more.
 */
export function customerExport(ctx: GatewayContext, list: { searchFor: Searcher; presentAll: Presenter }) {
  const { db, audit, fields } = ctx;

  return {
    /**
     * Checks an export (the `export` action, the query, the columns) and counts its rows,
     * deciding whether it needs a reason. Reads no customer value: it answers the estimate too.
     */
    async planExport(actor: Actor, query: ExportQuery): Promise<ExportPlan> {
      const scope = narrower(authorizeCustomers(actor, 'export'), authorizeCustomers(actor, 'read'));
      const registry = await fields.load(actor.workspaceId);
      const filters = (query.filters ?? []).map((text) => parseFilter(registry, text, query.kind));
      const sort = parseSort(registry, query.sort, query.kind);
      for (const { key } of [...filters, sort]) refuseHidden(actor, registry, key, query.kind);
      const kinds = query.kind ? [query.kind] : CUSTOMER_KINDS;
      // A field the caller may see on some record: on the others its cells stay empty.
      const visible = (field: FieldDefinition) => RELATIONS.some((relation) => levelOf(actor, field, relation) !== 'hidden');
      const byKey = new Map<string, ExportColumn>();
      for (const kind of kinds) {
        for (const field of registry.of(kind)) {
          const known = byKey.get(field.key);
          if (!visible(field)) continue;
          // A key of both kinds (name) is as sensitive as its most sensitive definition.
          if (!known || rank(field.sensitivity) > rank(known.sensitivity)) byKey.set(field.key, { key: field.key, labels: known?.labels ?? field.labels, sensitivity: field.sensitivity });
        }
      }
      const columns = query.columns
        ? [...new Set(query.columns)].map((key) => {
            const column = byKey.get(key);
            if (column) return column;
            const hidden = kinds.some((kind) => registry.find(kind, key));
            if (hidden) throw new AppError(403, 'field_hidden', `Your role may not see ${key}: it cannot be exported.`, 'columns');
            throw badRequest('unknown_field', `There is no field "${key}" to export.`, 'columns');
          })
        : [...byKey.values()];
      const search = query.q?.trim() ? await list.searchFor(actor, registry, query.q.trim()) : null;
      const reach = reachOf(actor, scope);
      const rows = await countCustomers(db, actor.workspaceId, { kind: query.kind, filters, search: search ?? undefined, reach });
      const reason = query.reason?.trim() || null;
      const reasonRequired = rows > EXPORT_REASON_ROWS || columns.some((column) => column.sensitivity === 'personal' || column.sensitivity === 'sensitive');
      return { columns, rows, reasonRequired, reason, kind: query.kind, filters, sort, search, reach };
    },

    /**
     * Runs a planned export: page after page in the list's order, each presented to the actor,
     * written to the sink, then recorded (`customers.exported` with the page's customers, the
     * fields, the query's shape and the reason). Stops between pages when the sink's signal
     * aborts. Answers how many rows were written.
     */
    async exportCustomers(actor: Actor, plan: ExportPlan, sink: ExportSink): Promise<number> {
      requireExportReason(plan);
      const keys = plan.columns.map((column) => column.key);
      const wanted = new Set(keys);
      const shape = {
        search: plan.search?.as ?? null,
        kind: plan.kind ?? null,
        filters: plan.filters.map((f) => `${f.key}:${f.op}`),
        sort: `${plan.sort.direction === 'desc' ? '-' : ''}${plan.sort.key}`,
      };
      // One event per page, naming its customers (an export that matched none is recorded too, with none).
      const recordPage = (ids: string[]) =>
        audit.record(actor, {
          action: 'customers.exported',
          outcome: 'success',
          metadata: { rows: ids.length, exportId: sink.exportId, format: sink.format, fields: keys, filters: shape, customerIds: ids, ...(plan.reason ? { reason: plan.reason } : {}) },
        });
      let after: Cursor | null = null;
      let written = 0;
      for (;;) {
        if (sink.signal?.aborted) return written;
        const rows = await queryCustomers(db, actor.workspaceId, {
          kind: plan.kind,
          filters: plan.filters,
          sort: plan.sort,
          after,
          search: plan.search ?? undefined,
          reach: plan.reach,
          limit: EXPORT_PAGE_ROWS,
        });
        if (rows.length === 0) {
          if (written === 0) await recordPage([]);
          return written;
        }
        const { records } = await list.presentAll(actor, rows);
        // Only the columns asked for leave: the record's other fields are dropped here.
        const shaped = records.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => wanted.has(key) || key === 'id' || key === 'kind')) as CustomerRecord);
        await sink.write(shaped);
        written += rows.length;
        await recordPage(rows.map((row) => row.id));
        const last = rows[rows.length - 1]!;
        if (rows.length < EXPORT_PAGE_ROWS) return written;
        after = { value: sortValueOf(plan.sort, last), id: last.id };
        // Between pages, the server answers its other requests.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
