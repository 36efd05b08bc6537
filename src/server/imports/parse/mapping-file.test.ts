import { describe, expect, it } from 'vitest';
import { fieldsFor } from '../../vault/built-in-fields.js';
import { autoMap } from './auto-map.js';
import { applyMapping, parseMappingFile } from './mapping-file.js';

const person = fieldsFor('person');

describe('parseMappingFile', () => {
  it('accepts a complete mapping file', () => {
    const file = {
      kind: 'person',
      matchBy: 'phone',
      onMatch: 'fillEmpty',
      encoding: 'gbk',
      delimiter: '\t',
      columns: { 姓名: 'name', 备注: null },
    };
    expect(parseMappingFile(file)).toEqual(file);
    expect(parseMappingFile({})).toEqual({});
  });

  it.each([
    [{ kind: 'robot' }, /\/kind: Expected "person" or "company"\.$/],
    [{ matchBy: 'name' }, /\/matchBy/],
    [{ onMatch: 'merge' }, /\/onMatch/],
    [{ encoding: 'latin1' }, /\/encoding/],
    [{ delimiter: '::' }, /\/delimiter/],
    [{ columns: { 姓名: 42 } }, /\/columns\/姓名/],
    [{ columns: { 姓名: 'not a key' } }, /\/columns\/姓名: Expected a field key or null/],
    [{ columns: { ['x'.repeat(201)]: 'name' } }, /Unexpected property/],
    [{ columns: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`c${i}`, null])) }, /\/columns/],
    [{ column: {} }, /\/column/],
    [[], /mapping file/],
    [null, /mapping file/],
  ])('refuses %j with a message naming the problem', (json, message) => {
    expect(() => parseMappingFile(json)).toThrow(message);
    expect(() => parseMappingFile(json)).toThrow(/^The mapping file is not valid: /);
  });
});

describe('applyMapping', () => {
  const headers = ['姓名', '手机', '电话', '备注', '城市'];
  const auto = autoMap(headers, person);

  it('keeps the automatic mapping without columns', () => {
    expect(auto).toEqual(['name', 'phone', null, null, 'city']);
    expect(applyMapping(headers, auto, undefined, person)).toEqual(auto);
  });

  it('overrides by header name, leaves a column out with null, and moves a field off its automatic column', () => {
    expect(applyMapping(headers, auto, { 电话: 'phone', 备注: 'source', 城市: null }, person)).toEqual(['name', null, 'phone', 'source', null]);
  });

  it('names an unknown header, an unknown field, and a field given twice', () => {
    expect(() => applyMapping(headers, auto, { 邮箱: 'email' }, person)).toThrow(/"邮箱"/);
    expect(() => applyMapping(headers, auto, { 备注: 'notes' }, person)).toThrow(/"notes"/);
    expect(() => applyMapping(headers, auto, { 手机: 'phone', 电话: 'phone' }, person)).toThrow(/"phone"/);
    expect(() => applyMapping(headers, auto, { 备注: 'industry' }, person)).toThrow(/"industry"/);
  });
});
