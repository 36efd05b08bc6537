import { api } from '../api/client.js';
import type { ItemList, User } from '../api/types.js';

export interface MfaStatus {
  totpEnabled: boolean;
  recoveryCodesRemaining: number;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

export interface SessionItem {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface ApiTokenItem {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const accountApi = {
  updateProfile: (input: { displayName?: string; locale?: string | null }) => api.patch<{ user: User }>('/api/account', input),
  changeEmail: (email: string) => api.post<{ user: User }>('/api/account/email', { email }),
  changePassword: (input: { currentPassword: string; newPassword: string }) => api.post<void>('/api/account/password', input),

  mfaStatus: () => api.get<MfaStatus>('/api/account/mfa'),
  beginTotpSetup: () => api.post<TotpSetup>('/api/account/mfa/totp/setup'),
  enableTotp: (code: string) => api.post<{ recoveryCodes: string[] }>('/api/account/mfa/totp/enable', { code }),
  disableTotp: () => api.post<void>('/api/account/mfa/totp/disable'),
  regenerateRecoveryCodes: () => api.post<{ recoveryCodes: string[] }>('/api/account/mfa/recovery-codes'),

  sessions: () => api.get<ItemList<SessionItem>>('/api/account/sessions'),
  endSession: (id: string) => api.delete(`/api/account/sessions/${encodeURIComponent(id)}`),
  endAllSessions: () => api.post<void>('/api/account/sessions/end-all'),

  tokens: () => api.get<ItemList<ApiTokenItem>>('/api/account/tokens'),
  createToken: (input: { name: string; expiresInDays: number }) => api.post<{ token: string; item: ApiTokenItem }>('/api/account/tokens', input),
  revokeToken: (id: string) => api.delete(`/api/account/tokens/${encodeURIComponent(id)}`),
};

export const ACCOUNT_QUERY_KEYS = {
  mfa: ['account', 'mfa'] as const,
  sessions: ['account', 'sessions'] as const,
  tokens: ['account', 'tokens'] as const,
};
