import { api, apiRequest } from '../api/client.js';
import type { ItemList } from '../api/types.js';
import type { ContactPoint, CustomerPage } from './customers-api.js';

/**
 * The calls and shapes of the customer page's further sections: addresses, transactions, the
 * behaviour timeline, preferences, support cases, making a contact point primary, and a company's people
 * (docs: the issue 3 API contract; transactions and events: `src/server/customers/schema.ts`).
 */

export const ADDRESS_TYPES = ['home', 'work', 'billing', 'shipping', 'other'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** A postal address; everything but `type` and `country` is personal and may come masked (`***`). */
export interface Address {
  id: string;
  type: AddressType;
  label: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  region: string | null;
  city: string | null;
  district: string | null;
  street: string;
  postalCode: string | null;
  primary: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The parts of an address a person types, in the order the form asks for them. */
export const ADDRESS_PARTS = ['label', 'region', 'city', 'district', 'street', 'postalCode'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export type AddressInput = { type: AddressType; country: string; street: string; primary?: boolean } & Partial<Record<Exclude<AddressPart, 'street'>, string>>;
/** `PATCH`: only what changed; `null` clears an optional part. */
export type AddressChanges = Partial<{ type: AddressType; country: string; street: string; primary: boolean } & Record<Exclude<AddressPart, 'street'>, string | null>>;

export const TRANSACTION_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
/** Statuses the server leaves out of the totals. */
export const UNCOUNTED_STATUSES: ReadonlySet<string> = new Set<TransactionStatus>(['cancelled', 'refunded']);

export interface LineItem {
  sku?: string;
  name: string;
  quantity: number;
  unitAmountMinor: number;
}

/** An order or payment; money in integer minor units of `currency` (ISO 4217). */
export interface Transaction {
  id: string;
  externalId: string | null;
  occurredAt: string;
  amountMinor: number;
  currency: string;
  channel: string | null;
  status: TransactionStatus;
  lineItems: LineItem[];
}

export interface TransactionInput {
  externalId?: string;
  occurredAt: string;
  amountMinor: number;
  currency: string;
  channel?: string;
  status: TransactionStatus;
  lineItems?: LineItem[];
}

export interface CurrencyTotal {
  currency: string;
  amountMinor: number;
  count: number;
}

/** The newest transactions (up to the server's 200) and the totals over all of them. */
export interface TransactionList {
  items: Transaction[];
  totals: CurrencyTotal[];
}

/** A behaviour event (a page view, a sign-in, an order placed…) as ingested by `POST /api/events`. */
export interface CustomerEvent {
  id: string;
  type: string;
  occurredAt: string;
  properties: Record<string, unknown>;
}

export interface EventPage {
  items: CustomerEvent[];
  nextCursor: string | null;
}

export const PREFERENCE_CHANNELS = ['email', 'phone', 'sms', 'wechat', 'whatsapp', 'mail'] as const;
export type PreferenceChannel = (typeof PREFERENCE_CHANNELS)[number];
export const PREFERENCE_LANGUAGES = ['zh-CN', 'en'] as const;
export type PreferenceLanguage = (typeof PREFERENCE_LANGUAGES)[number];

/** How the customer wants to be reached; the customer's fields preferredChannels, preferredLanguage, topics, doNotContact. */
export interface Preferences {
  channels: PreferenceChannel[];
  language: PreferenceLanguage | null;
  topics: string[];
  doNotContact: boolean;
}

/** A support case on the customer (`src/server/customers/case-routes.ts`); owned by whoever opened it. */
export interface SupportCase {
  id: string;
  subject: string;
  status: 'open' | 'closed';
  ownerId: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** The server's bound on a case subject (`NewCaseBody`). */
export const MAX_CASE_SUBJECT = 200;

export const EVENTS_PAGE_SIZE = 50;
/** A company page lists its first people; the customers list holds the rest. */
export const COMPANY_PEOPLE_LIMIT = 20;

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;
const addressPath = (id: string, addressId: string) => `${customerPath(id)}/addresses/${encodeURIComponent(addressId)}`;

export const sectionsApi = {
  addresses: (id: string) => api.get<ItemList<Address>>(`${customerPath(id)}/addresses`),
  addAddress: (id: string, input: AddressInput) => api.post<Address>(`${customerPath(id)}/addresses`, input),
  updateAddress: (id: string, addressId: string, changes: AddressChanges) => api.patch<Address>(addressPath(id, addressId), changes),
  removeAddress: (id: string, addressId: string) => api.delete(addressPath(id, addressId)),
  transactions: (id: string) => api.get<TransactionList>(`${customerPath(id)}/transactions`),
  addTransaction: (id: string, input: TransactionInput) => api.post<Transaction>(`${customerPath(id)}/transactions`, input),
  events: (id: string, cursor: string | null) => {
    const query = new URLSearchParams({ limit: String(EVENTS_PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    return api.get<EventPage>(`${customerPath(id)}/events?${query}`);
  },
  preferences: (id: string) => api.get<Preferences>(`${customerPath(id)}/preferences`),
  savePreferences: (id: string, preferences: Preferences) => apiRequest<Preferences>('PUT', `${customerPath(id)}/preferences`, { body: preferences }),
  makeContactPointPrimary: (id: string, contactPointId: string) =>
    api.post<ItemList<ContactPoint>>(`${customerPath(id)}/contact-points/${encodeURIComponent(contactPointId)}/primary`),
  cases: (id: string) => api.get<ItemList<SupportCase>>(`${customerPath(id)}/cases`),
  openCase: (id: string, subject: string) => api.post<SupportCase>(`${customerPath(id)}/cases`, { subject }),
  closeCase: (id: string, caseId: string) => api.post<SupportCase>(`${customerPath(id)}/cases/${encodeURIComponent(caseId)}/close`),
  companyPeople: (companyId: string) =>
    api.get<CustomerPage>(`/api/customers?${new URLSearchParams({ filter: `companyId:eq:${companyId}`, kind: 'person', limit: String(COMPANY_PEOPLE_LIMIT) })}`),
};

/** Under the record's key, so whatever drops a customer's cached data drops these too. */
export const SECTION_QUERY_KEYS = {
  addresses: (id: string) => ['customers', 'record', id, 'addresses'] as const,
  transactions: (id: string) => ['customers', 'record', id, 'transactions'] as const,
  events: (id: string) => ['customers', 'record', id, 'events'] as const,
  preferences: (id: string) => ['customers', 'record', id, 'preferences'] as const,
  cases: (id: string) => ['customers', 'record', id, 'cases'] as const,
  /** Among the lists: creating, deleting or restoring a customer makes it stale. */
  companyPeople: (companyId: string) => ['customers', 'lists', 'company-people', companyId] as const,
};
