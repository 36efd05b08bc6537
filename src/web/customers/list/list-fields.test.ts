import { describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS } from '../../../server/vault/built-in-fields.js';
import type { RegistryField } from '../customers-api.js';
import { EMPTY_QUERY } from '../search-query.js';
import { applicableTo, availableColumns, operatorsFor, visibleColumns } from './list-fields.js';

const registry: RegistryField[] = [
  ...BUILT_IN_FIELDS,
  { key: 'dealSize', kind: 'company', type: 'money', labels: { en: 'Deal size', 'zh-CN': '交易规模' }, sensitivity: 'internal', required: false, lookup: 'none', purposes: [], builtIn: false },
  { key: 'vipSince', kind: 'person', type: 'date', labels: { en: 'VIP since', 'zh-CN': 'VIP 起始' }, sensitivity: 'internal', required: false, lookup: 'none', purposes: [], builtIn: false, archived: true },
];
const column = (kind: 'person' | 'company' | null, key: string) => availableColumns(registry, kind).find((c) => c.key === key);

describe('the columns of the customers list', () => {
  it('offers the name and kind first, the registry’s fields once each, then the times; archived fields not at all', () => {
    const keys = availableColumns(registry, null).map((c) => c.key);
    expect(keys.slice(0, 3)).toEqual(['name', 'kind', 'email']);
    expect(keys.slice(-2)).toEqual(['createdAt', 'updatedAt']);
    expect(keys.filter((key) => key === 'lifecycleStage')).toHaveLength(1);
    expect(keys).toContain('dealSize');
    expect(keys).not.toContain('vipSince');
    // A list of one kind shows neither the kind column nor the other kind's fields.
    expect(availableColumns(registry, 'person').map((c) => c.key)).not.toContain('kind');
    expect(availableColumns(registry, 'person').map((c) => c.key)).not.toContain('domain');
  });

  it('sorts and filters by plain values only; a name only when every customer in the list has a public one', () => {
    expect(column(null, 'email')).toMatchObject({ sortable: false, filterable: false });
    expect(column(null, 'nationalId')).toMatchObject({ sortable: false, filterable: false });
    expect(column(null, 'name')).toMatchObject({ sortable: false, filterable: false });
    expect(column('company', 'name')).toMatchObject({ sortable: true, filterable: true });
    expect(column(null, 'lifecycleStage')).toMatchObject({ sortable: true, filterable: true, input: 'choice' });
    // Tags hold several values: filtered by item, not sorted.
    expect(column(null, 'tags')).toMatchObject({ sortable: false, filterable: true, input: 'items' });
    expect(column(null, 'createdAt')).toMatchObject({ sortable: true, filterable: true });
    expect(column(null, 'kind')).toMatchObject({ sortable: false, filterable: false });
    // A person's company is an id: filtered by picking the company, not sorted.
    expect(column(null, 'companyId')).toMatchObject({ sortable: false, filterable: true, input: 'company' });
  });

  it('offers the operators that fit the type', () => {
    expect(operatorsFor(column(null, 'lifecycleStage')!)).toEqual(['eq', 'ne', 'in', 'empty', 'notEmpty']);
    expect(operatorsFor(column(null, 'tags')!)).toEqual(['contains', 'empty', 'notEmpty']);
    expect(operatorsFor(column(null, 'source')!)).toEqual(['eq', 'ne', 'contains', 'empty', 'notEmpty']);
    expect(operatorsFor(column(null, 'doNotContact')!)).toEqual(['eq', 'empty']);
    expect(operatorsFor(column('company', 'dealSize')!)).toContain('gte');
    expect(operatorsFor(column(null, 'createdAt')!)).toEqual(['gte', 'lt']);
  });

  it('draws the name and the chosen columns in the order offered, fewer on a narrow screen', () => {
    const available = availableColumns(registry, null);
    expect(visibleColumns(available, ['createdAt', 'email', 'nope']).map((c) => c.key)).toEqual(['name', 'email', 'createdAt']);
    expect(visibleColumns(available, ['createdAt', 'email', 'phone'], 2).map((c) => c.key)).toEqual(['name', 'email']);
  });
});

describe('switching the kind of customers listed', () => {
  it('drops the filters and sort the new kind cannot take, keeps the rest', () => {
    const companies = { ...EMPTY_QUERY, kind: 'company' as const, q: 'acme', filters: ['name:contains:acme', 'industry:eq:retail', 'lifecycleStage:eq:lead'], sort: '-name' };
    expect(applicableTo(companies, registry, 'company')).toEqual(companies);
    // A person's name is personal: with people in the list it neither filters nor sorts.
    expect(applicableTo(companies, registry, null)).toEqual({ ...companies, kind: null, filters: ['industry:eq:retail', 'lifecycleStage:eq:lead'], sort: null });
    expect(applicableTo(companies, registry, 'person')).toEqual({ ...companies, kind: 'person', filters: ['lifecycleStage:eq:lead'], sort: null });

    const people = { ...EMPTY_QUERY, kind: 'person' as const, filters: ['companyId:eq:0191', 'ownerId:eq:u1'], sort: '-lifecycleStage' };
    expect(applicableTo(people, registry, null)).toEqual({ ...people, kind: null });
    expect(applicableTo(people, registry, 'company')).toEqual({ ...people, kind: 'company', filters: ['ownerId:eq:u1'] });
  });
});
