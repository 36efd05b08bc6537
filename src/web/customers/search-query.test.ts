import { describe, expect, it } from 'vitest';
import { apiSearchParams, formatFilter, isNarrowed, listSearchParams, MAX_FILTERS, nextSort, parseFilter, readListQuery, sortDirection, type ListQuery } from './search-query.js';

const params = (text: string) => new URLSearchParams(text);

describe('the customers list in the address', () => {
  it('reads what a link asks for and writes it back the same way', () => {
    const link = 'view=0191&q=%E5%BC%A0%E4%BC%9F&kind=person&filter=lifecycleStage%3Aeq%3Alead&filter=tags%3Acontains%3Avip&sort=-updatedAt';
    const query = readListQuery(params(link));
    expect(query).toEqual({ q: '张伟', kind: 'person', filters: ['lifecycleStage:eq:lead', 'tags:contains:vip'], sort: '-updatedAt', view: '0191' });
    expect(listSearchParams(query).toString()).toBe(link);
  });

  it('leaves out what does not parse instead of sending it to fail', () => {
    const query = readListQuery(params('kind=robot&filter=nonsense&filter=stage:like:x&filter=source:empty&sort=name%20desc'));
    expect(query).toEqual({ q: '', kind: null, filters: ['source:empty'], sort: null, view: null });
    const many = new URLSearchParams(Array.from({ length: MAX_FILTERS + 5 }, () => ['filter', 'source:notEmpty']));
    expect(readListQuery(many).filters).toHaveLength(MAX_FILTERS);
  });

  it('keeps the default list out of the address', () => {
    expect(listSearchParams({ q: '  ', kind: null, filters: [], sort: null, view: null }).toString()).toBe('');
  });

  it('sends the search as typed, with the cursor and page size, but not the view', () => {
    const query: ListQuery = { q: ' +86-138-0013-8000 ', kind: 'company', filters: ['size:in:1-10|11-50'], sort: 'name', view: 'v1' };
    expect(Object.fromEntries(apiSearchParams(query, 'abc', 100))).toEqual({ limit: '100', q: '+86-138-0013-8000', kind: 'company', filter: 'size:in:1-10|11-50', sort: 'name', cursor: 'abc' });
  });

  it('tells a narrowed list from the whole one', () => {
    expect(isNarrowed({ q: '', kind: null, filters: [] })).toBe(false);
    expect(isNarrowed({ q: 'acme', kind: null, filters: [] })).toBe(true);
    expect(isNarrowed({ q: '', kind: 'person', filters: [] })).toBe(true);
  });
});

describe('filters', () => {
  it.each([
    ['lifecycleStage:eq:lead', { key: 'lifecycleStage', op: 'eq', value: 'lead' }],
    ['website:eq:https://acme.cn', { key: 'website', op: 'eq', value: 'https://acme.cn' }],
    ['source:empty', { key: 'source', op: 'empty', value: '' }],
    ['createdAt:gte:2026-01-01T00:00:00.000Z', { key: 'createdAt', op: 'gte', value: '2026-01-01T00:00:00.000Z' }],
  ])('reads %s', (text, filter) => {
    expect(parseFilter(text)).toEqual(filter);
    expect(formatFilter(parseFilter(text)!)).toBe(text);
  });

  it.each(['lifecycleStage', 'lifecycleStage=lead', 'stage:like:x', ':eq:x', '1st:eq:x'])('refuses %s', (text) => {
    expect(parseFilter(text)).toBeNull();
  });
});

describe('sorting by a column header', () => {
  it('goes ascending, descending, then back to the default', () => {
    expect(nextSort(null, 'lifecycleStage')).toBe('lifecycleStage');
    expect(nextSort('lifecycleStage', 'lifecycleStage')).toBe('-lifecycleStage');
    expect(nextSort('-lifecycleStage', 'lifecycleStage')).toBeNull();
    expect(nextSort('-lifecycleStage', 'industry')).toBe('industry');
  });

  it('only turns the default order (newest first) around', () => {
    expect(sortDirection(null, 'createdAt')).toBe('desc');
    expect(nextSort(null, 'createdAt')).toBe('createdAt');
    expect(nextSort('createdAt', 'createdAt')).toBeNull();
    expect(sortDirection('name', 'createdAt')).toBeNull();
  });
});
