import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

export interface NormalizedEmail {
  /** As entered, trimmed, with full-width `＠` and dots folded: what is shown back. */
  value: string;
  /** Lower-cased: the key blind indexes and duplicate detection use. */
  matchKey: string;
}

const MAX_TOTAL = 254;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;
// RFC 5322 atext plus Unicode letters (RFC 6531); quoted local parts are legal but in practice
// only ever typos, so they are refused.
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu;
// The ideographic full stop is what a Chinese IME types for "." in `example。com`.
const IDEOGRAPHIC_STOPS = /[\u3002\uff61]/g;

export function normalizeEmail(input: string): Result<NormalizedEmail> {
  const value = toHalfWidth(input).replace(IDEOGRAPHIC_STOPS, '.').trim();
  if (value === '') return fail('empty');
  if ([...value].length > MAX_TOTAL) return fail('too_long');
  const parts = value.split('@');
  if (parts.length !== 2) return fail('invalid_email');
  const [local = '', domain = ''] = parts;
  if (!isLocalPart(local) || !isDomain(domain)) return fail('invalid_email');
  return ok({ value, matchKey: value.normalize('NFC').toLowerCase() });
}

function isLocalPart(local: string): boolean {
  if (local === '' || [...local].length > MAX_LOCAL || !LOCAL_PART.test(local)) return false;
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

function isDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => [...label].length <= MAX_LABEL && DOMAIN_LABEL.test(label))) return false;
  return TOP_LEVEL.test(labels[labels.length - 1]!);
}
