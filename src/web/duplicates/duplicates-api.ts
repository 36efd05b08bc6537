import { api } from '../api/client.js';
import type { CustomerRecord } from '../customers/customers-api.js';
import type { DuplicatePair as SharedPair, DuplicateStatus } from '../../shared/duplicates.js';

export type { DuplicateReason, DuplicateStatus } from '../../shared/duplicates.js';
export type MergeSide = 'survivor' | 'merged';

/** A pair of customers found alike (server: vault/gateway/duplicates.ts), both shown at the caller's field levels. */
export type DuplicatePair = SharedPair<CustomerRecord>;

export interface DuplicatePage {
  items: DuplicatePair[];
  nextCursor: string | null;
}

export interface ScanProgress {
  status: 'idle' | 'running' | 'completed' | 'failed';
  done: number;
  total: number;
  flagged: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RecentMerge {
  id: string;
  createdAt: string;
  fields: Record<string, MergeSide>;
  survivor: CustomerRecord;
  merged: CustomerRecord;
}

export const DUPLICATES_QUERY_KEY = ['duplicates'] as const;

export const duplicatesApi = {
  list: (status: DuplicateStatus, cursor: string | null) => {
    const params = new URLSearchParams({ status, limit: '20' });
    if (cursor) params.set('cursor', cursor);
    return api.get<DuplicatePage>(`/api/duplicates?${params.toString()}`);
  },
  dismiss: (id: string) => api.post<void>(`/api/duplicates/${id}/dismiss`),
  scan: () => api.post<ScanProgress>('/api/duplicates/scan'),
  scanProgress: () => api.get<ScanProgress>('/api/duplicates/scan'),
  merge: (body: { survivorId: string; mergedId: string; fields: Record<string, MergeSide> }) => api.post<{ mergeId: string; survivor: CustomerRecord }>('/api/customers/merge', body),
  recentMerges: () => api.get<{ items: RecentMerge[] }>('/api/customers/merges'),
  undo: (id: string) => api.post<{ survivor: CustomerRecord; merged: CustomerRecord }>(`/api/customers/merges/${id}/undo`),
};
