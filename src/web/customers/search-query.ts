import type { LookupKey } from './customers-api.js';

export interface Lookup {
  key: LookupKey;
  value: string;
}

const NATIONAL_ID = /^\d{17}[\dX]$/;
const PHONE_CHARACTERS = /^[+\d\s\-().]+$/;
const MIN_PHONE_DIGITS = 3;

/**
 * What the one search box was given, read from the text itself: an `@` is an email; 17 digits
 * and a digit or X an identity card number; digits with `+`, spaces, dashes or brackets a
 * phone number; anything else a name. Full-width characters (１３８, ＋) count as their ASCII
 * forms, as the server reads them.
 */
export function lookupFor(text: string): Lookup | null {
  const value = text.trim();
  if (!value) return null;
  const ascii = value.normalize('NFKC');
  if (ascii.includes('@')) return { key: 'email', value };
  const compact = ascii.replace(/[\s-]/g, '').toUpperCase();
  if (NATIONAL_ID.test(compact)) return { key: 'nationalId', value: compact };
  if (PHONE_CHARACTERS.test(ascii) && (ascii.match(/\d/g)?.length ?? 0) >= MIN_PHONE_DIGITS) return { key: 'phone', value };
  return { key: 'name', value };
}
