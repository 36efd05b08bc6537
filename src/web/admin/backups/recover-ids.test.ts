import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CUSTOMER_ID_LENGTH, MAX_RECOVER_IDS, parseCustomerIds } from './recover-ids.js';

describe('parseCustomerIds', () => {
  it('reads one id a line, or comma-separated, trimmed', () => {
    expect(parseCustomerIds(' c1 \n\nc2,c3 ,  c4\r\nc5; c6\t').ids).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  });

  it('keeps the first of duplicates, in the order pasted', () => {
    expect(parseCustomerIds('b\na\nb, a\nc').ids).toEqual(['b', 'a', 'c']);
  });

  it('finds nothing in blank text', () => {
    expect(parseCustomerIds('  \n , \n')).toEqual({ ids: [], tooMany: false, invalid: [] });
  });

  it('says when more than the server takes were pasted', () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `id-${i}`).join('\n');
    expect(parseCustomerIds(ids(MAX_RECOVER_IDS)).tooMany).toBe(false);
    expect(parseCustomerIds(`${ids(MAX_RECOVER_IDS)}\n${ids(MAX_RECOVER_IDS)}`).tooMany).toBe(false);
    expect(parseCustomerIds(ids(MAX_RECOVER_IDS + 1)).tooMany).toBe(true);
  });

  it('sets apart tokens too long to be an id', () => {
    const long = 'x'.repeat(MAX_CUSTOMER_ID_LENGTH + 1);
    expect(parseCustomerIds(`a\n${long}`)).toEqual({ ids: ['a'], tooMany: false, invalid: [long] });
  });

  it('gives back distinct, non-blank ids without separators, whatever was pasted', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { ids, invalid } = parseCustomerIds(text);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of [...ids, ...invalid]) expect(id).toMatch(/^[^\s,;]+$/);
      }),
    );
  });
});
