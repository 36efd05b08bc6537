import type { CustomerKind, FieldDefinition } from '../../shared/fields.js';
import { api } from '../api/client.js';
import type { ItemList } from '../api/types.js';

/** A field as the registry sends it; custom fields may be archived (kept for old values, not offered for new ones). */
export type RegistryField = FieldDefinition & { archived?: boolean };

/**
 * A customer as the gateway shows it to the caller: field values by key at the top level,
 * masked values as masked strings, fields the caller may not see absent.
 */
export type CustomerRecord = { id: string; kind: CustomerKind; createdAt: string; updatedAt: string } & Record<string, unknown>;

export interface CustomerPage {
  items: CustomerRecord[];
  nextCursor: string | null;
}

/** The lookups `GET /api/customers` answers, one at a time. */
export type LookupKey = 'email' | 'phone' | 'nationalId' | 'name';

export const PAGE_SIZE = 50;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const customersApi = {
  fields: () => api.get<ItemList<RegistryField>>('/api/customers/fields'),
  list: (cursor: string | null) => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    return api.get<CustomerPage>(`/api/customers?${query}`);
  },
  lookup: (key: LookupKey, value: string) => api.get<CustomerPage>(`/api/customers?${new URLSearchParams({ [key]: value })}`),
  get: (id: string) => api.get<CustomerRecord>(customerPath(id)),
  create: (input: { kind: CustomerKind } & Record<string, unknown>) => api.post<CustomerRecord>('/api/customers', input),
  update: (id: string, changes: Record<string, unknown>) => api.patch<CustomerRecord>(customerPath(id), changes),
  remove: (id: string) => api.delete(customerPath(id)),
  restore: (id: string) => api.post<CustomerRecord>(`${customerPath(id)}/restore`),
  reveal: (id: string, fields: string[], reason: string) => api.post<Record<string, unknown>>(`${customerPath(id)}/reveal`, { fields, reason }),
};

export const CUSTOMER_QUERY_KEYS = {
  fields: ['customers', 'fields'] as const,
  /** The browse list and every lookup: what a create, edit, delete or restore makes stale. */
  lists: ['customers', 'lists'] as const,
  browse: ['customers', 'lists', 'browse'] as const,
  lookup: (key: LookupKey, value: string) => ['customers', 'lists', 'lookup', key, value] as const,
  record: (id: string) => ['customers', 'record', id] as const,
};
