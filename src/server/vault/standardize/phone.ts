import { parsePhoneNumberWithError, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

// Digits, one leading plus, and the separators people type between groups (ASCII and the
// Unicode dashes word processors substitute). Anything else — letters, "ext.", a second
// number — is refused rather than guessed at: E.164 has no room for an extension.
const PHONE_SHAPE = /^\(?\+?[\d\s\-.()/\u2010-\u2015\u2212]+$/;
const MAX_INPUT = 64;

/**
 * A phone number as E.164 (`+8613800138000`), the form blind indexes are computed over.
 * Uses the `max` metadata: the default metadata only checks lengths and would accept a
 * ten-digit "mobile" starting with 138 that cannot exist.
 */
export function normalizePhone(input: string, defaultRegion: CountryCode): Result<string> {
  const text = toHalfWidth(input).trim();
  if (text === '') return fail('empty');
  if (text.length > MAX_INPUT || !PHONE_SHAPE.test(text)) return fail('invalid_phone');
  const digits = text.replace(/\D/g, '');
  const international = text.includes('+');
  const compact = international ? `+${digits}` : digits;
  // Outside regions whose international prefix is 00 (the US dials 011), people still write
  // 0086…; read it as +86… when the national reading is not a valid number.
  const parsed = validOrUndefined(parse(compact, defaultRegion)) ?? (!international && digits.startsWith('00') ? validOrUndefined(parse(`+${digits.slice(2)}`, defaultRegion)) : undefined);
  return parsed ? ok(parsed.number) : fail('invalid_phone');
}

/** The national significant number of an E.164 value (`13800138000`), for masking; valid or not. */
export function nationalDigits(e164: string): string | undefined {
  return parse(e164, undefined)?.nationalNumber;
}

function parse(text: string, region: CountryCode | undefined): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: region, extract: false });
  } catch {
    return undefined;
  }
}

function validOrUndefined(phone: PhoneNumber | undefined): PhoneNumber | undefined {
  return phone?.isValid() ? phone : undefined;
}
