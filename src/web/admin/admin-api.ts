import type { CustomerKind, FieldDefinition, FieldType, Sensitivity } from '../../shared/fields.js';
import type { RoleKey } from '../../shared/roles.js';
import { api } from '../api/client.js';
import type { ItemList, User } from '../api/types.js';

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
}

const fieldPath = (kind: CustomerKind, key: string) => `/api/admin/fields/${encodeURIComponent(kind)}/${encodeURIComponent(key)}`;

export const adminApi = {
  users: () => api.get<ItemList<User>>('/api/admin/users'),
  setRole: (id: string, role: RoleKey) => api.patch<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}`, { role }),
  deactivate: (id: string) => api.post<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}/deactivate`),
  reactivate: (id: string) => api.post<{ user: User }>(`/api/admin/users/${encodeURIComponent(id)}/reactivate`),

  invitations: () => api.get<ItemList<InvitationItem>>('/api/admin/invitations'),
  invite: (input: { email: string; role: RoleKey }) => api.post<{ invitation: InvitationItem; inviteUrl: string }>('/api/admin/invitations', input),
  revokeInvitation: (id: string) => api.delete(`/api/admin/invitations/${encodeURIComponent(id)}`),

  settings: () => api.get<WorkspaceSettings>('/api/admin/settings'),
  updateSettings: (input: { requireMfa?: boolean; phoneRegion?: string }) => api.patch<WorkspaceSettings>('/api/admin/settings', input),

  createField: (input: NewFieldInput) => api.post<FieldDefinition>('/api/admin/fields', input),
  setFieldArchived: (kind: CustomerKind, key: string, archived: boolean) => api.patch<FieldDefinition>(fieldPath(kind, key), { archived }),
};

export const ADMIN_QUERY_KEYS = {
  users: ['admin', 'users'] as const,
  invitations: ['admin', 'invitations'] as const,
  settings: ['admin', 'settings'] as const,
};
