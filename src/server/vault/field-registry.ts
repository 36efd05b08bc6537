import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { CUSTOMER_KINDS, FIELD_TYPES, SENSITIVITY_CLASSES, type CustomerKind, type FieldDefinition, type FieldType, type FieldValidation, type LookupKind, type Sensitivity } from '../../shared/fields.js';
import { fromDbBool, fromDbJson, toDbBool, toDbJson, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { authorizeCapability } from '../auth/context.js';
import { BUILT_IN_FIELDS } from './built-in-fields.js';
import { hasDuplicateValues, insertFieldDefinition, listFieldDefinitions, updateFieldDefinition, type FieldDefinitionRow } from './field-store.js';

/** The fields of one workspace: built-ins, then its custom fields in the order they were added. */
export interface Registry {
  /** Fields in use (not archived). */
  of(kind: CustomerKind): readonly FieldDefinition[];
  find(kind: CustomerKind, key: string): FieldDefinition | undefined;
  all: readonly (FieldDefinition & { archived: boolean })[];
}

export interface NewField {
  kind: CustomerKind;
  key: string;
  type: FieldType;
  labels: { en: string; 'zh-CN': string };
  sensitivity: Sensitivity;
  required?: boolean;
  lookup?: LookupKind;
  options?: string[];
  purposes?: string[];
  unique?: boolean;
  validation?: FieldValidation;
  retentionDays?: number | null;
}

export interface FieldChanges {
  labels?: { en: string; 'zh-CN': string };
  required?: boolean;
  options?: string[];
  purposes?: string[];
  archived?: boolean;
  unique?: boolean;
  validation?: FieldValidation | null;
  retentionDays?: number | null;
}

const RESERVED_KEYS = new Set(['id', 'kind', 'createdAt', 'updatedAt', 'owner', 'ownerId', 'deletedAt']);
const KEY_PATTERN = /^[a-z][a-zA-Z0-9]{1,40}$/;
/** Types whose normalized value can be matched exactly through a blind index. */
const EXACT_LOOKUP_TYPES: ReadonlySet<FieldType> = new Set(['text', 'email', 'phone', 'national_id', 'bank_card']);
const REGISTRY_TTL_MS = 30_000;

function fromRow(row: FieldDefinitionRow): FieldDefinition & { archived: boolean } {
  return {
    key: row.key,
    kind: row.kind as CustomerKind,
    type: row.type as FieldType,
    labels: fromDbJson<{ en: string; 'zh-CN': string }>(row.labels)!,
    sensitivity: row.sensitivity as Sensitivity,
    required: fromDbBool(row.required),
    lookup: row.lookup as LookupKind,
    ...(row.options ? { options: fromDbJson<string[]>(row.options)! } : {}),
    purposes: fromDbJson<string[]>(row.purposes) ?? [],
    builtIn: false,
    archived: row.archived_at !== null,
    ...(row.unique_values ? { unique: true } : {}),
    ...(row.validation ? { validation: fromDbJson<FieldValidation>(row.validation)! } : {}),
    ...(row.retention_days !== null ? { retentionDays: row.retention_days } : {}),
  };
}

const TEXT_BOUNDED: ReadonlySet<FieldType> = new Set(['text', 'long_text', 'url', 'email']);
const NUMBER_BOUNDED: ReadonlySet<FieldType> = new Set(['number', 'money']);

/** Bounds fit the type (lengths for text, numbers for numbers and money) and each minimum stays below its maximum. */
function checkValidation(type: FieldType, validation: FieldValidation | null | undefined): void {
  if (!validation) return;
  const lengths = validation.minLength !== undefined || validation.maxLength !== undefined;
  const numbers = validation.min !== undefined || validation.max !== undefined;
  if ((lengths && !TEXT_BOUNDED.has(type)) || (numbers && !NUMBER_BOUNDED.has(type))) {
    throw badRequest('invalid_validation', 'Lengths bound text fields; minimum and maximum bound number and money fields.', 'validation');
  }
  if ((validation.minLength ?? 0) > (validation.maxLength ?? Infinity) || (validation.min ?? -Infinity) > (validation.max ?? Infinity)) {
    throw badRequest('invalid_validation', 'A minimum cannot exceed its maximum.', 'validation');
  }
}

function checkOptions(type: FieldType, options: string[] | undefined): void {
  const needsOptions = type === 'select' || type === 'multi_select';
  if (needsOptions && (!options || options.length === 0)) throw badRequest('options_required', 'A choice field needs its options.', 'options');
  if (!needsOptions && options) throw badRequest('options_not_allowed', 'Only choice fields have options.', 'options');
  if (options && new Set(options).size !== options.length) throw badRequest('duplicate_option', 'Each option appears once.', 'options');
}

/**
 * No-code custom fields. A field's type is fixed once it exists, and so is its class through
 * `update`: values stored under one class must not quietly move to another. The class changes
 * only through the gateway's reclassification, which re-encrypts (or decrypts) every stored
 * value with a stated reason, in the transaction that calls `setSensitivity`.
 */
export function createFieldRegistry({ db, clock, audit }: { db: Kysely<DB>; clock: Clock; audit: Pick<AuditService, 'record'> }) {
  const cache = new Map<string, { registry: Registry; readAt: number }>();

  async function load(workspaceId: string): Promise<Registry> {
    const cached = cache.get(workspaceId);
    if (cached && clock.now().getTime() - cached.readAt < REGISTRY_TTL_MS) return cached.registry;
    const custom = (await listFieldDefinitions(db, workspaceId)).map(fromRow);
    const all = [...BUILT_IN_FIELDS.map((f) => ({ ...f, archived: false })), ...custom];
    const active = all.filter((f) => !f.archived);
    const registry: Registry = {
      all,
      of: (kind) => active.filter((f) => f.kind === kind),
      find: (kind, key) => active.find((f) => f.kind === kind && f.key === key),
    };
    cache.set(workspaceId, { registry, readAt: clock.now().getTime() });
    return registry;
  }

  return {
    load,

    /**
     * The class part of a reclassification: the caller moves the values in the same
     * transaction, records it, and calls `invalidate` once it committed.
     */
    async setSensitivity(executor: Kysely<DB>, workspaceId: string, kind: CustomerKind, key: string, sensitivity: Sensitivity): Promise<void> {
      await updateFieldDefinition(executor, workspaceId, kind, key, { sensitivity, updated_at: toDbTime(clock.now()) });
    },

    /** Forgets the cached registry of a workspace, so the next read sees committed changes. */
    invalidate(workspaceId: string): void {
      cache.delete(workspaceId);
    },

    async create(actor: Extract<Actor, { kind: 'user' }>, input: NewField): Promise<FieldDefinition> {
      authorizeCapability(actor, 'manageSettings');
      if (!(CUSTOMER_KINDS as readonly string[]).includes(input.kind)) throw badRequest('invalid_kind', 'kind must be "person" or "company".', 'kind');
      if (!KEY_PATTERN.test(input.key) || RESERVED_KEYS.has(input.key)) {
        throw badRequest('invalid_key', 'A key starts with a lower-case letter and has 2 to 41 letters and digits (camelCase).', 'key');
      }
      if (!(FIELD_TYPES as readonly string[]).includes(input.type)) throw badRequest('invalid_type', 'Unknown field type.', 'type');
      if (!(SENSITIVITY_CLASSES as readonly string[]).includes(input.sensitivity)) throw badRequest('invalid_sensitivity', 'Unknown sensitivity class.', 'sensitivity');
      // Uniqueness is checked through the field's blind index, so a unique field is an exact-lookup field.
      const lookup = input.unique ? 'exact' : (input.lookup ?? 'none');
      if (lookup === 'name' || (lookup === 'exact' && !EXACT_LOOKUP_TYPES.has(input.type))) {
        throw badRequest('invalid_lookup', 'Exact lookup and unique values are for text, email, phone, ID and card fields.', input.unique ? 'unique' : 'lookup');
      }
      checkOptions(input.type, input.options);
      checkValidation(input.type, input.validation);
      const registry = await load(actor.workspaceId);
      if (registry.all.some((f) => f.kind === input.kind && f.key === input.key)) {
        throw conflict('field_exists', `There already is a field "${input.key}" for ${input.kind} customers.`, 'key');
      }
      const now = toDbTime(clock.now());
      const row: FieldDefinitionRow = {
        workspace_id: actor.workspaceId,
        kind: input.kind,
        key: input.key,
        type: input.type,
        labels: toDbJson({ en: input.labels.en.trim(), 'zh-CN': input.labels['zh-CN'].trim() }),
        sensitivity: input.sensitivity,
        required: toDbBool(input.required ?? false),
        lookup,
        options: input.options ? toDbJson(input.options) : null,
        purposes: toDbJson(input.purposes ?? []),
        position: registry.all.length,
        created_at: now,
        updated_at: now,
        archived_at: null,
        unique_values: toDbBool(input.unique ?? false),
        validation: input.validation ? toDbJson(input.validation) : null,
        retention_days: input.retentionDays ?? null,
      };
      await db.transaction().execute(async (trx) => {
        await insertFieldDefinition(trx, row);
        await audit.record(
          actor,
          { action: 'field.created', outcome: 'success', metadata: { kind: row.kind, key: row.key, type: row.type, sensitivity: row.sensitivity }, object: { type: 'field', id: `${row.kind}.${row.key}` } },
          trx,
        );
      });
      cache.delete(actor.workspaceId);
      return fromRow(row);
    },

    async update(actor: Extract<Actor, { kind: 'user' }>, kind: CustomerKind, key: string, changes: FieldChanges): Promise<FieldDefinition & { archived: boolean }> {
      authorizeCapability(actor, 'manageSettings');
      const field = (await load(actor.workspaceId)).all.find((f) => f.kind === kind && f.key === key);
      if (!field) throw notFound('field_not_found', 'No such field.');
      if (field.builtIn) throw conflict('built_in_field', 'Built-in fields cannot be changed.');
      if (changes.options) {
        checkOptions(field.type, changes.options);
        // Removing a choice would leave stored values no form can show: options only grow.
        const removed = (field.options ?? []).filter((o) => !changes.options!.includes(o));
        if (removed.length) throw conflict('option_in_use', `Options cannot be removed (${removed.join(', ')}); archive the field instead.`, 'options');
      }
      if (changes.validation) checkValidation(field.type, changes.validation);
      if (changes.unique && !field.unique) {
        if (field.lookup !== 'exact') throw badRequest('invalid_lookup', 'Only exact-lookup fields can require unique values.', 'unique');
        if (await hasDuplicateValues(db, actor.workspaceId, `${kind}.${key}`)) {
          throw conflict('duplicate_values', 'Some customers share a value of this field: merge or correct them before requiring unique values.', 'unique');
        }
      }
      const set = {
        ...(changes.unique !== undefined ? { unique_values: toDbBool(changes.unique) } : {}),
        ...(changes.validation !== undefined ? { validation: changes.validation ? toDbJson(changes.validation) : null } : {}),
        ...(changes.retentionDays !== undefined ? { retention_days: changes.retentionDays } : {}),
        ...(changes.labels ? { labels: toDbJson({ en: changes.labels.en.trim(), 'zh-CN': changes.labels['zh-CN'].trim() }) } : {}),
        ...(changes.required !== undefined ? { required: toDbBool(changes.required) } : {}),
        ...(changes.options ? { options: toDbJson(changes.options) } : {}),
        ...(changes.purposes ? { purposes: toDbJson(changes.purposes) } : {}),
        ...(changes.archived !== undefined ? { archived_at: changes.archived ? toDbTime(clock.now()) : null } : {}),
        updated_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await updateFieldDefinition(trx, actor.workspaceId, kind, key, set);
        await audit.record(actor, { action: 'field.updated', outcome: 'success', metadata: { kind, key, changes: Object.keys(changes) }, object: { type: 'field', id: `${kind}.${key}` } }, trx);
      });
      cache.delete(actor.workspaceId);
      return (await load(actor.workspaceId)).all.find((f) => f.kind === kind && f.key === key)!;
    },
  };
}

export type FieldRegistry = ReturnType<typeof createFieldRegistry>;
