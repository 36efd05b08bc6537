import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { listSearchParams, readListQuery, type ListQuery } from '../search-query.js';
import { useStoredColumns } from './use-stored-columns.js';
import { definitionOf, queryOfView, showsView } from './view-definition.js';
import { VIEW_QUERY_KEY, viewsApi, type SavedView } from './views-api.js';

/**
 * Everything the list shows and where it lives: search, kind, filters, sort and the chosen
 * view in the address; columns in this browser, per user — or the chosen view's, changed
 * here until saved back.
 */
export function useListState(userId: string, { viewsAllowed }: { viewsAllowed: boolean }) {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readListQuery(params), [params]);
  // Asked once the caller is known to read customers: a refused role is not refused twice.
  const views = useQuery({ queryKey: VIEW_QUERY_KEY, queryFn: viewsApi.list, select: (data) => data.items, staleTime: 60_000, enabled: viewsAllowed });
  const activeView = (query.view && views.data?.find((view) => view.id === query.view)) || null;

  const [storedColumns, setStoredColumns] = useStoredColumns(userId);
  const [viewColumns, setViewColumns] = useState<{ viewId: string; columns: string[] } | null>(null);
  const columns = activeView ? (viewColumns?.viewId === activeView.id ? viewColumns.columns : (activeView.definition.columns ?? storedColumns)) : storedColumns;

  const setColumns = useCallback(
    (next: string[]) => (activeView ? setViewColumns({ viewId: activeView.id, columns: next }) : setStoredColumns(next)),
    [activeView, setStoredColumns],
  );

  /** Changes part of the list; read from the address at the time, so a late debounced search keeps a filter added meanwhile. */
  const update = useCallback(
    (changes: Partial<ListQuery>, options: { replace?: boolean } = {}) => setParams((current) => listSearchParams({ ...readListQuery(current), ...changes }), options),
    [setParams],
  );

  const openView = useCallback(
    (view: SavedView | null) => {
      setViewColumns(null);
      setParams(view ? listSearchParams(queryOfView(view)) : new URLSearchParams());
    },
    [setParams],
  );

  const definition = definitionOf(query, columns);
  return {
    query,
    update,
    views,
    activeView,
    openView,
    columns,
    setColumns,
    /** The list as a view would save it. */
    definition,
    /** The chosen view's settings were changed here and not saved back yet. */
    modified: activeView !== null && !showsView(activeView.definition, definition),
  };
}

export type ListState = ReturnType<typeof useListState>;
