import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY } from '../search-query.js';
import { definitionOf, queryOfView, showsView } from './view-definition.js';
import type { SavedView } from './views-api.js';

const view: SavedView = {
  id: 'v1',
  name: 'Open leads',
  shared: false,
  ownerId: 'u1',
  mine: true,
  canChange: true,
  definition: { kind: 'person', filters: ['lifecycleStage:eq:lead'], sort: '-updatedAt', columns: ['name', 'email'] },
  createdAt: '2026-11-29T09:00:00.000Z',
  updatedAt: '2026-11-29T09:00:00.000Z',
};

describe('saved views and the list shown', () => {
  it('opens the list a view saved, and saves the list shown the way the server keeps it', () => {
    const query = queryOfView(view);
    expect(query).toEqual({ q: '', kind: 'person', filters: ['lifecycleStage:eq:lead'], sort: '-updatedAt', view: 'v1' });
    expect(definitionOf(query, ['name', 'email'])).toEqual(view.definition);
    expect(definitionOf({ ...EMPTY_QUERY, q: '  ' }, [])).toEqual({});
  });

  it('tells when the list no longer shows the view', () => {
    const shown = definitionOf(queryOfView(view), ['email', 'name']);
    expect(showsView(view.definition, shown)).toBe(true);
    expect(showsView(view.definition, { ...shown, q: 'acme' })).toBe(false);
    expect(showsView(view.definition, { ...shown, filters: [] })).toBe(false);
    expect(showsView(view.definition, { ...shown, columns: ['name'] })).toBe(false);
    // A view without columns leaves them to the user.
    expect(showsView({ ...view.definition, columns: undefined }, { ...shown, columns: ['name', 'tags'] })).toBe(true);
  });
});
