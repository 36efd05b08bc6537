import { CUSTOMER_KINDS, type CustomerKind } from '../../shared/fields.js';

/**
 * What the customers list shows, as the address carries it (`/customers?q=…&kind=…&filter=…&sort=…&view=…`),
 * so a link reproduces the list and Back from a customer returns to it. The server reads the
 * search text itself (an email, a phone number in any format, an ID number, a name or any
 * word of the plain fields): the page sends `q` as typed.
 */
export interface ListQuery {
  q: string;
  kind: CustomerKind | null;
  /** `key:op:value` each, as `GET /api/customers` takes them. */
  filters: string[];
  /** `key` ascending, `-key` descending; null for the server's default, newest first. */
  sort: string | null;
  /** The saved view the list was opened from, if any. */
  view: string | null;
}

export const FILTER_OPERATORS = ['eq', 'ne', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Filter {
  key: string;
  op: FilterOperator;
  /** Empty for `empty` and `notEmpty`; `|` separates the values of `in`. */
  value: string;
}

/** As many as the server and a saved view take. */
export const MAX_FILTERS = 20;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** As long a search as the server reads. */
export const MAX_Q = 200;

export const EMPTY_QUERY: ListQuery = { q: '', kind: null, filters: [], sort: null, view: null };

/** Reads `key:op:value` (the value may hold colons); null for anything else. */
export function parseFilter(text: string): Filter | null {
  const [key = '', op = '', ...rest] = text.split(':');
  if (!KEY.test(key) || !(FILTER_OPERATORS as readonly string[]).includes(op)) return null;
  return { key, op: op as FilterOperator, value: rest.join(':') };
}

export function formatFilter({ key, op, value }: Filter): string {
  return op === 'empty' || op === 'notEmpty' ? `${key}:${op}` : `${key}:${op}:${value}`;
}

/** The list a link asks for; parts that do not parse are left out rather than sent to fail. */
export function readListQuery(params: URLSearchParams): ListQuery {
  const kind = params.get('kind');
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').slice(0, MAX_Q),
    kind: (CUSTOMER_KINDS as readonly string[]).includes(kind ?? '') ? (kind as CustomerKind) : null,
    filters: params
      .getAll('filter')
      .filter((text) => parseFilter(text) !== null)
      .slice(0, MAX_FILTERS),
    sort: sort && KEY.test(sort.replace(/^-/, '')) ? sort : null,
    view: params.get('view') || null,
  };
}

/** The address of a list: only the parts that differ from the default. */
export function listSearchParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.view) params.set('view', query.view);
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.kind) params.set('kind', query.kind);
  for (const filter of query.filters) params.append('filter', filter);
  if (query.sort) params.set('sort', query.sort);
  return params;
}

/** The query string of one page of `GET /api/customers`. */
export function apiSearchParams(query: Omit<ListQuery, 'view'>, cursor: string | null, limit: number): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.kind) params.set('kind', query.kind);
  for (const filter of query.filters) params.append('filter', filter);
  if (query.sort) params.set('sort', query.sort);
  if (cursor) params.set('cursor', cursor);
  return params;
}

/** The server's order when none is asked for: newest first. */
export const DEFAULT_SORT = '-createdAt';

/** How the list is sorted by `key`, if it is. */
export function sortDirection(sort: string | null, key: string): 'asc' | 'desc' | null {
  const current = sort ?? DEFAULT_SORT;
  if (current === key) return 'asc';
  if (current === `-${key}`) return 'desc';
  return null;
}

/** A click on a column header: ascending, then descending, then back to the default order. */
export function nextSort(sort: string | null, key: string): string | null {
  const direction = sortDirection(sort, key);
  const next = direction === null ? key : direction === 'asc' ? `-${key}` : null;
  // The default order's own column only turns around.
  if (next === null) return `-${key}` === DEFAULT_SORT ? key : null;
  return next === DEFAULT_SORT ? null : next;
}

/** Whether the list is narrowed at all: an empty answer then means "no match", not "no customers". */
export function isNarrowed(query: Pick<ListQuery, 'q' | 'kind' | 'filters'>): boolean {
  return query.q.trim() !== '' || query.kind !== null || query.filters.length > 0;
}
