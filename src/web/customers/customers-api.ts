import type { CustomerKind, FieldDefinition } from '../../shared/fields.js';
import { api } from '../api/client.js';
import type { ItemList } from '../api/types.js';
import { apiSearchParams, type ListQuery } from './search-query.js';

/** A field as the registry sends it; custom fields may be archived (kept for old values, not offered for new ones). */
export type RegistryField = FieldDefinition & { archived?: boolean };

/** What the caller may do to one customer, as the server decides it for that record (its owner and team against the caller's scopes). */
export interface RecordActions {
  update: boolean;
  delete: boolean;
  reassign: boolean;
  reveal: boolean;
}

/**
 * A customer as the gateway shows it to the caller: field values by key at the top level,
 * masked values as masked strings, fields the caller may not see absent. A customer answered
 * on its own (read, create, change, restore) says what the caller may do to it; list rows do not.
 */
export type CustomerRecord = { id: string; kind: CustomerKind; createdAt: string; updatedAt: string; ownerId?: string | null; allowed?: RecordActions } & Record<string, unknown>;

export interface CustomerPage {
  items: CustomerRecord[];
  nextCursor: string | null;
}

/** Rows a page of the list brings: a few screens ahead of the one shown. */
export const PAGE_SIZE = 100;

/** What a page of the list is asked for (the search, kind, filters and sort of the address). */
export type ListRequest = Omit<ListQuery, 'view'>;

export type ContactPointType = 'email' | 'phone' | 'im';
export const CONTACT_POINT_TYPES = ['email', 'phone', 'im'] as const satisfies readonly ContactPointType[];
export type ImChannel = 'wechat' | 'whatsapp' | 'qq' | 'line' | 'telegram' | 'skype' | 'dingtalk' | 'other';
export const IM_CHANNELS = ['wechat', 'whatsapp', 'qq', 'line', 'telegram', 'skype', 'dingtalk', 'other'] as const satisfies readonly ImChannel[];

/** A further email, phone or messaging handle (`GET /api/customers/:id/contact-points`); the value may come masked. */
export interface ContactPoint {
  id: string;
  type: ContactPointType;
  channel: ImChannel | null;
  label: string | null;
  value: string;
  primary: boolean;
}

export interface ContactPointInput {
  type: ContactPointType;
  channel?: ImChannel;
  label?: string;
  value: string;
}

/** A team note, stored encrypted under the customer's key. */
export interface CustomerNote {
  id: string;
  body: string;
  authorId: string | null;
  createdAt: string;
}

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;

export const customersApi = {
  fields: () => api.get<ItemList<RegistryField>>('/api/customers/fields'),
  /** One page, after `cursor` (keyset): the server reads the search text, filters and sort itself. */
  list: (request: ListRequest, cursor: string | null) => api.get<CustomerPage>(`/api/customers?${apiSearchParams(request, cursor, PAGE_SIZE)}`),
  get: (id: string) => api.get<CustomerRecord>(customerPath(id)),
  create: (input: { kind: CustomerKind } & Record<string, unknown>) => api.post<CustomerRecord>('/api/customers', input),
  update: (id: string, changes: Record<string, unknown>) => api.patch<CustomerRecord>(customerPath(id), changes),
  remove: (id: string) => api.delete(customerPath(id)),
  restore: (id: string) => api.post<CustomerRecord>(`${customerPath(id)}/restore`),
  reveal: (id: string, fields: string[], reason: string) => api.post<Record<string, unknown>>(`${customerPath(id)}/reveal`, { fields, reason }),
  contactPoints: (id: string) => api.get<ItemList<ContactPoint>>(`${customerPath(id)}/contact-points`),
  addContactPoint: (id: string, input: ContactPointInput) => api.post<ContactPoint>(`${customerPath(id)}/contact-points`, input),
  removeContactPoint: (id: string, contactPointId: string) => api.delete(`${customerPath(id)}/contact-points/${encodeURIComponent(contactPointId)}`),
  notes: (id: string) => api.get<ItemList<CustomerNote>>(`${customerPath(id)}/notes`),
  addNote: (id: string, body: string) => api.post<CustomerNote>(`${customerPath(id)}/notes`, { body }),
  removeNote: (id: string, noteId: string) => api.delete(`${customerPath(id)}/notes/${encodeURIComponent(noteId)}`),
};

export const CUSTOMER_QUERY_KEYS = {
  fields: ['customers', 'fields'] as const,
  /** Every list of customers: what a create, edit, delete or restore makes stale. */
  lists: ['customers', 'lists'] as const,
  list: (request: ListRequest) => ['customers', 'lists', 'list', request] as const,
  record: (id: string) => ['customers', 'record', id] as const,
  contactPoints: (id: string) => ['customers', 'record', id, 'contact-points'] as const,
  notes: (id: string) => ['customers', 'record', id, 'notes'] as const,
};
