import { api, apiRequest } from '../../api/client.js';
import type { ItemList } from '../../api/types.js';
import type { Team } from './team-tree.js';

const teamPath = (id: string) => `/api/admin/teams/${encodeURIComponent(id)}`;

/** Teams and their hierarchy; each user is in at most one team. */
export const teamsApi = {
  list: () => api.get<ItemList<Team>>('/api/admin/teams'),
  create: (input: { name: string; parentId: string | null }) => api.post<Team>('/api/admin/teams', input),
  update: (id: string, changes: { name?: string; parentId?: string | null }) => api.patch<Team>(teamPath(id), changes),
  /** Refused while the team has sub-teams or members. */
  remove: (id: string) => api.delete(teamPath(id)),
  setUserTeam: (userId: string, teamId: string | null) => apiRequest<void>('PUT', `/api/admin/users/${encodeURIComponent(userId)}/team`, { body: { teamId } }),
};

export const TEAMS_QUERY_KEY = ['admin', 'teams'] as const;
