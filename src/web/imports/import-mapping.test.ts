import { describe, expect, it } from 'vitest';
import { duplicateKeys, initialMapping, mappingProblem, mappingReducer, matchOptions, toSettings, type MappingState } from './import-mapping.js';

const PERSON_KEYS = ['name', 'email', 'phone', 'nationalId', 'city', 'externalId', 'loyaltyTier'];
const COMPANY_KEYS = ['name', 'domain', 'industry', 'externalId'];

// 姓名, 手机, 邮箱, 城市 as the server maps them.
const suggested = ['name', 'phone', 'email', 'city'];

describe('initialMapping', () => {
  it('keeps the server’s suggestion and matches by the first match field mapped', () => {
    expect(initialMapping(suggested, 'person', PERSON_KEYS)).toEqual({ kind: 'person', columns: ['name', 'phone', 'email', 'city'], matchBy: 'email', onMatch: 'update' });
  });

  it('prefers an external id, the source system’s own key, when one is mapped', () => {
    expect(initialMapping(['externalId', 'email'], 'person', PERSON_KEYS).matchBy).toBe('externalId');
  });

  it('drops suggested fields the kind does not have', () => {
    const state = initialMapping(suggested, 'company', COMPANY_KEYS);
    expect(state.columns).toEqual(['name', null, null, null]);
    expect(state.matchBy).toBeNull();
  });
});

describe('mappingReducer', () => {
  const start = initialMapping(suggested, 'person', PERSON_KEYS);

  it('flags a field chosen for two columns, and clears the flag once one is changed', () => {
    const twice = mappingReducer(start, { type: 'column', index: 3, key: 'email' });
    expect(duplicateKeys(twice.columns)).toEqual(new Set(['email']));
    expect(mappingProblem(twice)).toBe('duplicates');
    expect(toSettings(twice)).toBeNull();
    const fixed = mappingReducer(twice, { type: 'column', index: 3, key: null });
    expect(duplicateKeys(fixed.columns).size).toBe(0);
    expect(mappingProblem(fixed)).toBeNull();
  });

  it('offers only the match fields mapped to a column, in preference order', () => {
    expect(matchOptions(start.columns)).toEqual(['email', 'phone']);
    const withId = mappingReducer(start, { type: 'column', index: 3, key: 'nationalId' });
    expect(matchOptions(withId.columns)).toEqual(['email', 'phone', 'nationalId']);
  });

  it('moves the match to another mapped field when its column is unmapped', () => {
    const byPhone = mappingReducer(start, { type: 'matchBy', matchBy: 'phone' });
    expect(byPhone.matchBy).toBe('phone');
    expect(mappingReducer(byPhone, { type: 'column', index: 1, key: null }).matchBy).toBe('email');
  });

  it('keeps the chosen match field while it stays mapped', () => {
    const byPhone = mappingReducer(start, { type: 'matchBy', matchBy: 'phone' });
    expect(mappingReducer(byPhone, { type: 'column', index: 3, key: 'externalId' }).matchBy).toBe('phone');
  });

  it('ignores a match field no column is mapped to', () => {
    expect(mappingReducer(start, { type: 'matchBy', matchBy: 'nationalId' })).toBe(start);
  });

  it('has no way to match once no match field is mapped, and says so', () => {
    let state: MappingState = start;
    state = mappingReducer(state, { type: 'column', index: 1, key: null });
    state = mappingReducer(state, { type: 'column', index: 2, key: null });
    expect(state.matchBy).toBeNull();
    expect(mappingProblem(state)).toBe('noMatchField');
    // Mapping one again makes it the match.
    expect(mappingReducer(state, { type: 'column', index: 2, key: 'email' }).matchBy).toBe('email');
  });

  it('needs at least one column mapped', () => {
    const none = initialMapping([null, null], 'person', PERSON_KEYS);
    expect(mappingProblem(none)).toBe('nothingMapped');
  });

  it('switching kind keeps the fields the new kind has', () => {
    const company = mappingReducer(mappingReducer(start, { type: 'column', index: 3, key: 'externalId' }), { type: 'kind', kind: 'company', keys: COMPANY_KEYS });
    expect(company).toMatchObject({ kind: 'company', columns: ['name', null, null, 'externalId'], matchBy: 'externalId' });
  });

  it('sends the settings the server’s start expects', () => {
    const skip = mappingReducer(start, { type: 'onMatch', onMatch: 'fillEmpty' });
    expect(toSettings(skip)).toEqual({ kind: 'person', mapping: ['name', 'phone', 'email', 'city'], matchBy: 'email', onMatch: 'fillEmpty' });
  });
});
