import type { CustomerKind, FieldDefinition, FieldType, FieldValidation, Sensitivity } from '../../shared/fields.js';
import { api } from '../api/client.js';
import type { ItemList, User } from '../api/types.js';

/** A user on the admin list, with their team when the list says it (`undefined`: not said, `null`: no team). */
export type AdminUser = User & { teamId?: string | null };

export interface InvitationItem {
  id: string;
  email: string;
  role: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface WorkspaceSettings {
  requireMfa: boolean;
  /** ISO 3166 alpha-2: the region phone numbers typed without a country code are read in. */
  phoneRegion: string;
  auditRetentionDays: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
}

export interface NewFieldInput {
  kind: CustomerKind;
  key: string;
  type: FieldType;
  labels: { en: string; 'zh-CN': string };
  sensitivity: Sensitivity;
  required?: boolean;
  lookup?: 'none' | 'exact';
  options?: string[];
  purposes?: string[];
  /** Makes the field an exact-lookup field too (exact-lookup types only). */
  unique?: boolean;
  validation?: FieldValidation;
  retentionDays?: number;
}

/**
 * What an admin may change on a custom field: its type and lookup are fixed, and its class
 * changes only through `reclassifyField`. Null clears the bounds or the retention period.
 */
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

/** A reclassification's answer: the field in its new class and how many customers' values moved. */
export interface ReclassifyResult {
  field: FieldDefinition;
  moved: number;
}

export interface KeyVersion {
  /** `data` wraps customer keys; `index` derives the blind-index keys. */
  purpose: string;
  version: number;
  masterKeyId: string;
  createdAt: string;
  retiredAt: string | null;
  /** Customer keys this data-key version wraps; null for the index key. */
  subjectKeys: number | null;
}

export type RewrapState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RewrapStatus {
  state: RewrapState;
  done: number;
  total: number;
  /** Customer keys per second. */
  rate: number;
  /** Seconds left; null while unknown. */
  eta: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error?: string;
}

export interface KeysOverview {
  keys: KeyVersion[];
  rewrap: RewrapStatus;
}

const fieldPath = (kind: CustomerKind, key: string) => `/api/admin/fields/${encodeURIComponent(kind)}/${encodeURIComponent(key)}`;

export const adminApi = {
  users: () => api.get<ItemList<AdminUser>>('/api/admin/users'),
  /** Any role of the workspace, custom ones included; the server decides which it accepts. */
  setRole: (id: string, role: string) => api.patch<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}`, { role }),
  deactivate: (id: string) => api.post<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}/deactivate`),
  reactivate: (id: string) => api.post<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}/reactivate`),

  invitations: () => api.get<ItemList<InvitationItem>>('/api/admin/invitations'),
  /** Any role of the workspace, custom ones included (as `setRole`). */
  invite: (input: { email: string; role: string }) => api.post<{ invitation: InvitationItem; inviteUrl: string }>('/api/admin/invitations', input),
  revokeInvitation: (id: string) => api.delete(`/api/admin/invitations/${encodeURIComponent(id)}`),

  settings: () => api.get<WorkspaceSettings>('/api/admin/settings'),
  updateSettings: (input: { requireMfa?: boolean; phoneRegion?: string; auditRetentionDays?: number }) => api.patch<WorkspaceSettings>('/api/admin/settings', input),

  createField: (input: NewFieldInput) => api.post<FieldDefinition>('/api/admin/fields', input),
  setFieldArchived: (kind: CustomerKind, key: string, archived: boolean) => api.patch<FieldDefinition>(fieldPath(kind, key), { archived }),
  updateField: (kind: CustomerKind, key: string, changes: FieldChanges) => api.patch<FieldDefinition>(fieldPath(kind, key), changes),
  /** Moves every stored value of the field to its new class in one transaction; the reason goes to the audit trail. */
  reclassifyField: (kind: CustomerKind, key: string, input: { sensitivity: Sensitivity; reason: string }) => api.post<ReclassifyResult>(`${fieldPath(kind, key)}/reclassify`, input),

  keys: () => api.get<KeysOverview>('/api/admin/keys'),
  rotateKey: () => api.post<KeysOverview>('/api/admin/keys/rotate'),
  startRewrap: () => api.post<KeysOverview>('/api/admin/keys/rewrap'),
  cancelRewrap: () => api.delete<KeysOverview>('/api/admin/keys/rewrap'),
};

export const ADMIN_QUERY_KEYS = {
  users: ['admin', 'users'] as const,
  invitations: ['admin', 'invitations'] as const,
  settings: ['admin', 'settings'] as const,
  keys: ['admin', 'keys'] as const,
};
