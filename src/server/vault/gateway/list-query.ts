import { CUSTOMER_KINDS, type CustomerKind, type FieldDefinition } from '../../../shared/fields.js';
import { badRequest } from '../../http/errors.js';
import type { Registry } from '../field-registry.js';
import { normalizeDate } from '../standardize/index.js';

// The customers list's filters, sort and cursor, read from the query string and checked
// against the field registry. Only plain (public and internal) values can be filtered or
// sorted on: a personal or sensitive value is ciphertext, and a filter on it would be an
// oracle for its content.

/** What a value is compared as. `array`: tags and multi-selects. */
export type ValueType = 'text' | 'number' | 'boolean' | 'array';

export type Target =
  | { kind: 'column'; column: 'id' | 'created_at' | 'updated_at' | 'owner_user_id'; valueType: ValueType; nullable: boolean }
  | { kind: 'json'; key: string; path: string | null; valueType: ValueType; nullable: true };

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type FilterValue = string | number | boolean;

export interface Filter {
  key: string;
  target: Target;
  op: FilterOperator;
  values: FilterValue[];
}

export interface Sort {
  key: string;
  target: Target;
  direction: 'asc' | 'desc';
}

/** Where the previous page ended: the sort value (null when the row had none) and the row's id. */
export interface Cursor {
  value: FilterValue | null;
  id: string;
}

const OPERATORS_BY_TYPE: Record<ValueType, readonly FilterOperator[]> = {
  text: ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  boolean: ['eq', 'ne', 'empty', 'notEmpty'],
  array: ['contains', 'in', 'empty', 'notEmpty'],
};

const VALUELESS: ReadonlySet<FilterOperator> = new Set(['empty', 'notEmpty']);
const MAX_IN_VALUES = 50;
const MAX_VALUE_LENGTH = 200;

/** The record's own properties, which are columns rather than field values. */
const COLUMNS: Record<string, Target> = {
  createdAt: { kind: 'column', column: 'created_at', valueType: 'number', nullable: false },
  updatedAt: { kind: 'column', column: 'updated_at', valueType: 'number', nullable: false },
  ownerId: { kind: 'column', column: 'owner_user_id', valueType: 'text', nullable: true },
};
/** Ids are time-ordered (UUIDv7): sorting by creation is sorting by id, along the primary key. */
const CREATED_ORDER: Target = { kind: 'column', column: 'id', valueType: 'text', nullable: false };
export const DEFAULT_SORT: Sort = { key: 'createdAt', target: CREATED_ORDER, direction: 'desc' };

function valueTypeOf(field: FieldDefinition): ValueType {
  switch (field.type) {
    case 'number':
    case 'money':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'tags':
    case 'multi_select':
      return 'array';
    default:
      return 'text';
  }
}

/** The column or plain value a key names, for the kinds listed; refuses encrypted fields. */
function targetOf(registry: Registry, key: string, kind: CustomerKind | undefined, use: 'filter' | 'sort'): { target: Target; field: FieldDefinition | null } {
  const column = COLUMNS[key];
  if (column) return { target: column, field: null };
  const candidates = (kind ? [kind] : CUSTOMER_KINDS).map((k) => registry.find(k, key)).filter((f): f is FieldDefinition => f !== undefined);
  if (candidates.length === 0) throw badRequest('unknown_field', `There is no field "${key}".`, key);
  if (candidates.some((f) => f.sensitivity === 'personal' || f.sensitivity === 'sensitive')) {
    throw badRequest(
      use === 'filter' ? 'field_not_filterable' : 'field_not_sortable',
      `"${key}" holds personal data, stored encrypted: it cannot be used to ${use} the list.`,
      key,
    );
  }
  const field = candidates[0]!;
  return { target: { kind: 'json', key, path: field.type === 'money' ? 'amount' : null, valueType: valueTypeOf(field), nullable: true }, field };
}

function parseValue(raw: string, target: Target, field: FieldDefinition | null, key: string): FilterValue {
  if (raw.length > MAX_VALUE_LENGTH) throw badRequest('invalid_filter', `A filter value has at most ${MAX_VALUE_LENGTH} characters.`, key);
  if (target.kind === 'column' && (target.column === 'created_at' || target.column === 'updated_at')) {
    const at = Date.parse(raw);
    if (Number.isNaN(at)) throw badRequest('invalid_filter', `${key} takes an ISO 8601 date or time.`, key);
    return at;
  }
  switch (target.valueType) {
    case 'number': {
      const number = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(number)) throw badRequest('invalid_filter', `${key} takes a number.`, key);
      return number;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw badRequest('invalid_filter', `${key} takes true or false.`, key);
      return raw === 'true';
    default:
      if (field?.type === 'date') {
        const date = normalizeDate(raw);
        if (!date.ok) throw badRequest('invalid_filter', `${key} takes an ISO 8601 date.`, key);
        return date.value;
      }
      return raw;
  }
}

/** Reads one `key:op:value` filter (the value may itself hold colons; `in` separates its values with `|`). */
export function parseFilter(registry: Registry, text: string, kind?: CustomerKind): Filter {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const key = first < 0 ? text : text.slice(0, first);
  const op = (first < 0 ? '' : second < 0 ? text.slice(first + 1) : text.slice(first + 1, second)) as FilterOperator;
  const raw = second < 0 ? '' : text.slice(second + 1);
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw badRequest('invalid_filter', `A filter reads key:operator:value, with an operator among ${FILTER_OPERATORS.join(', ')}.`, key || 'filter');
  }
  const { target, field } = targetOf(registry, key, kind, 'filter');
  if (!OPERATORS_BY_TYPE[target.valueType].includes(op)) throw badRequest('invalid_filter', `"${op}" does not apply to ${key}.`, key);
  if (VALUELESS.has(op)) return { key, target, op, values: [] };
  if (raw === '') throw badRequest('invalid_filter', `"${op}" needs a value: ${key}:${op}:value.`, key);
  const raws = op === 'in' ? raw.split('|') : [raw];
  if (raws.length > MAX_IN_VALUES) throw badRequest('invalid_filter', `"in" takes at most ${MAX_IN_VALUES} values.`, key);
  // Tags and multi-selects hold text: their items compare as text.
  const itemTarget: Target = target.valueType === 'array' ? { ...target, valueType: 'text' } : target;
  return { key, target, op, values: raws.map((value) => parseValue(value, itemTarget, field, key)) };
}

/** Reads `key` (ascending) or `-key` (descending). */
export function parseSort(registry: Registry, text: string | undefined, kind?: CustomerKind): Sort {
  if (!text) return DEFAULT_SORT;
  const direction = text.startsWith('-') ? 'desc' : 'asc';
  const key = text.replace(/^-/, '');
  if (key === 'createdAt') return { ...DEFAULT_SORT, direction };
  const { target } = targetOf(registry, key, kind, 'sort');
  if (target.valueType === 'array') throw badRequest('field_not_sortable', `${key} holds several values: it cannot sort the list.`, key);
  return { key, target, direction };
}

/** Cursors are opaque to clients: base64url of the sort key, the last value and the last id. */
export function encodeCursor(sort: Sort, cursor: Cursor): string {
  return Buffer.from(JSON.stringify([sort.key, sort.direction, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(sort: Sort, text: string): Cursor {
  const invalid = () => badRequest('invalid_cursor', 'The cursor is not one this list gave out (or the sort changed since).', 'cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [key, direction, value, id] = parsed as unknown[];
  if (key !== sort.key || direction !== sort.direction || typeof id !== 'string' || id.length > 64) throw invalid();
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalid();
  return { value, id };
}
