import type { Actor } from '../../actor.js';
import { CUSTOMER_KINDS, type CustomerKind, type FieldDefinition, type Visibility } from '../../../shared/fields.js';
import { fromDbJson, toDbTime } from '../../db/mapping.js';
import { AppError, badRequest, notFound } from '../../http/errors.js';
import type { Registry } from '../field-registry.js';
import { blindIndex } from '../crypto/blind-index.js';
import { standardizeValue } from '../field-values.js';
import { authorizeCustomers, authorizeWrite, casesMatter, levelOf, reaches, recordActions, relationTo, type RecordActions } from '../policy.js';
import { openCaseOwners } from '../case-store.js';
import { hiddenField, reachOf, refuseHidden } from './reach.js';
import { queryTokens } from '../standardize/index.js';
import {
  deletedBefore,
  eraseCustomer,
  findCustomer,
  findCustomerIdsByAnyToken,
  findCustomerIdsByTokens,
  queryCustomers,
  sharedLookupField,
  updateCustomer,
  type CustomerRow,
} from '../store.js';
import { decodeCursor, encodeCursor, parseFilter, parseSort, type FilterValue, type Sort } from './list-query.js';
import { duplicateValue, uniqueClashes, writeCustomerValues } from './customer-values.js';
import { CONTACT_LOOKUP_FIELDS, indexFieldOf } from './contact-points.js';
import { customerDuplicates } from './duplicates.js';
import { newCustomers, type PreparedCustomer } from './new-customers.js';
import { RESTORE_WINDOW_MS, definitionOf, tiesOf, type CustomerRecord, type GatewayContext } from './context.js';

/** An input of a batch that was refused, and why (the import's error file is made of these). */
export interface Rejection {
  index: number;
  code: string;
  field: string | null;
  message: string;
}

const LOOKUP_LIMIT = 50;
/** Name matches a search may bring into the list (the text match over plain values has no cap). */
const SEARCH_LIMIT = 1_000;

export interface ListOptions {
  q?: string;
  kind?: CustomerKind;
  filters?: string[];
  sort?: string;
  cursor?: string;
  limit: number;
}

type SearchKind = 'email' | 'nationalId' | 'phone' | 'text';
const NATIONAL_ID = /^\d{17}[\dX]$/;
const PHONE_CHARACTERS = /^[+\d\s\-().]+$/;

function searchKindOf(q: string): SearchKind {
  const ascii = q.normalize('NFKC');
  if (ascii.includes('@')) return 'email';
  if (NATIONAL_ID.test(ascii.replace(/[\s-]/g, '').toUpperCase())) return 'nationalId';
  if (PHONE_CHARACTERS.test(ascii) && (ascii.match(/\d/g)?.length ?? 0) >= 3) return 'phone';
  return 'text';
}

/** The sort value of a row, as the cursor carries it to the next page. */
export function sortValueOf(sort: Sort, row: CustomerRow): FilterValue | null {
  const { target } = sort;
  if (target.kind === 'column') return row[target.column];
  const value = (fromDbJson<Record<string, unknown>>(row.plain_values) ?? {})[target.key];
  const inner = target.path && value && typeof value === 'object' ? (value as Record<string, unknown>)[target.path] : value;
  return typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean' ? inner : null;
}

/** Customer records: create (one or a batch), read, list, look up, update, delete, restore, erase, reveal. */
export function customerRecords(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, phoneRegion, present, loadRow, standardizeInput, relationOf } = ctx;

  const { prepareNew, persistNew, brokenCompanyLinks } = newCustomers(ctx);

  /** Ids of customers whose blind-indexed `key` matches the query (exact, or by name tokens). */
  async function findIds(actor: Actor, registry: Registry, key: string, query: string, limit = LOOKUP_LIMIT): Promise<string[]> {
    const candidates: FieldDefinition[] = CUSTOMER_KINDS.flatMap((kind) => registry.of(kind).filter((f) => f.key === key && f.lookup !== 'none'));
    // Further emails and phones (contact points) are indexed apart and found with the primary ones.
    const contactField = CONTACT_LOOKUP_FIELDS[key];
    if (contactField) candidates.push(contactField);
    if (candidates.length === 0) throw badRequest('not_searchable', `Customers cannot be looked up by "${key}".`, key);
    const ids = new Set<string>();
    // Exact values are looked up in every field they may be in at once, in one query.
    const exact: { field: string; token: Buffer }[] = [];
    for (const field of candidates) {
      const indexField = indexFieldOf(field);
      const indexKey = await keyring.fieldIndexKey(db, actor.workspaceId, indexField);
      if (field.lookup === 'name') {
        const tokens = queryTokens(query).map((v) => blindIndex(indexKey, v));
        for (const id of await findCustomerIdsByTokens(db, actor.workspaceId, indexField, tokens, limit)) ids.add(id);
        continue;
      }
      try {
        exact.push({ field: indexField, token: blindIndex(indexKey, standardizeValue(field, query, await phoneRegion(actor.workspaceId)).lookupKey ?? '') });
      } catch {
        // Not a valid value of this field: nothing can match it.
      }
    }
    for (const id of await findCustomerIdsByAnyToken(db, actor.workspaceId, exact, limit)) ids.add(id);
    return [...ids];
  }

  /**
   * What one search box was given, read from the text itself: an email, an identity card
   * number or a phone number is looked up exactly through its blind index; anything else is
   * a name (name tokens) or text in a plain value (company names, tags, sources…).
   */
  async function searchFor(actor: Actor, registry: Registry, q: string): Promise<{ as: SearchKind; ids: string[]; text: string | null }> {
    const as = searchKindOf(q);
    // An exact lookup by a value the caller may not see would confirm whose it is: such text is only text.
    if (as !== 'text' && !hiddenField(actor, registry, as)) {
      const ids = await findIds(actor, registry, as, q, SEARCH_LIMIT);
      if (ids.length > 0 || as !== 'phone') return { as, ids, text: null };
    }
    return { as: 'text', ids: await findIds(actor, registry, 'name', q, SEARCH_LIMIT), text: q };
  }

  /**
   * Presents rows to the actor, looking up open support cases once for the page when the actor's
   * rules depend on them. `shown` is the highest level each field was shown at on the page, for
   * the audit event (breach scoping asks which fields a page exposed).
   */
  async function presentAll(actor: Actor, rows: readonly CustomerRow[]): Promise<{ records: CustomerRecord[]; shown: Record<string, Visibility> }> {
    const caseOwners = casesMatter(actor) ? await openCaseOwners(db, actor.workspaceId, rows.map((row) => row.id)) : null;
    const records: CustomerRecord[] = [];
    const shown: Record<string, Visibility> = {};
    for (const row of rows) {
      const relation = relationTo(actor, { ...tiesOf(row), openCaseOwners: caseOwners?.get(row.id) ?? [] });
      const presented = await present(actor, row, undefined, relation);
      records.push(presented.record);
      for (const [key, level] of Object.entries(presented.shown)) if (shown[key] !== 'clear') shown[key] = level;
    }
    return { records, shown };
  }

  /** One record's answer: with what the actor may do to it (lists leave that out: it is a question per record). */
  const withActions = (actor: Actor, row: CustomerRow, record: CustomerRecord): CustomerRecord & { allowed: RecordActions } => ({ ...record, allowed: recordActions(actor, tiesOf(row)) });

  const companyNotFound = (field: FieldDefinition) => badRequest('company_not_found', `${field.labels.en}: there is no such company.`, field.key);

  return {
    /** The list's search and presentation, for the export (gateway/export.ts); gateway.ts keeps them out of the gateway's API. */
    listParts: { searchFor, presentAll },

    async create(actor: Actor, input: Record<string, unknown>): Promise<CustomerRecord & { allowed: RecordActions }> {
      authorizeCustomers(actor, 'create');
      const known = { registry: await fields.load(actor.workspaceId), region: await phoneRegion(actor.workspaceId) };
      const prepared = prepareNew(known.registry, input, known.region);
      // The creator owns the new customer: they may set what their role writes on their own records.
      for (const { field } of prepared.values) authorizeWrite(actor, field, 'own');
      const [broken] = await brokenCompanyLinks(actor.workspaceId, [prepared.values]);
      if (broken) throw companyNotFound(broken);
      const [row] = await db.transaction().execute(async (trx) => {
        const [clash] = await uniqueClashes(ctx, trx, actor.workspaceId, [prepared]);
        if (clash) throw duplicateValue(clash);
        const rows = await persistNew(trx, actor, [prepared]);
        // A new customer that looks like an existing one is flagged for review, in the same transaction.
        await customerDuplicates(ctx).flagDuplicates(trx, actor, [prepared], known);
        return rows;
      });
      return withActions(actor, row!, (await present(actor, row!)).record);
    },

    /**
     * Creates many customers in one transaction (seeding, and the import pipeline's batches):
     * the same checks, encryption, indexing and one audit event per customer as `create`.
     * Refused inputs are returned with their reason instead of stopping the batch.
     */
    async createMany(actor: Actor, inputs: readonly Record<string, unknown>[]): Promise<{ created: string[]; rejected: Rejection[] }> {
      authorizeCustomers(actor, 'create');
      const prepared: PreparedCustomer[] = [];
      const indexOf = new Map<PreparedCustomer, number>();
      const rejected: Rejection[] = [];
      const region = await phoneRegion(actor.workspaceId);
      const registry = await fields.load(actor.workspaceId);
      inputs.forEach((input, index) => {
        try {
          const customer = prepareNew(registry, input, region);
          prepared.push(customer);
          indexOf.set(customer, index);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          rejected.push({ index, code: error.code, field: error.field ?? null, message: error.message });
        }
      });
      const broken = await brokenCompanyLinks(actor.workspaceId, prepared.map((p) => p.values));
      const linked = prepared.filter((_, i) => {
        const field = broken[i];
        if (field) rejected.push({ index: indexOf.get(prepared[i]!)!, code: 'company_not_found', field: field.key, message: companyNotFound(field).message });
        return !field;
      });
      const rows = linked.length
        ? await db.transaction().execute(async (trx) => {
            const clashes = await uniqueClashes(ctx, trx, actor.workspaceId, linked);
            const unique = linked.filter((customer, i) => {
              const field = clashes[i];
              if (field) rejected.push({ index: indexOf.get(customer)!, code: 'duplicate_value', field: field.key, message: duplicateValue(field).message });
              return !field;
            });
            if (unique.length === 0) return [];
            const rows = await persistNew(trx, actor, unique);
            await customerDuplicates(ctx).flagDuplicates(trx, actor, unique, { registry, region });
            return rows;
          })
        : [];
      rejected.sort((a, b) => a.index - b.index);
      return { created: rows.map((row) => row.id), rejected };
    },

    /** The workspace's field registry (archived custom fields included, flagged). */
    async fields(actor: Actor) {
      authorizeCustomers(actor, 'read');
      return (await fields.load(actor.workspaceId)).all;
    },

    /** Sets the given fields (null clears them); everything is re-checked, re-encrypted and re-indexed in one transaction. */
    async update(actor: Actor, id: string, input: Record<string, unknown>): Promise<CustomerRecord & { allowed: RecordActions }> {
      const row = await loadRow(actor, id, authorizeCustomers(actor, 'update'));
      const kind = row.kind as CustomerKind;
      if ('kind' in input && input.kind !== kind) throw badRequest('kind_immutable', 'A customer’s kind cannot change.', 'kind');
      const changes = standardizeInput(await fields.load(actor.workspaceId), kind, input, await phoneRegion(actor.workspaceId));
      for (const change of changes) {
        if (change.field.required && change.value === null) throw badRequest('required', `${change.field.labels.en} is required.`, change.field.key);
      }
      const relation = await relationOf(actor, row);
      for (const change of changes) authorizeWrite(actor, change.field, relation);
      const [broken] = await brokenCompanyLinks(actor.workspaceId, [changes]);
      if (broken) throw companyNotFound(broken);
      if (changes.length === 0) return withActions(actor, row, (await present(actor, row, undefined, relation)).record);

      const updated = await db.transaction().execute(async (trx) => {
        const next = await writeCustomerValues(ctx, trx, actor, id, changes);
        await audit.record(actor, { action: 'customer.updated', outcome: 'success', metadata: { fields: changes.map((c) => c.field.key) }, object: { type: 'customer', id } }, trx);
        return next;
      });
      return withActions(actor, updated, (await present(actor, updated, undefined, relation)).record);
    },

    /** Soft delete: restorable for 30 days (purge arrives with the retention job). */
    async remove(actor: Actor, id: string): Promise<void> {
      await loadRow(actor, id, authorizeCustomers(actor, 'delete'));
      await db.transaction().execute(async (trx) => {
        await updateCustomer(trx, actor.workspaceId, id, { deleted_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'customer.deleted', outcome: 'success', metadata: {}, object: { type: 'customer', id } }, trx);
      });
    },

    /**
     * Erases a customer now (a data subject's request for erasure): the subject key is
     * destroyed, so their data is unreadable everywhere, old backups included.
     */
    async erase(actor: Actor, id: string, reason: string): Promise<void> {
      const scope = authorizeCustomers(actor, 'delete');
      if (reason.trim().length < 5) throw badRequest('reason_required', 'Say why the customer is erased (e.g. the request reference).', 'reason');
      const row = (await findCustomer(db, actor.workspaceId, id)) ?? (await findCustomer(db, actor.workspaceId, id, { deleted: true }));
      if (!row || !reaches(actor, scope, tiesOf(row))) throw notFound('customer_not_found', 'No such customer.');
      await db.transaction().execute(async (trx) => {
        await eraseCustomer(trx, actor.workspaceId, id);
        await audit.record(actor, { action: 'customer.erased', outcome: 'success', metadata: { reason: reason.trim() }, object: { type: 'customer', id } }, trx);
      });
      keyring.forget(actor.workspaceId, id);
    },

    /** The purge job: erases customers deleted more than 30 days ago, in batches. Returns how many. */
    async purgeDeleted(batchSize = 500): Promise<number> {
      const expired = await deletedBefore(db, null, clock.now().getTime() - RESTORE_WINDOW_MS, batchSize);
      for (const { workspace_id: workspaceId, id } of expired) {
        const system: Actor = { kind: 'system', workspaceId, name: 'purge', ip: null, userAgent: null };
        await db.transaction().execute(async (trx) => {
          await eraseCustomer(trx, workspaceId, id);
          await audit.record(system, { action: 'customer.erased', outcome: 'success', metadata: { reason: 'deleted more than 30 days ago' }, object: { type: 'customer', id } }, trx);
        });
        keyring.forget(workspaceId, id);
      }
      return expired.length;
    },

    async restore(actor: Actor, id: string): Promise<CustomerRecord & { allowed: RecordActions }> {
      const scope = authorizeCustomers(actor, 'delete');
      const row = await findCustomer(db, actor.workspaceId, id, { deleted: true });
      if (!row || !reaches(actor, scope, tiesOf(row)) || clock.now().getTime() - row.deleted_at! > RESTORE_WINDOW_MS) throw notFound('customer_not_found', 'No deleted customer to restore.');
      const unique = (await fields.load(actor.workspaceId)).of(row.kind as CustomerKind).filter((f) => f.unique);
      await db.transaction().execute(async (trx) => {
        // While they were deleted, another customer may have taken one of their unique values.
        const taken = await sharedLookupField(trx, actor.workspaceId, id, unique.map((f) => `${f.kind}.${f.key}`));
        const field = unique.find((f) => `${f.kind}.${f.key}` === taken);
        if (field) throw duplicateValue(field);
        await updateCustomer(trx, actor.workspaceId, id, { deleted_at: null });
        await audit.record(actor, { action: 'customer.restored', outcome: 'success', metadata: {}, object: { type: 'customer', id } }, trx);
      });
      return withActions(actor, row, (await present(actor, { ...row, deleted_at: null })).record);
    },

    async get(actor: Actor, id: string): Promise<CustomerRecord & { allowed: RecordActions }> {
      const row = await loadRow(actor, id, authorizeCustomers(actor, 'read'));
      const { record, shown } = await present(actor, row);
      await audit.recordRead(actor, { action: 'customer.viewed', outcome: 'success', metadata: { fields: shown }, object: { type: 'customer', id } });
      return withActions(actor, row, record);
    },

    /**
     * A page of the customers list: filtered and sorted on plain values, keyset-paged, and
     * optionally searched (`q`). The audit event keeps the query's shape, never its values.
     */
    async list(actor: Actor, options: ListOptions): Promise<{ items: CustomerRecord[]; nextCursor: string | null }> {
      const scope = authorizeCustomers(actor, 'read');
      const registry = await fields.load(actor.workspaceId);
      const filters = (options.filters ?? []).map((text) => parseFilter(registry, text, options.kind));
      const sort = parseSort(registry, options.sort, options.kind);
      // Filtering or sorting by a field the caller cannot read would tell them its values.
      for (const { key } of [...filters, sort]) refuseHidden(actor, registry, key, options.kind);
      const after = options.cursor ? decodeCursor(sort, options.cursor) : null;
      const search = options.q?.trim() ? await searchFor(actor, registry, options.q.trim()) : null;
      const rows = await queryCustomers(db, actor.workspaceId, {
        kind: options.kind,
        filters,
        sort,
        after,
        search: search ?? undefined,
        reach: reachOf(actor, scope),
        limit: options.limit + 1,
      });
      const page = rows.slice(0, options.limit);
      const { records: items, shown } = await presentAll(actor, page);
      const last = page[page.length - 1];
      await audit.recordRead(actor, {
        action: 'customer.listed',
        outcome: 'success',
        metadata: {
          customerIds: page.map((row) => row.id),
          fields: shown,
          query: { search: search?.as ?? null, kind: options.kind ?? null, filters: filters.map((f) => `${f.key}:${f.op}`), sort: `${sort.direction === 'desc' ? '-' : ''}${sort.key}` },
        },
      });
      return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(sort, { value: sortValueOf(sort, last), id: last.id }) : null };
    },

    /** Exact lookup by a blind-indexed field (email, phone, nationalId), or name search. */
    async lookup(actor: Actor, key: string, query: string): Promise<CustomerRecord[]> {
      const scope = authorizeCustomers(actor, 'read');
      const registry = await fields.load(actor.workspaceId);
      refuseHidden(actor, registry, key);
      const ids = await findIds(actor, registry, key, query);
      const rows: CustomerRow[] = [];
      for (const id of ids) {
        const row = await findCustomer(db, actor.workspaceId, id);
        if (row && reaches(actor, scope, tiesOf(row))) rows.push(row);
      }
      const { records } = await presentAll(actor, rows);
      await audit.recordRead(actor, { action: 'customer.looked_up', outcome: 'success', metadata: { field: key, matches: records.length, customerIds: records.map((r) => r.id) } });
      return records;
    },

    /** Shows sensitive values in clear, to a caller with the reveal permission, with a stated reason. */
    async reveal(actor: Actor, id: string, revealed: string[], reason: string): Promise<Record<string, unknown>> {
      const scope = authorizeCustomers(actor, 'reveal');
      if (reason.trim().length < 5) throw badRequest('reason_required', 'Say why you need to see these values.', 'reason');
      const row = await loadRow(actor, id, scope);
      const registry = await fields.load(actor.workspaceId);
      const relation = await relationOf(actor, row);
      for (const key of revealed) {
        const field = definitionOf(registry, row.kind as CustomerKind, key);
        if (levelOf(actor, field, relation) === 'hidden') throw new AppError(403, 'field_hidden', `Your role may not see ${field.labels.en}.`, key);
      }
      const { record } = await present(actor, row, new Set(revealed), relation);
      await audit.record(actor, { action: 'customer.revealed', outcome: 'success', metadata: { fields: revealed, reason: reason.trim() }, object: { type: 'customer', id } });
      return Object.fromEntries(revealed.filter((key) => key in record).map((key) => [key, record[key]]));
    },
  };
}
