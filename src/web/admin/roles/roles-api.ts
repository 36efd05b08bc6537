import type { RoleDefinition, RolePermissions } from '../../../shared/permissions.js';
import { api } from '../../api/client.js';
import type { ItemList } from '../../api/types.js';

export type RoleLabels = RoleDefinition['labels'];

const rolePath = (key: string) => `/api/admin/roles/${encodeURIComponent(key)}`;

/** Roles as data (issue #4): the built-in ones, as this workspace changed them, then its own. */
export const rolesApi = {
  list: () => api.get<ItemList<RoleDefinition>>('/api/admin/roles'),
  create: (input: { key: string; labels: RoleLabels; permissions: RolePermissions }) => api.post<RoleDefinition>('/api/admin/roles', input),
  update: (key: string, changes: { labels?: RoleLabels; permissions?: RolePermissions }) => api.patch<RoleDefinition>(rolePath(key), changes),
  /** Deletes a custom role nobody holds; a built-in role goes back to its defaults. */
  remove: (key: string) => api.delete(rolePath(key)),
};

export const ROLES_QUERY_KEY = ['admin', 'roles'] as const;
