import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHalfWidth } from './half-width.js';

const toFullWidth = (text: string): string =>
  [...text].map((char) => (char === ' ' ? '\u3000' : char >= '!' && char <= '~' ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char)).join('');

describe('toHalfWidth', () => {
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['＋８６　１３８', '+86 138'],
    ['zhang＠example．com', 'zhang@example.com'],
    ['（＋８６）', '(+86)'],
    ['张伟', '张伟'],
  ])('folds %s to %s', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });

  it('undoes full-width typing of any printable ASCII text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }), (text) => {
      expect(toHalfWidth(toFullWidth(text))).toBe(toHalfWidth(text));
    }));
  });

  it('leaves text without full-width forms unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      fc.pre(!/[\uff01-\uff5e\u3000]/.test(text));
      expect(toHalfWidth(text)).toBe(text);
    }));
  });
});
