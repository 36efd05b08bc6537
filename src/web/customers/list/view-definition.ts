import type { ListQuery } from '../search-query.js';
import type { SavedView, ViewDefinition } from './views-api.js';

/** The list as shown, as a view stores it: empty parts left out, as the server keeps them. */
export function definitionOf(query: ListQuery, columns: readonly string[]): ViewDefinition {
  const q = query.q.trim();
  return {
    ...(q ? { q } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.filters.length ? { filters: [...query.filters] } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(columns.length ? { columns: [...columns] } : {}),
  };
}

/** The list a view opens. */
export function queryOfView(view: SavedView): ListQuery {
  const { q, kind, filters, sort } = view.definition;
  return { q: q ?? '', kind: kind ?? null, filters: filters ?? [], sort: sort ?? null, view: view.id };
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined) => (a ?? []).join('\n') === (b ?? []).join('\n');
const sameSet = (a: readonly string[] | undefined, b: readonly string[] | undefined) => sameList([...(a ?? [])].sort(), [...(b ?? [])].sort());

/**
 * Whether the list still shows what the view saved. Columns count only when the view keeps
 * them, and in any order (they are drawn in the order the registry offers them).
 */
export function showsView(view: ViewDefinition, shown: ViewDefinition): boolean {
  return (
    (view.q ?? '') === (shown.q ?? '') &&
    view.kind === shown.kind &&
    sameList(view.filters, shown.filters) &&
    view.sort === shown.sort &&
    (view.columns === undefined || sameSet(view.columns, shown.columns))
  );
}
