import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nationalDigits, normalizePhone } from './phone.js';

const toFullWidth = (text: string): string => [...text].map((char) => (char === ' ' ? '\u3000' : String.fromCodePoint(char.codePointAt(0)! + 0xfee0))).join('');

// Mainland mobiles: 13x, 15x (not 154), 18x, 199 — all allocated ranges.
const cnMobile = fc
  .tuple(fc.constantFrom('130', '131', '135', '138', '139', '150', '158', '186', '188', '199'), fc.stringMatching(/^\d{8}$/))
  .map(([prefix, rest]) => prefix + rest);

describe('normalizePhone', () => {
  it.each([
    '138 0013 8000',
    '13800138000',
    '+86-138-0013-8000',
    '0086 13800138000',
    '(+86) 138-0013-8000',
    '+86 (138) 0013 8000',
    '138.0013.8000',
    '１３８００１３８０００',
    '＋８６ １３８００１３８０００',
    '（＋８６）１３８－００１３－８０００',
    '  138\u00a00013\u00a08000  ',
    '+86 138–0013–8000',
  ])('reads %s as +8613800138000 with default region CN', (input) => {
    expect(normalizePhone(input, 'CN')).toEqual({ ok: true, value: '+8613800138000' });
  });

  it.each([
    ['+1 415 555 2671', 'CN', '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+44 20 7946 0958', 'CN', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['010-12345678', 'CN', '+861012345678'],
    ['0086 138 0013 8000', 'US', '+8613800138000'],
    ['00 44 20 7946 0958', 'CN', '+442079460958'],
  ] as const)('reads %s (default %s) as %s', (input, region, expected) => {
    expect(normalizePhone(input, region)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['12345', 'invalid_phone'],
    ['abc', 'invalid_phone'],
    ['+86 1380013800', 'invalid_phone'],
    ['1 415 555 2671', 'invalid_phone'],
    ['+86 13800138000 ext. 12', 'invalid_phone'],
    ['call 138 0013 8000', 'invalid_phone'],
    ['138 0013 8000 / 139 0013 9000', 'invalid_phone'],
    ['+86+13800138000', 'invalid_phone'],
    ['+1-800-FLOWERS', 'invalid_phone'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizePhone(input, 'CN')).toEqual({ ok: false, reason });
  });

  it('gives one E.164 value for a mainland mobile however it is written', () => {
    fc.assert(
      fc.property(
        cnMobile,
        fc.constantFrom('', '+86 ', '+86-', '0086 ', '(+86) ', '+86'),
        fc.constantFrom('', ' ', '-', '.'),
        fc.boolean(),
        (mobile, prefix, separator, fullWidth) => {
          const written = prefix + [mobile.slice(0, 3), mobile.slice(3, 7), mobile.slice(7)].join(separator);
          expect(normalizePhone(fullWidth ? toFullWidth(written) : written, 'CN')).toEqual({ ok: true, value: `+86${mobile}` });
        },
      ),
    );
  });

  it('is idempotent and only ever returns E.164', () => {
    fc.assert(
      fc.property(fc.oneof(cnMobile, fc.stringMatching(/^\+?[\d ()-]{0,20}$/), fc.string()), fc.constantFrom('CN', 'US', 'GB', 'DE'), (input, region) => {
        const result = normalizePhone(input, region);
        if (!result.ok) return;
        expect(result.value).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(normalizePhone(result.value, region)).toEqual(result);
        expect(normalizePhone(result.value, 'JP')).toEqual(result);
      }),
    );
  });

  it('finds the national number of a stored value for masking', () => {
    expect(nationalDigits('+8613800138000')).toBe('13800138000');
    expect(nationalDigits('+14155552671')).toBe('4155552671');
    expect(nationalDigits('not a phone')).toBeUndefined();
  });
});
