import type { CountryCode } from 'libphonenumber-js';
import type { FieldDefinition, FieldValidation } from '../../shared/fields.js';
import { badRequest } from '../http/errors.js';
import {
  normalizeBankCard,
  normalizeChineseNationalId,
  normalizeCountry,
  normalizeDate,
  normalizeDateTime,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  STANDARDIZE_MESSAGES,
  type Result,
} from './standardize/index.js';

/** A value as stored, and the normalized form its blind index is computed over. */
export interface StandardizedValue {
  value: unknown;
  lookupKey: string | null;
}

const MAX_TEXT = 1_000;
const MAX_LONG_TEXT = 10_000;
const COMPANY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function text(input: unknown, max: number): Result<string> {
  if (typeof input !== 'string') return { ok: false, reason: 'empty' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (trimmed.length > max) return { ok: false, reason: 'too_long' };
  return { ok: true, value: trimmed };
}

function refuse(field: FieldDefinition, message: string, code = 'invalid_value'): never {
  throw badRequest(code, `${field.labels.en}: ${message}`, field.key);
}

function unwrap<T>(field: FieldDefinition, result: Result<T>): T {
  if (!result.ok) refuse(field, STANDARDIZE_MESSAGES[result.reason], result.reason === 'empty' ? 'required' : result.reason);
  return result.value;
}

/**
 * Standardizes one incoming value for its field — phones to E.164, emails trimmed with a
 * lower-cased match key, ID and card numbers checksum-validated — or throws a 400 naming the
 * field and the reason. Nothing is written when any value is refused.
 */
export function standardizeValue(field: FieldDefinition, input: unknown, defaultRegion: CountryCode): StandardizedValue {
  const standardized = standardizeType(field, input, defaultRegion);
  if (field.validation) checkBounds(field, field.validation, standardized.value);
  return standardized;
}

/** The admin's bounds on a field: lengths of text values, the size of numbers and money amounts. */
function checkBounds(field: FieldDefinition, bounds: FieldValidation, value: unknown): void {
  if (typeof value === 'string') {
    const length = [...value].length;
    if (bounds.minLength !== undefined && length < bounds.minLength) refuse(field, `At least ${bounds.minLength} characters.`, 'too_short');
    if (bounds.maxLength !== undefined && length > bounds.maxLength) refuse(field, `At most ${bounds.maxLength} characters.`, 'too_long');
  }
  const number = typeof value === 'number' ? value : value && typeof value === 'object' && 'amount' in value ? Number(value.amount) : null;
  if (number !== null) {
    if (bounds.min !== undefined && number < bounds.min) refuse(field, `At least ${bounds.min}.`, 'too_small');
    if (bounds.max !== undefined && number > bounds.max) refuse(field, `At most ${bounds.max}.`, 'too_large');
  }
}

function standardizeType(field: FieldDefinition, input: unknown, defaultRegion: CountryCode): StandardizedValue {
  const asString = (): string => (typeof input === 'string' ? input : refuse(field, 'Expected text.'));
  switch (field.type) {
    case 'text': {
      const value = field.lookup === 'name' ? unwrap(field, normalizeName(asString())) : unwrap(field, text(input, MAX_TEXT));
      return { value, lookupKey: field.lookup === 'exact' ? value.toLowerCase() : null };
    }
    case 'long_text':
      return { value: unwrap(field, text(input, MAX_LONG_TEXT)), lookupKey: null };
    case 'email': {
      const email = unwrap(field, normalizeEmail(asString()));
      return { value: email.value, lookupKey: email.matchKey };
    }
    case 'phone': {
      const phone = unwrap(field, normalizePhone(asString(), defaultRegion));
      return { value: phone, lookupKey: phone };
    }
    case 'national_id': {
      const id = unwrap(field, normalizeChineseNationalId(asString()));
      return { value: id, lookupKey: id };
    }
    case 'bank_card': {
      const card = unwrap(field, normalizeBankCard(asString()));
      return { value: card, lookupKey: card };
    }
    case 'country':
      return { value: unwrap(field, normalizeCountry(asString())), lookupKey: null };
    case 'date':
      return { value: unwrap(field, normalizeDate(asString())), lookupKey: null };
    case 'datetime':
      return { value: unwrap(field, normalizeDateTime(asString())), lookupKey: null };
    case 'select': {
      const choice = asString();
      if (!field.options?.includes(choice)) refuse(field, `Choose one of: ${(field.options ?? []).join(', ')}.`);
      return { value: choice, lookupKey: null };
    }
    case 'multi_select': {
      if (!Array.isArray(input) || input.some((v) => typeof v !== 'string' || !field.options?.includes(v))) {
        refuse(field, `Choose from: ${(field.options ?? []).join(', ')}.`);
      }
      return { value: [...new Set(input as string[])], lookupKey: null };
    }
    case 'tags': {
      // Free labels: trimmed, de-duplicated case-insensitively, at most 30 of at most 40 characters.
      if (!Array.isArray(input) || input.length > 30 || input.some((tag) => typeof tag !== 'string' || tag.trim() === '' || tag.trim().length > 40)) {
        refuse(field, 'Expected up to 30 tags of 1 to 40 characters.');
      }
      const seen = new Map<string, string>();
      for (const tag of input as string[]) if (!seen.has(tag.trim().toLowerCase())) seen.set(tag.trim().toLowerCase(), tag.trim());
      return { value: [...seen.values()], lookupKey: null };
    }
    case 'boolean':
      if (typeof input !== 'boolean') refuse(field, 'Expected true or false.');
      return { value: input, lookupKey: null };
    case 'number':
      if (typeof input !== 'number' || !Number.isFinite(input)) refuse(field, 'Expected a number.');
      return { value: input, lookupKey: null };
    case 'money': {
      const money = input as { amount?: unknown; currency?: unknown } | null;
      if (!money || !Number.isSafeInteger(money.amount) || typeof money.currency !== 'string' || !/^[A-Z]{3}$/.test(money.currency)) {
        refuse(field, 'Expected {"amount": integer minor units, "currency": ISO 4217 code}.');
      }
      return { value: { amount: money.amount, currency: money.currency }, lookupKey: null };
    }
    case 'company': {
      // The id's shape here; that it names a live company of the workspace, the gateway checks.
      const id = asString().trim().toLowerCase();
      if (!COMPANY_ID.test(id)) refuse(field, 'Expected the id of a company customer.');
      return { value: id, lookupKey: null };
    }
    case 'url': {
      const url = unwrap(field, text(input, 2_000));
      if (!/^https?:\/\/[^\s]+$/i.test(url)) refuse(field, 'Expected an http(s) address.');
      return { value: url, lookupKey: null };
    }
  }
}
