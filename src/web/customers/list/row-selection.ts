import { useCallback, useMemo, useState } from 'react';

/** What the header's box shows for the rows loaded: none of them ticked, some, or all. */
export type PageSelection = 'none' | 'some' | 'all';

const NOTHING: ReadonlySet<string> = new Set();

/** The selection with one row ticked or unticked. */
export function toggled(selected: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** How many of the loaded rows are ticked. */
export function pageSelection(selected: ReadonlySet<string>, ids: readonly string[]): PageSelection {
  if (selected.size === 0 || ids.length === 0) return 'none';
  const ticked = ids.reduce((count, id) => count + (selected.has(id) ? 1 : 0), 0);
  return ticked === 0 ? 'none' : ticked === ids.length ? 'all' : 'some';
}

/**
 * The header's box: when every loaded row is ticked it unticks them; otherwise it ticks them all.
 * Rows ticked elsewhere keep their state.
 */
export function toggledPage(selected: ReadonlySet<string>, ids: readonly string[]): ReadonlySet<string> {
  const next = new Set(selected);
  if (pageSelection(selected, ids) === 'all') for (const id of ids) next.delete(id);
  else for (const id of ids) next.add(id);
  return next;
}

export interface RowSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  togglePage: (ids: readonly string[]) => void;
  clear: () => void;
}

/**
 * The rows ticked in the customers list. It lives above the virtualized table, so rows scrolled
 * out of view and back keep their box; it belongs to one list (`listKey`: search, kind, filters,
 * sort), so another list starts with nothing ticked and customers no longer shown are never
 * acted on by surprise.
 */
export function useRowSelection(listKey: string): RowSelection {
  const [state, setState] = useState<{ listKey: string; ids: ReadonlySet<string> }>({ listKey, ids: NOTHING });
  const selected = state.listKey === listKey ? state.ids : NOTHING;
  // Stable while the list is the same, so the rows (memoized) re-render only when their own box changes.
  const toggle = useCallback((id: string) => setState((current) => ({ listKey, ids: toggled(current.listKey === listKey ? current.ids : NOTHING, id) })), [listKey]);
  const togglePage = useCallback(
    (ids: readonly string[]) => setState((current) => ({ listKey, ids: toggledPage(current.listKey === listKey ? current.ids : NOTHING, ids) })),
    [listKey],
  );
  const clear = useCallback(() => setState({ listKey, ids: NOTHING }), [listKey]);
  return useMemo(() => ({ selected, toggle, togglePage, clear }), [selected, toggle, togglePage, clear]);
}
