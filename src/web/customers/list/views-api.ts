import type { CustomerKind } from '../../../shared/fields.js';
import { api } from '../../api/client.js';
import type { ItemList } from '../../api/types.js';

/** What a saved view reproduces: the list's search, kind, filters and sort, and its columns. */
export interface ViewDefinition {
  q?: string;
  kind?: CustomerKind;
  filters?: string[];
  sort?: string;
  columns?: string[];
}

/** A saved view (`/api/views`): the caller's own, or shared in the workspace. */
export interface SavedView {
  id: string;
  name: string;
  shared: boolean;
  ownerId: string;
  mine: boolean;
  /** Whether the caller may rename, re-share, redefine or delete it. */
  canChange: boolean;
  definition: ViewDefinition;
  createdAt: string;
  updatedAt: string;
}

export interface NewView {
  name: string;
  shared: boolean;
  definition: ViewDefinition;
}

export const VIEW_NAME_MAX = 80;

const viewPath = (id: string) => `/api/views/${encodeURIComponent(id)}`;

export const viewsApi = {
  list: () => api.get<ItemList<SavedView>>('/api/views'),
  create: (view: NewView) => api.post<SavedView>('/api/views', view),
  update: (id: string, changes: Partial<NewView>) => api.patch<SavedView>(viewPath(id), changes),
  remove: (id: string) => api.delete(viewPath(id)),
};

export const VIEW_QUERY_KEY = ['views'] as const;
