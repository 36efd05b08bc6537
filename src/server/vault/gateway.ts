import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { CUSTOMER_KINDS, type CustomerKind, type FieldDefinition, type Sensitivity, type Visibility } from '../../shared/fields.js';
import { fromDbBool, fromDbJson, isoFromDb, toDbBool, toDbJson, toDbTime } from '../db/mapping.js';
import { AppError, badRequest, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { FieldRegistry, Registry } from './field-registry.js';
import { blindIndex } from './crypto/blind-index.js';
import { decryptField, encryptField } from './crypto/field-cipher.js';
import { standardizeValue } from './field-values.js';
import type { Keyring } from './keyring.js';
import { authorizeCustomers, visibilityFor } from './policy.js';
import { maskValue, nameTokens, queryTokens, type MaskKind } from './standardize/index.js';
import {
  deleteLookupToken,
  deleteLookupTokens,
  deletedBefore,
  eraseCustomer,
  findCustomer,
  findCustomerIdsByTokens,
  insertCustomers,
  insertLookupRows,
  listCustomers,
  updateCustomer,
  type CustomerRow,
  type LookupRow,
} from './store.js';
import {
  existingCustomerIds,
  findTransactionByExternalId,
  insertEvents,
  insertTransaction,
  listEvents,
  listTransactions,
  transactionTotals,
  deleteContactPoint,
  deleteNote,
  insertContactPoint,
  insertNote,
  listContactPoints,
  type ContactPointRow,
  listNotes,
  type EventRow,
  type NoteRow,
  type TransactionRow,
} from './activity-store.js';

export interface TransactionInput {
  externalId?: string;
  occurredAt: string;
  amountMinor: number;
  currency: string;
  channel?: string;
  status: 'pending' | 'paid' | 'fulfilled' | 'cancelled' | 'refunded';
  lineItems?: { sku?: string; name: string; quantity: number; unitAmountMinor: number }[];
}

export interface EventInput {
  customerId: string;
  type: string;
  occurredAt: string;
  properties?: Record<string, unknown>;
}

function presentTransaction(row: TransactionRow) {
  return {
    id: row.id,
    externalId: row.external_id,
    occurredAt: isoFromDb(row.occurred_at)!,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    channel: row.channel,
    status: row.status,
    lineItems: fromDbJson<unknown[]>(row.line_items) ?? [],
  };
}

function presentEvent(row: EventRow) {
  return { id: row.id, type: row.type, occurredAt: isoFromDb(row.occurred_at)!, properties: fromDbJson<Record<string, unknown>>(row.properties) ?? {} };
}

const MAX_NOTE_LENGTH = 10_000;

export const CONTACT_POINT_TYPES = ['email', 'phone', 'im'] as const;
export const IM_CHANNELS = ['wechat', 'whatsapp', 'qq', 'line', 'telegram', 'skype', 'dingtalk', 'other'] as const;
export interface ContactPointInput {
  type: (typeof CONTACT_POINT_TYPES)[number];
  channel?: (typeof IM_CHANNELS)[number];
  label?: string;
  value: string;
}

/** Field definitions a contact point's value is checked, indexed and masked as. */
const contactFieldOf = (type: 'email' | 'phone' | 'im'): FieldDefinition => ({
  key: type,
  kind: 'person',
  type: type === 'im' ? 'text' : type,
  labels: { en: type === 'im' ? 'Handle' : type === 'email' ? 'Email' : 'Phone', 'zh-CN': type === 'im' ? '账号' : type === 'email' ? '邮箱' : '电话' },
  sensitivity: 'personal',
  required: true,
  lookup: type === 'im' ? 'none' : 'exact',
  purposes: ['customer_relationship'],
  builtIn: true,
});
const CONTACT_LOOKUP_FIELDS: Record<string, FieldDefinition> = { email: { ...contactFieldOf('email'), key: 'contact.email' }, phone: { ...contactFieldOf('phone'), key: 'contact.phone' } };
/** The blind-index field name: kind.key for customer fields, the key itself for contact points. */
const indexFieldOf = (field: FieldDefinition) => (field.key.startsWith('contact.') ? field.key : `${field.kind}.${field.key}`);
const contactPointPlace = (row: { workspace_id: string; id: string }) => ({ workspaceId: row.workspace_id, table: 'customer_contact_points', recordId: row.id, field: 'value' });
const notePlace = (row: Pick<NoteRow, 'workspace_id' | 'id'>) => ({ workspaceId: row.workspace_id, table: 'customer_notes', recordId: row.id, field: 'body' });

const EVENT_CURSOR = /^(\d+)_([0-9a-f-]{36})$/;

interface PreparedCustomer {
  id: string;
  kind: CustomerKind;
  values: { field: FieldDefinition; value: unknown; lookupKey: string | null }[];
}

/** An input of a batch that was refused, and why (the import's error file is made of these). */
export interface Rejection {
  index: number;
  code: string;
  field: string | null;
  message: string;
}

/** Until workspaces choose theirs (issue #3): numbers without a country code are read as Chinese. */
export const DEFAULT_PHONE_REGION: CountryCode = 'CN';
const SUBJECT_KEY_VERSION = 1;
const LOOKUP_LIMIT = 50;
export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export type CustomerRecord = { id: string; kind: CustomerKind; createdAt: string; updatedAt: string } & Record<string, unknown>;

type Bundle = 'personal' | 'sensitive';
const BUNDLES: readonly Bundle[] = ['personal', 'sensitive'];
const isBundled = (sensitivity: Sensitivity): sensitivity is Bundle => sensitivity === 'personal' || sensitivity === 'sensitive';
const bundlePlace = (workspaceId: string, customerId: string, bundle: Bundle) => ({ workspaceId, table: 'customers', recordId: customerId, field: bundle });

function maskKindOf(field: FieldDefinition): MaskKind {
  switch (field.type) {
    case 'phone':
      return 'phone';
    case 'email':
      return 'email';
    case 'national_id':
      return 'national_id';
    case 'bank_card':
      return 'bank_card';
    default:
      return field.lookup === 'name' ? 'name' : 'text';
  }
}

function definitionOf(registry: Registry, kind: CustomerKind, key: string): FieldDefinition {
  const field = registry.find(kind, key);
  if (!field) throw badRequest('unknown_field', `There is no field "${key}" for a ${kind}.`, key);
  return field;
}

/**
 * The records gateway: the one module that reads and writes customer data. Every call takes
 * an Actor and runs, in this order, the policy hook, then encryption or decryption of only
 * what the actor may see, then the audit event — for writes in the same transaction.
 */
export function createVaultGateway({
  db,
  clock,
  audit,
  keyring,
  fields,
  phoneRegion = async () => DEFAULT_PHONE_REGION,
}: {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record' | 'recordMany'>;
  keyring: Keyring;
  fields: Pick<FieldRegistry, 'load'>;
  /** The workspace's region for phone numbers without a country code. */
  phoneRegion?: (workspaceId: string) => Promise<CountryCode>;
}) {
  async function lookupTokens(executor: Kysely<DB>, workspaceId: string, field: FieldDefinition, stored: unknown, lookupKey: string | null) {
    if (field.lookup === 'none') return [];
    const indexKey = await keyring.fieldIndexKey(executor, workspaceId, `${field.kind}.${field.key}`);
    const values = field.lookup === 'name' ? nameTokens(String(stored)) : lookupKey ? [lookupKey] : [];
    return values.map((value) => ({ field: `${field.kind}.${field.key}`, token: blindIndex(indexKey, value) }));
  }

  /** Decrypts what the actor may see of a row and shapes it; returns what was shown, for the audit event. */
  async function present(actor: Actor, row: CustomerRow, reveal: ReadonlySet<string> = new Set()) {
    const kind = row.kind as CustomerKind;
    const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
    const shown: Record<string, Visibility> = {};
    const record: CustomerRecord = { id: row.id, kind, createdAt: isoFromDb(row.created_at)!, updatedAt: isoFromDb(row.updated_at)! };
    const registry = await fields.load(row.workspace_id);
    const shownFields = registry.of(kind);

    const bundles: Partial<Record<Bundle, Record<string, unknown>>> = {};
    const needed = new Set(shownFields.filter((f) => isBundled(f.sensitivity) && visibilityFor(actor, f.sensitivity) !== 'hidden').map((f) => f.sensitivity as Bundle));
    if (needed.size > 0) {
      const subjectKey = await keyring.subjectKey(db, row.workspace_id, row.id);
      for (const bundle of BUNDLES) {
        const sealed = bundle === 'personal' ? row.personal_values : row.sensitive_values;
        if (!needed.has(bundle) || !sealed || !subjectKey) continue;
        bundles[bundle] = JSON.parse(decryptField(subjectKey, Buffer.from(sealed), bundlePlace(row.workspace_id, row.id, bundle)).toString('utf8'));
      }
    }

    for (const field of shownFields) {
      const value = isBundled(field.sensitivity) ? bundles[field.sensitivity]?.[field.key] : plain[field.key];
      if (value === undefined || value === null) continue;
      const visibility = reveal.has(field.key) ? 'clear' : visibilityFor(actor, field.sensitivity);
      if (visibility === 'hidden') continue;
      record[field.key] = visibility === 'clear' ? value : maskValue(maskKindOf(field), typeof value === 'string' ? value : JSON.stringify(value));
      shown[field.key] = visibility;
    }
    return { record, shown };
  }

  /** Standardizes every given value (null clears); refuses unknown keys, naming them. */
  function standardizeInput(registry: Registry, kind: CustomerKind, input: Record<string, unknown>, region: CountryCode) {
    const values: { field: FieldDefinition; value: unknown; lookupKey: string | null }[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'kind') continue;
      const field = definitionOf(registry, kind, key);
      if (raw === null || raw === undefined || raw === '') values.push({ field, value: null, lookupKey: null });
      else values.push({ field, ...standardizeValue(field, raw, region) });
    }
    return values;
  }

  function sealBundle(subjectKey: Buffer, workspaceId: string, id: string, bundle: Bundle, values: Record<string, unknown>): Buffer | null {
    if (Object.keys(values).length === 0) return null;
    return encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(JSON.stringify(values)), bundlePlace(workspaceId, id, bundle));
  }

  /** Checks and standardizes a new customer's input; throws a 400 naming the field. */
  function prepareNew(registry: Registry, input: Record<string, unknown>, region: CountryCode): PreparedCustomer {
    const kind = input.kind;
    if (typeof kind !== 'string' || !(CUSTOMER_KINDS as readonly string[]).includes(kind)) {
      throw badRequest('invalid_kind', 'kind must be "person" or "company".', 'kind');
    }
    const customerKind = kind as CustomerKind;
    const values = standardizeInput(registry, customerKind, input, region).filter((v) => v.value !== null);
    for (const field of registry.of(customerKind)) {
      if (field.required && !values.some((v) => v.field.key === field.key)) throw badRequest('required', `${field.labels.en} is required.`, field.key);
    }
    return { id: newId(), kind: customerKind, values };
  }

  /** Writes prepared customers: rows with sealed bundles, their subject keys, lookup rows, audit events. */
  async function persistNew(trx: Kysely<DB>, actor: Actor, prepared: PreparedCustomer[]): Promise<CustomerRow[]> {
    const workspaceId = actor.workspaceId;
    const now = toDbTime(clock.now());
    const { keys, rows: keyRows } = await keyring.newSubjectKeys(trx, workspaceId, prepared.map((p) => p.id));
    const rows: CustomerRow[] = [];
    const lookupRows: LookupRow[] = [];
    for (const [i, customer] of prepared.entries()) {
      const plain: Record<string, unknown> = {};
      const bundled: Record<Bundle, Record<string, unknown>> = { personal: {}, sensitive: {} };
      for (const { field, value } of customer.values) {
        if (isBundled(field.sensitivity)) bundled[field.sensitivity][field.key] = value;
        else plain[field.key] = value;
      }
      rows.push({
        workspace_id: workspaceId,
        id: customer.id,
        kind: customer.kind,
        owner_user_id: actor.kind === 'user' ? actor.userId : null,
        plain_values: toDbJson(plain),
        personal_values: sealBundle(keys[i]!, workspaceId, customer.id, 'personal', bundled.personal),
        sensitive_values: sealBundle(keys[i]!, workspaceId, customer.id, 'sensitive', bundled.sensitive),
        created_by: actor.kind === 'user' ? actor.userId : actor.name,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      for (const v of customer.values) {
        for (const token of await lookupTokens(trx, workspaceId, v.field, v.value, v.lookupKey)) lookupRows.push({ workspace_id: workspaceId, customer_id: customer.id, ...token });
      }
    }
    // Customer rows first: subject keys and lookup rows reference them.
    await insertCustomers(trx, rows);
    await keyring.storeSubjectKeys(trx, keyRows);
    await insertLookupRows(trx, lookupRows);
    await audit.recordMany(
      actor,
      prepared.map((customer) => ({
        action: 'customer.created' as const,
        outcome: 'success' as const,
        metadata: { kind: customer.kind, fields: customer.values.map((v) => v.field.key) },
        object: { type: 'customer', id: customer.id },
      })),
      trx,
    );
    return rows;
  }

  async function loadRow(actor: Actor, id: string): Promise<CustomerRow> {
    const row = await findCustomer(db, actor.workspaceId, id);
    // 404 whether it does not exist or belongs to another workspace: existence does not leak.
    if (!row) throw notFound('customer_not_found', 'No such customer.');
    return row;
  }

  return {
    async create(actor: Actor, input: Record<string, unknown>): Promise<CustomerRecord> {
      authorizeCustomers(actor, 'create');
      const prepared = prepareNew(await fields.load(actor.workspaceId), input, await phoneRegion(actor.workspaceId));
      const [row] = await db.transaction().execute((trx) => persistNew(trx, actor, [prepared]));
      return (await present(actor, row!)).record;
    },

    /**
     * Creates many customers in one transaction (seeding, and the import pipeline's batches):
     * the same checks, encryption, indexing and one audit event per customer as `create`.
     * Refused inputs are returned with their reason instead of stopping the batch.
     */
    async createMany(actor: Actor, inputs: readonly Record<string, unknown>[]): Promise<{ created: string[]; rejected: Rejection[] }> {
      authorizeCustomers(actor, 'create');
      const prepared: PreparedCustomer[] = [];
      const rejected: Rejection[] = [];
      const region = await phoneRegion(actor.workspaceId);
      const registry = await fields.load(actor.workspaceId);
      inputs.forEach((input, index) => {
        try {
          prepared.push(prepareNew(registry, input, region));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          rejected.push({ index, code: error.code, field: error.field ?? null, message: error.message });
        }
      });
      const rows = prepared.length ? await db.transaction().execute((trx) => persistNew(trx, actor, prepared)) : [];
      return { created: rows.map((row) => row.id), rejected };
    },

    /** The workspace's field registry (archived custom fields included, flagged). */
    async fields(actor: Actor) {
      authorizeCustomers(actor, 'read');
      return (await fields.load(actor.workspaceId)).all;
    },

    /** Sets the given fields (null clears them); everything is re-checked, re-encrypted and re-indexed in one transaction. */
    async update(actor: Actor, id: string, input: Record<string, unknown>): Promise<CustomerRecord> {
      authorizeCustomers(actor, 'update');
      const row = await loadRow(actor, id);
      const kind = row.kind as CustomerKind;
      if ('kind' in input && input.kind !== kind) throw badRequest('kind_immutable', 'A customer’s kind cannot change.', 'kind');
      const changes = standardizeInput(await fields.load(actor.workspaceId), kind, input, await phoneRegion(actor.workspaceId));
      for (const change of changes) {
        if (change.field.required && change.value === null) throw badRequest('required', `${change.field.labels.en} is required.`, change.field.key);
      }
      if (changes.length === 0) return (await present(actor, row)).record;

      const updated = await db.transaction().execute(async (trx) => {
        const subjectKey = await keyring.subjectKey(trx, actor.workspaceId, id);
        if (!subjectKey) throw notFound('customer_not_found', 'No such customer.');
        const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
        const bundled: Record<Bundle, Record<string, unknown>> = { personal: {}, sensitive: {} };
        for (const bundle of BUNDLES) {
          const sealed = bundle === 'personal' ? row.personal_values : row.sensitive_values;
          if (sealed) bundled[bundle] = JSON.parse(decryptField(subjectKey, Buffer.from(sealed), bundlePlace(actor.workspaceId, id, bundle)).toString('utf8'));
        }
        for (const { field, value } of changes) {
          const target = isBundled(field.sensitivity) ? bundled[field.sensitivity] : plain;
          if (value === null) delete target[field.key];
          else target[field.key] = value;
        }
        const next = {
          plain_values: toDbJson(plain),
          personal_values: sealBundle(subjectKey, actor.workspaceId, id, 'personal', bundled.personal),
          sensitive_values: sealBundle(subjectKey, actor.workspaceId, id, 'sensitive', bundled.sensitive),
          updated_at: toDbTime(clock.now()),
        };
        await updateCustomer(trx, actor.workspaceId, id, next);
        for (const change of changes.filter((c) => c.field.lookup !== 'none')) {
          await deleteLookupTokens(trx, actor.workspaceId, id, `${change.field.kind}.${change.field.key}`);
          if (change.value === null) continue;
          const tokens = await lookupTokens(trx, actor.workspaceId, change.field, change.value, change.lookupKey);
          await insertLookupRows(trx, tokens.map((token) => ({ workspace_id: actor.workspaceId, customer_id: id, ...token })));
        }
        await audit.record(actor, { action: 'customer.updated', outcome: 'success', metadata: { fields: changes.map((c) => c.field.key) }, object: { type: 'customer', id } }, trx);
        return { ...row, ...next };
      });
      return (await present(actor, updated)).record;
    },

    /** Soft delete: restorable for 30 days (purge arrives with the retention job). */
    async remove(actor: Actor, id: string): Promise<void> {
      authorizeCustomers(actor, 'delete');
      await loadRow(actor, id);
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
      authorizeCustomers(actor, 'delete');
      if (reason.trim().length < 5) throw badRequest('reason_required', 'Say why the customer is erased (e.g. the request reference).', 'reason');
      const row = (await findCustomer(db, actor.workspaceId, id)) ?? (await findCustomer(db, actor.workspaceId, id, { deleted: true }));
      if (!row) throw notFound('customer_not_found', 'No such customer.');
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

    async restore(actor: Actor, id: string): Promise<CustomerRecord> {
      authorizeCustomers(actor, 'delete');
      const row = await findCustomer(db, actor.workspaceId, id, { deleted: true });
      if (!row || clock.now().getTime() - row.deleted_at! > RESTORE_WINDOW_MS) throw notFound('customer_not_found', 'No deleted customer to restore.');
      await db.transaction().execute(async (trx) => {
        await updateCustomer(trx, actor.workspaceId, id, { deleted_at: null });
        await audit.record(actor, { action: 'customer.restored', outcome: 'success', metadata: {}, object: { type: 'customer', id } }, trx);
      });
      return (await present(actor, { ...row, deleted_at: null })).record;
    },

    async get(actor: Actor, id: string): Promise<CustomerRecord> {
      authorizeCustomers(actor, 'read');
      const row = await loadRow(actor, id);
      const { record, shown } = await present(actor, row);
      await audit.record(actor, { action: 'customer.viewed', outcome: 'success', metadata: { fields: shown }, object: { type: 'customer', id } });
      return record;
    },

    /** A page of customers, newest first (ids are time-ordered), for the list page. */
    async list(actor: Actor, options: { cursor?: string; limit: number }): Promise<{ items: CustomerRecord[]; nextCursor: string | null }> {
      authorizeCustomers(actor, 'read');
      const rows = await listCustomers(db, actor.workspaceId, options.cursor ?? null, options.limit + 1);
      const page = rows.slice(0, options.limit);
      const items: CustomerRecord[] = [];
      const shownIds: string[] = [];
      for (const row of page) {
        items.push((await present(actor, row)).record);
        shownIds.push(row.id);
      }
      await audit.record(actor, { action: 'customer.listed', outcome: 'success', metadata: { customerIds: shownIds } });
      return { items, nextCursor: rows.length > options.limit ? page[page.length - 1]!.id : null };
    },

    /** Exact lookup by a blind-indexed field (email, phone, nationalId), or name search. */
    async lookup(actor: Actor, key: string, query: string): Promise<CustomerRecord[]> {
      authorizeCustomers(actor, 'read');
      const registry = await fields.load(actor.workspaceId);
      const candidates: FieldDefinition[] = CUSTOMER_KINDS.flatMap((kind) => registry.of(kind).filter((f) => f.key === key && f.lookup !== 'none'));
      // Further emails and phones (contact points) are indexed apart and found with the primary ones.
      const contactField = CONTACT_LOOKUP_FIELDS[key];
      if (contactField) candidates.push(contactField);
      if (candidates.length === 0) throw badRequest('not_searchable', `Customers cannot be looked up by "${key}".`, key);
      const ids = new Set<string>();
      for (const field of candidates) {
        const indexField = indexFieldOf(field);
        const indexKey = await keyring.fieldIndexKey(db, actor.workspaceId, indexField);
        let values: string[];
        if (field.lookup === 'name') values = queryTokens(query);
        else {
          try {
            values = [standardizeValue(field, query, await phoneRegion(actor.workspaceId)).lookupKey ?? ''];
          } catch {
            continue; // Not a valid value of this field: nothing can match it.
          }
        }
        const found = await findCustomerIdsByTokens(db, actor.workspaceId, indexField, values.map((v) => blindIndex(indexKey, v)), LOOKUP_LIMIT);
        for (const id of found) ids.add(id);
      }
      const records: CustomerRecord[] = [];
      for (const id of ids) {
        const row = await findCustomer(db, actor.workspaceId, id);
        if (row) records.push((await present(actor, row)).record);
      }
      await audit.record(actor, { action: 'customer.looked_up', outcome: 'success', metadata: { field: key, matches: records.length, customerIds: records.map((r) => r.id) } });
      return records;
    },

    /** Records an order or payment of a customer; the same external id twice is refused (409), so re-sent orders do not double. */
    async addTransaction(actor: Actor, customerId: string, input: TransactionInput) {
      authorizeCustomers(actor, 'update');
      await loadRow(actor, customerId);
      if (!Number.isSafeInteger(input.amountMinor)) throw badRequest('invalid_amount', 'amountMinor must be a whole number of minor units.', 'amountMinor');
      const occurredAt = Date.parse(input.occurredAt);
      if (Number.isNaN(occurredAt)) throw badRequest('invalid_date', 'occurredAt must be an ISO 8601 date and time.', 'occurredAt');
      if (input.externalId && (await findTransactionByExternalId(db, actor.workspaceId, input.externalId))) {
        throw conflict('duplicate_transaction', 'A transaction with this external id already exists.', 'externalId');
      }
      const row: TransactionRow = {
        workspace_id: actor.workspaceId,
        id: newId(),
        customer_id: customerId,
        external_id: input.externalId ?? null,
        occurred_at: occurredAt,
        amount_minor: input.amountMinor,
        currency: input.currency,
        channel: input.channel ?? null,
        status: input.status,
        line_items: toDbJson(input.lineItems ?? []),
        created_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await insertTransaction(trx, row);
        await audit.record(actor, { action: 'transaction.created', outcome: 'success', metadata: { customerId, status: row.status }, object: { type: 'transaction', id: row.id } }, trx);
      });
      return presentTransaction(row);
    },

    /** A customer's transactions, newest first, with totals per currency (cancelled and refunded ones excluded). */
    async transactions(actor: Actor, customerId: string, limit = 200) {
      authorizeCustomers(actor, 'read');
      await loadRow(actor, customerId);
      const rows = await listTransactions(db, actor.workspaceId, customerId, limit);
      const totals = (await transactionTotals(db, actor.workspaceId, customerId)).map((t) => ({ currency: t.currency, amountMinor: Number(t.amount_minor), count: Number(t.count) }));
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'transactions', count: rows.length }, object: { type: 'customer', id: customerId } });
      return { items: rows.map(presentTransaction), totals };
    },

    /**
     * Ingests a batch of behaviour events (up to 1,000) in one transaction. Events for
     * customers the workspace does not have are refused one by one, never the whole batch.
     */
    async ingestEvents(actor: Actor, events: readonly EventInput[]) {
      authorizeCustomers(actor, 'update');
      const known = await existingCustomerIds(db, actor.workspaceId, [...new Set(events.map((e) => e.customerId))]);
      const rows: EventRow[] = [];
      const rejected: { index: number; code: string; field: string }[] = [];
      events.forEach((event, index) => {
        const at = Date.parse(event.occurredAt);
        if (!known.has(event.customerId)) rejected.push({ index, code: 'customer_not_found', field: 'customerId' });
        else if (Number.isNaN(at)) rejected.push({ index, code: 'invalid_date', field: 'occurredAt' });
        else rows.push({ workspace_id: actor.workspaceId, customer_id: event.customerId, occurred_at: at, id: newId(), type: event.type, properties: toDbJson(event.properties ?? {}) });
      });
      const types = [...new Set(rows.map((r) => r.type))].slice(0, 20);
      await db.transaction().execute(async (trx) => {
        await insertEvents(trx, rows);
        await audit.record(actor, { action: 'events.ingested', outcome: 'success', metadata: { accepted: rows.length, rejected: rejected.length, types } }, trx);
      });
      return { accepted: rows.length, rejected };
    },

    /** A customer's timeline of behaviour events, newest first, paged with an opaque cursor. */
    async events(actor: Actor, customerId: string, options: { cursor?: string; limit: number }) {
      authorizeCustomers(actor, 'read');
      await loadRow(actor, customerId);
      const match = options.cursor ? EVENT_CURSOR.exec(options.cursor) : null;
      if (options.cursor && !match) throw badRequest('invalid_cursor', 'The cursor is not one this API gave out.', 'cursor');
      const before = match ? { at: Number(match[1]), id: match[2]! } : null;
      const rows = await listEvents(db, actor.workspaceId, customerId, before, options.limit + 1);
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'events', count: page.length }, object: { type: 'customer', id: customerId } });
      return { items: page.map(presentEvent), nextCursor: rows.length > options.limit && last ? `${last.occurred_at}_${last.id}` : null };
    },

    /** A further email, phone or messaging handle: standardized, encrypted, and (emails, phones) findable by lookup. */
    async addContactPoint(actor: Actor, customerId: string, input: ContactPointInput) {
      authorizeCustomers(actor, 'update');
      await loadRow(actor, customerId);
      if (input.type === 'im' && !input.channel) throw badRequest('channel_required', 'Say which messaging app the handle is for.', 'channel');
      const field = contactFieldOf(input.type);
      const { value, lookupKey } = standardizeValue({ ...field, key: 'value' }, input.value, await phoneRegion(actor.workspaceId));
      const subjectKey = await keyring.subjectKey(db, actor.workspaceId, customerId);
      if (!subjectKey) throw notFound('customer_not_found', 'No such customer.');
      const existing = await listContactPoints(db, actor.workspaceId, customerId);
      const base = { workspace_id: actor.workspaceId, id: newId(), customer_id: customerId };
      const row: ContactPointRow = {
        ...base,
        type: input.type,
        channel: input.type === 'im' ? input.channel! : null,
        label: input.label?.trim() || null,
        value: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(String(value), 'utf8'), contactPointPlace(base)),
        // The first handle of a messaging app is its primary one; emails and phones have theirs on the customer.
        is_primary: toDbBool(input.type === 'im' && !existing.some((cp) => cp.type === 'im' && cp.channel === input.channel)),
        created_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await insertContactPoint(trx, row);
        const lookupField = CONTACT_LOOKUP_FIELDS[input.type];
        if (lookupField && lookupKey) {
          const indexKey = await keyring.fieldIndexKey(trx, actor.workspaceId, lookupField.key);
          await insertLookupRows(trx, [{ workspace_id: actor.workspaceId, field: lookupField.key, token: blindIndex(indexKey, lookupKey), customer_id: customerId }]);
        }
        await audit.record(actor, { action: 'contact_point.added', outcome: 'success', metadata: { customerId, type: input.type }, object: { type: 'contact_point', id: row.id } }, trx);
      });
      return { id: row.id, type: row.type, channel: row.channel, label: row.label, value: String(value), primary: fromDbBool(row.is_primary) };
    },

    async contactPoints(actor: Actor, customerId: string) {
      authorizeCustomers(actor, 'read');
      await loadRow(actor, customerId);
      const rows = await listContactPoints(db, actor.workspaceId, customerId);
      const subjectKey = rows.length ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
      const visibility = visibilityFor(actor, 'personal');
      const items = rows.map((row) => {
        const clear = subjectKey ? decryptField(subjectKey, Buffer.from(row.value), contactPointPlace(row)).toString('utf8') : '';
        const shown = visibility === 'clear' ? clear : maskValue(row.type === 'email' ? 'email' : row.type === 'phone' ? 'phone' : 'text', clear);
        return { id: row.id, type: row.type, channel: row.channel, label: row.label, value: shown, primary: fromDbBool(row.is_primary) };
      });
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'contact_points', count: items.length }, object: { type: 'customer', id: customerId } });
      return { items };
    },

    /** Removes a contact point; its lookup row goes too unless another contact point has the same value. */
    async removeContactPoint(actor: Actor, customerId: string, contactPointId: string): Promise<void> {
      authorizeCustomers(actor, 'update');
      await loadRow(actor, customerId);
      const rows = await listContactPoints(db, actor.workspaceId, customerId);
      const target = rows.find((row) => row.id === contactPointId);
      if (!target) throw notFound('contact_point_not_found', 'No such contact point.');
      const subjectKey = await keyring.subjectKey(db, actor.workspaceId, customerId);
      const valueOf = (row: ContactPointRow) => (subjectKey ? decryptField(subjectKey, Buffer.from(row.value), contactPointPlace(row)).toString('utf8') : '');
      const lookupField = CONTACT_LOOKUP_FIELDS[target.type];
      await db.transaction().execute(async (trx) => {
        await deleteContactPoint(trx, actor.workspaceId, contactPointId);
        if (lookupField) {
          const value = valueOf(target);
          const shared = rows.some((row) => row.id !== target.id && row.type === target.type && valueOf(row) === value);
          if (!shared) {
            const { lookupKey } = standardizeValue({ ...contactFieldOf(target.type as 'email' | 'phone'), key: 'value' }, value, await phoneRegion(actor.workspaceId));
            const indexKey = await keyring.fieldIndexKey(trx, actor.workspaceId, lookupField.key);
            await deleteLookupToken(trx, { workspace_id: actor.workspaceId, field: lookupField.key, token: blindIndex(indexKey, lookupKey!), customer_id: customerId });
          }
        }
        await audit.record(actor, { action: 'contact_point.removed', outcome: 'success', metadata: { customerId, type: target.type }, object: { type: 'contact_point', id: contactPointId } }, trx);
      });
    },

    /** A note about a customer, encrypted under their subject key like their personal values. */
    async addNote(actor: Actor, customerId: string, text: string) {
      authorizeCustomers(actor, 'update');
      await loadRow(actor, customerId);
      const body = text.trim();
      if (body === '' || body.length > MAX_NOTE_LENGTH) throw badRequest('invalid_note', `A note has 1 to ${MAX_NOTE_LENGTH} characters.`, 'body');
      const subjectKey = await keyring.subjectKey(db, actor.workspaceId, customerId);
      if (!subjectKey) throw notFound('customer_not_found', 'No such customer.');
      const base = { workspace_id: actor.workspaceId, id: newId(), customer_id: customerId, author_id: actor.kind === 'user' ? actor.userId : null, created_at: toDbTime(clock.now()), deleted_at: null };
      const row: NoteRow = { ...base, body: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(body, 'utf8'), notePlace(base)) };
      await db.transaction().execute(async (trx) => {
        await insertNote(trx, row);
        await audit.record(actor, { action: 'note.created', outcome: 'success', metadata: { customerId }, object: { type: 'note', id: row.id } }, trx);
      });
      return { id: row.id, body, authorId: row.author_id, createdAt: isoFromDb(row.created_at)! };
    },

    async notes(actor: Actor, customerId: string, limit = 100) {
      authorizeCustomers(actor, 'read');
      await loadRow(actor, customerId);
      const rows = await listNotes(db, actor.workspaceId, customerId, limit);
      const subjectKey = rows.length ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
      const items = rows.map((row) => ({
        id: row.id,
        body: subjectKey ? decryptField(subjectKey, Buffer.from(row.body), notePlace(row)).toString('utf8') : '',
        authorId: row.author_id,
        createdAt: isoFromDb(row.created_at)!,
      }));
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'notes', count: items.length }, object: { type: 'customer', id: customerId } });
      return { items };
    },

    async removeNote(actor: Actor, customerId: string, noteId: string): Promise<void> {
      authorizeCustomers(actor, 'update');
      await loadRow(actor, customerId);
      await db.transaction().execute(async (trx) => {
        if (!(await deleteNote(trx, actor.workspaceId, customerId, noteId, toDbTime(clock.now())))) throw notFound('note_not_found', 'No such note.');
        await audit.record(actor, { action: 'note.deleted', outcome: 'success', metadata: { customerId }, object: { type: 'note', id: noteId } }, trx);
      });
    },

    /** Shows sensitive values in clear, to a caller with the reveal permission, with a stated reason. */
    async reveal(actor: Actor, id: string, revealed: string[], reason: string): Promise<Record<string, unknown>> {
      authorizeCustomers(actor, 'reveal');
      if (reason.trim().length < 5) throw badRequest('reason_required', 'Say why you need to see these values.', 'reason');
      const row = await loadRow(actor, id);
      const registry = await fields.load(actor.workspaceId);
      for (const key of revealed) definitionOf(registry, row.kind as CustomerKind, key);
      const { record } = await present(actor, row, new Set(revealed));
      await audit.record(actor, { action: 'customer.revealed', outcome: 'success', metadata: { fields: revealed, reason: reason.trim() }, object: { type: 'customer', id } });
      return Object.fromEntries(revealed.filter((key) => key in record).map((key) => [key, record[key]]));
    },
  };
}

export type VaultGateway = ReturnType<typeof createVaultGateway>;
