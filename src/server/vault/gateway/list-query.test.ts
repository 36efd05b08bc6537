import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomerKind } from '../../../shared/fields.js';
import { AppError } from '../../http/errors.js';
import { BUILT_IN_FIELDS } from '../built-in-fields.js';
import type { Registry } from '../field-registry.js';
import { decodeCursor, encodeCursor, parseFilter, parseSort } from './list-query.js';

const registry: Registry = {
  of: (kind: CustomerKind) => BUILT_IN_FIELDS.filter((f) => f.kind === kind),
  find: (kind: CustomerKind, key: string) => BUILT_IN_FIELDS.find((f) => f.kind === kind && f.key === key),
  all: BUILT_IN_FIELDS.map((f) => ({ ...f, archived: false })),
};

/** Parsers of the list's query string, property-tested: any text gives a filter or a 400, never anything else. */
describe('list query parsing', () => {
  it('reads any filter text as a filter or refuses it with a 400 naming a field', () => {
    const keys = fc.constantFrom('lifecycleStage', 'tags', 'doNotContact', 'createdAt', 'ownerId', 'email', 'name', 'nope', '');
    const ops = fc.constantFrom('eq', 'ne', 'in', 'contains', 'gt', 'lte', 'empty', 'notEmpty', 'like', '');
    fc.assert(
      fc.property(keys, ops, fc.string({ maxLength: 250 }), fc.boolean(), (key, op, value, structured) => {
        const text = structured ? `${key}:${op}:${value}` : `${key}${value}`;
        try {
          const filter = parseFilter(registry, text);
          expect(filter.key).toBe(key);
          expect(['email', 'name']).not.toContain(key);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).status).toBe(400);
        }
      }),
    );
  });

  it('keeps the colons of a value and splits "in" on bars', () => {
    expect(parseFilter(registry, 'source:eq:web:landing').values).toEqual(['web:landing']);
    expect(parseFilter(registry, 'lifecycleStage:in:lead|customer').values).toEqual(['lead', 'customer']);
    expect(parseFilter(registry, 'updatedAt:gte:2026-11-01T00:00:00Z').values).toEqual([Date.parse('2026-11-01T00:00:00Z')]);
  });

  it('round-trips cursors and refuses one made for another sort', () => {
    const sort = parseSort(registry, '-lifecycleStage');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), fc.uuid(), (value, id) => {
        const cursor = { value, id };
        expect(decodeCursor(sort, encodeCursor(sort, cursor))).toEqual(cursor);
        expect(() => decodeCursor(parseSort(registry, 'lifecycleStage'), encodeCursor(sort, cursor))).toThrow(AppError);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => decodeCursor(sort, text)).toThrow(AppError);
      }),
    );
  });
});
