import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

// 12 digits covers the shortest card numbers still issued; 19 is the ISO/IEC 7812 maximum
// (UnionPay debit cards commonly use 19).
const SHAPE = /^\d{12,19}$/;

/** Luhn (ISO/IEC 7812) over all digits, check digit last. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A bank card number as bare digits; the grouping people type (spaces, dashes) is dropped. */
export function normalizeBankCard(input: string): Result<string> {
  const digits = toHalfWidth(input).replace(/[\s-]+/g, '');
  if (digits === '') return fail('empty');
  if (!SHAPE.test(digits)) return fail('invalid_bank_card');
  return passesLuhn(digits) ? ok(digits) : fail('invalid_checksum');
}
