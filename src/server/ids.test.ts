import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId, UUID_PATTERN } from './ids.js';

describe('record ids', () => {
  it('are UUIDv7: version 7, RFC variant, the time in the first 48 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = newId(ms);
        expect(id).toMatch(new RegExp(UUID_PATTERN));
        expect(id[14]).toBe('7');
        expect('89ab').toContain(id[19]);
        expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
      }),
    );
  });

  it('sort by time and are never sequential', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 1_000_000 }), (earlier, gap) => {
        return newId(earlier) < newId(earlier + gap);
      }),
    );
    const sameMillisecond = Array.from({ length: 100 }, () => newId(1_800_000_000_000));
    expect(new Set(sameMillisecond).size).toBe(100);
  });
});
