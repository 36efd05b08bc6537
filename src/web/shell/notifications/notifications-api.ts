import { api } from '../../api/client.js';
import type { ItemList } from '../../api/types.js';

/** One of the user's own notifications (`GET /api/notifications`, newest first, the latest 100). */
export interface AppNotification {
  id: string;
  /** `break_glass.started`, …; a kind this app does not know is still listed. */
  kind: string;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export const notificationsApi = {
  list: () => api.get<ItemList<AppNotification>>('/api/notifications'),
  markRead: (id: string) => api.post<void>(`/api/notifications/${encodeURIComponent(id)}/read`),
};

export const NOTIFICATIONS_QUERY_KEY = ['notifications'] as const;
/** How often the bell asks for news while the page is in view. */
export const NOTIFICATIONS_POLL_MS = 60_000;
