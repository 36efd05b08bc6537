import { api } from '../../api/client.js';

/** A time-boxed grant of the owner's access (docs/API.md, "Roles, teams and break-glass"). */
export interface BreakGlassGrant {
  id: string;
  reason: string;
  startedAt: string;
  expiresAt: string;
}

/** The server's bounds (`BreakGlassBody`, `access/break-glass.ts`), checked here first so the user is told at once. */
export const BREAK_GLASS_MINUTES = { min: 5, max: 240, default: 60 } as const;
export const BREAK_GLASS_MIN_REASON = 10;
export const BREAK_GLASS_MAX_REASON = 500;

export const breakGlassApi = {
  current: () => api.get<{ grant: BreakGlassGrant | null }>('/api/account/break-glass'),
  start: (input: { reason: string; minutes: number }) => api.post<BreakGlassGrant>('/api/account/break-glass', input),
  end: () => api.delete('/api/account/break-glass'),
};

export const BREAK_GLASS_QUERY_KEY = ['account', 'break-glass'] as const;
