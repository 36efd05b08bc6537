import { api } from '../api/client.js';

/** How a field changed (`src/server/vault/gateway/history.ts`). */
export type HistoryChangeKind = 'set' | 'cleared' | 'retention' | 'reclassified';

/**
 * One changed field (`GET /api/customers/:id/history`): values as the server shows them to this
 * user now — in clear, or masked strings; absent when there was none. A reclassification's
 * `old` and `new` are the field's classes.
 */
export interface HistoryEntry {
  id: string;
  at: string;
  field: string;
  kind: HistoryChangeKind;
  actor: { type: 'user' | 'system'; id: string | null; name: string | null };
  old?: unknown;
  new?: unknown;
}

export interface HistoryPage {
  items: HistoryEntry[];
  /** The customer's fields with a history this user may see: what the list can be filtered by. */
  fields: string[];
  nextCursor: string | null;
}

export const HISTORY_PAGE_SIZE = 50;

export const historyApi = {
  page: (customerId: string, field: string | null, cursor: string | null) => {
    const query = new URLSearchParams({ limit: String(HISTORY_PAGE_SIZE) });
    if (field) query.set('field', field);
    if (cursor) query.set('cursor', cursor);
    return api.get<HistoryPage>(`/api/customers/${encodeURIComponent(customerId)}/history?${query}`);
  },
};

/**
 * Under the record's key, so whatever drops a customer's cached data drops this too; with the
 * record's last change, so a change made on the page shows in its history.
 */
export const historyQueryKey = (customerId: string, field: string | null, version: string) => ['customers', 'record', customerId, 'history', field ?? '', version] as const;
