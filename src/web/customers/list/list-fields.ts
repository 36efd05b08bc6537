import type { CustomerKind, FieldType } from '../../../shared/fields.js';
import type { RegistryField } from '../customers-api.js';
import { parseFilter, type FilterOperator, type ListQuery } from '../search-query.js';

/**
 * What the list can show, sort and filter by, read from the field registry. Only plain values
 * (public and internal fields, and the record's own times) are sorted and filtered: personal
 * and sensitive values are stored encrypted, and a filter on them would be an oracle.
 */

/** Properties every record has outside the registry. */
export type RecordKey = 'kind' | 'createdAt' | 'updatedAt';
const TIME_KEYS: readonly RecordKey[] = ['createdAt', 'updatedAt'];
/** Filters a link may carry that are no column (a user's customers): they hold for every kind. */
export const REFERENCE_FILTER_KEYS: readonly string[] = ['ownerId'];

/** How a filter's value is asked for and written. */
export type ValueInput = 'text' | 'number' | 'money' | 'date' | 'instant' | 'boolean' | 'choice' | 'items' | 'company';

export interface ListColumn {
  key: string;
  /** The field for each kind in the list that has this key; empty for the record's own properties. */
  fields: RegistryField[];
  sortable: boolean;
  filterable: boolean;
  input: ValueInput;
  /** The least it needs on screen, in pixels; wider screens share out the rest. */
  width: number;
}

export const DEFAULT_COLUMNS: readonly string[] = ['name', 'kind', 'email', 'phone', 'lifecycleStage', 'createdAt'];
/** The first column names the customer and links to them: always shown. */
export const NAME_COLUMN = 'name';

const OPERATORS: Record<ValueInput, readonly FilterOperator[]> = {
  text: ['eq', 'ne', 'contains', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  money: ['gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  date: ['eq', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'],
  instant: ['gte', 'lt', 'empty', 'notEmpty'],
  boolean: ['eq', 'empty'],
  choice: ['eq', 'ne', 'in', 'empty', 'notEmpty'],
  items: ['contains', 'empty', 'notEmpty'],
  company: ['eq', 'ne', 'empty', 'notEmpty'],
};

export function operatorsFor(column: ListColumn): readonly FilterOperator[] {
  // The record's own times are always set.
  return TIME_KEYS.includes(column.key as RecordKey) ? ['gte', 'lt'] : OPERATORS[column.input];
}

function inputOf(type: FieldType | undefined): ValueInput {
  switch (type) {
    case 'number':
      return 'number';
    case 'money':
      return 'money';
    case 'date':
      return 'date';
    case 'datetime':
      return 'instant';
    case 'boolean':
      return 'boolean';
    case 'select':
      return 'choice';
    case 'multi_select':
    case 'tags':
      return 'items';
    case 'company':
      return 'company';
    default:
      return 'text';
  }
}

const WIDTHS: Partial<Record<ValueInput, number>> = { number: 120, money: 140, boolean: 110, choice: 170, date: 150, instant: 180, items: 200, company: 200 };
const KEY_WIDTHS: Record<string, number> = { name: 200, email: 200, phone: 150, kind: 100, createdAt: 180, updatedAt: 180 };

const isPlain = (field: RegistryField) => field.sensitivity === 'public' || field.sensitivity === 'internal';

function fieldColumn(key: string, fields: RegistryField[]): ListColumn {
  const input = inputOf(fields[0]?.type);
  const plain = fields.every(isPlain);
  // Several values, or an id: nothing a reader would sort by.
  const sortable = plain && input !== 'items' && input !== 'company';
  return { key, fields, sortable, filterable: plain, input, width: KEY_WIDTHS[key] ?? WIDTHS[input] ?? 170 };
}

/**
 * Every column a list of this kind (or of both kinds) offers: the name, the kind (when both are
 * listed), the registry's fields in its order, then the record's times. A key both kinds have is one column; it sorts
 * and filters only if it is plain for both (a company's name is public, a person's personal).
 */
export function availableColumns(fields: readonly RegistryField[], kind: CustomerKind | null): ListColumn[] {
  const inList = fields.filter((field) => !field.archived && (kind === null || field.kind === kind));
  const byKey = new Map<string, RegistryField[]>();
  for (const field of inList) byKey.set(field.key, [...(byKey.get(field.key) ?? []), field]);
  const columns = [...byKey].map(([key, sameKey]) => fieldColumn(key, sameKey));
  const kindColumn: ListColumn[] = kind === null ? [{ key: 'kind', fields: [], sortable: false, filterable: false, input: 'choice', width: KEY_WIDTHS.kind! }] : [];
  const times = TIME_KEYS.map((key): ListColumn => ({ key, fields: [], sortable: true, filterable: true, input: 'instant', width: KEY_WIDTHS[key]! }));
  const name = columns.find((column) => column.key === NAME_COLUMN);
  return [...(name ? [name] : []), ...kindColumn, ...columns.filter((column) => column !== name), ...times];
}

/** The columns to draw: the name, then the chosen ones in the order offered, as many as fit. */
export function visibleColumns(available: readonly ListColumn[], chosen: readonly string[], max = Infinity): ListColumn[] {
  const wanted = new Set([NAME_COLUMN, ...chosen]);
  return available.filter((column) => wanted.has(column.key)).slice(0, Math.max(1, max));
}

/**
 * The query narrowed to what a list of `kind` can do: a filter or sort on a field this kind
 * lacks, or that is personal for it, would only be refused by the server.
 */
export function applicableTo(query: ListQuery, fields: readonly RegistryField[], kind: CustomerKind | null): ListQuery {
  const columns = new Map(availableColumns(fields, kind).map((column) => [column.key, column]));
  const filters = query.filters.filter((text) => {
    const filter = parseFilter(text);
    if (filter && REFERENCE_FILTER_KEYS.includes(filter.key)) return true;
    const column = filter && columns.get(filter.key);
    return column ? column.filterable && operatorsFor(column).includes(filter.op) : false;
  });
  const sortKey = query.sort?.replace(/^-/, '');
  const sort = sortKey && columns.get(sortKey)?.sortable ? query.sort : null;
  return { ...query, kind, filters, sort };
}
