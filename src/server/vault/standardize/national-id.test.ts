import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseIdCheckCharacter, normalizeChineseNationalId } from './national-id.js';

const today = new Date('2025-06-15T12:00:00Z');
const withCheck = (body: string): string => body + chineseIdCheckCharacter(body);
const yyyymmdd = (date: Date): string => date.toISOString().slice(0, 10).replaceAll('-', '');

const validId = fc
  .tuple(
    fc.stringMatching(/^[1-9]\d{5}$/),
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-06-14T00:00:00Z'), noInvalidDate: true }),
    fc.stringMatching(/^\d{3}$/),
  )
  .map(([region, birth, sequence]) => withCheck(region + yyyymmdd(birth) + sequence));

describe('normalizeChineseNationalId', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    [' 110105 19491231 002X ', '11010519491231002X'],
    [withCheck('44030420000229123'), withCheck('44030420000229123')],
  ])('accepts %j as %s', (input, expected) => {
    expect(normalizeChineseNationalId(input, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['110105194912310', 'invalid_national_id'],
    ['1101051949123100', 'invalid_national_id'],
    ['11010519491231002Y', 'invalid_national_id'],
    ['X10105194912310021', 'invalid_national_id'],
    ['110105194912310021', 'invalid_checksum'],
    [withCheck('11010518991231002'), 'invalid_birth_date'],
    [withCheck('11010520230229002'), 'invalid_birth_date'],
    [withCheck('11010519491301002'), 'invalid_birth_date'],
    [withCheck('11010520250616002'), 'invalid_birth_date'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeChineseNationalId(input, today)).toEqual({ ok: false, reason });
  });

  it('accepts a birth date of today in China while it is still yesterday in UTC', () => {
    expect(normalizeChineseNationalId(withCheck('11010520250616002'), new Date('2025-06-15T17:00:00Z')).ok).toBe(true);
  });

  it('accepts every number with a real birth date and its check character, in either case', () => {
    fc.assert(
      fc.property(validId, (id) => {
        expect(normalizeChineseNationalId(id, today)).toEqual({ ok: true, value: id });
        expect(normalizeChineseNationalId(id.toLowerCase(), today)).toEqual({ ok: true, value: id });
      }),
    );
  });

  it('refuses any single changed character', () => {
    fc.assert(
      fc.property(validId, fc.nat({ max: 17 }), fc.constantFrom(...'0123456789X'), (id, position, replacement) => {
        fc.pre(id[position] !== replacement && (position === 17 || replacement !== 'X'));
        const typo = id.slice(0, position) + replacement + id.slice(position + 1);
        expect(normalizeChineseNationalId(typo, today).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
