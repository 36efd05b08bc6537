import { api } from '../api/client.js';
import type { Me, User } from '../api/types.js';
import type { PasswordProblem } from '../../shared/password-problems.js';

export interface PasswordCheck {
  ok: boolean;
  score: number;
  problems: PasswordProblem[];
  warning: string | null;
  suggestions: string[];
}

export interface LoginInput {
  email: string;
  password: string;
  code?: string;
  workspace?: string;
}

export interface Invitation {
  email: string;
  workspaceName: string;
  role: string;
  expiresAt: string;
}

export const authApi = {
  setupStatus: () => api.get<{ needsSetup: boolean }>('/api/setup'),
  setup: (input: { setupToken: string; workspaceName: string; email: string; displayName: string; password: string }) =>
    api.post<{ user: User }>('/api/setup', input),
  checkPassword: (password: string, email?: string) =>
    api.post<PasswordCheck>('/api/auth/password-check', email ? { password, email } : { password }),

  login: (input: LoginInput) => api.post<Me>('/api/auth/login', input, { skipSignInRedirect: true, skipReauth: true }),
  logout: () => api.post<void>('/api/auth/logout', undefined, { skipSignInRedirect: true }),
  me: () => api.get<Me>('/api/auth/me'),
  reauth: (proof: { password: string } | { code: string }) =>
    api.post<void>('/api/auth/reauth', proof, { skipSignInRedirect: true, skipReauth: true }),

  invitation: (token: string) => api.get<Invitation>(`/api/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (input: { token: string; displayName: string; password: string }) =>
    api.post<{ user: User }>('/api/invitations/accept', input),
};
