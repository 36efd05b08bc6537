import { api, apiRequest } from '../api/client.js';
import type { CustomerRecord } from './customers-api.js';

/** A colleague a customer may be handed to, with their team (`GET /api/customers/assignable-owners`). */
export interface AssignableOwner {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
}

/** Whom the signed-in user may hand customers to, and the teams they may place them in. */
export interface AssignableOwners {
  items: AssignableOwner[];
  teams: { id: string; name: string }[];
}

/** The new owner; the owning team is the new owner's own unless one is named. */
export interface OwnerChange {
  ownerId: string;
  teamId?: string;
}

/** What one bulk call did: how many customers now have the new owner, and the ids the caller may not reassign (gone or out of scope, alike). */
export interface BulkReassignResult {
  reassigned: number;
  notFound: string[];
}

export { MAX_REASSIGN_BATCH as REASSIGN_BATCH } from '../../shared/ownership.js';

export const ownerApi = {
  assignable: () => api.get<AssignableOwners>('/api/customers/assignable-owners'),
  reassign: (customerId: string, change: OwnerChange) => apiRequest<CustomerRecord>('PUT', `/api/customers/${encodeURIComponent(customerId)}/owner`, { body: change }),
  reassignMany: (ids: readonly string[], change: OwnerChange) => api.post<BulkReassignResult>('/api/customers/reassign', { ids, ...change }),
};

export const ASSIGNABLE_OWNERS_QUERY_KEY = ['customers', 'assignable-owners'] as const;
