import { nameSound, normalizeCity, normalizeCompany, normalizeName } from './normalize.js';
import type { DuplicateReason } from '../../../shared/duplicates.js';

/** Jaro-Winkler similarity of two strings, by code point (a Han character is one unit). */
export function jaroWinkler(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0 && t.length === 0) return 1;
  if (s.length === 0 || t.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const sMatched = new Array<boolean>(s.length).fill(false);
  const tMatched = new Array<boolean>(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(t.length, i + window + 1); j++) {
      if (tMatched[j] || s[i] !== t[j]) continue;
      sMatched[i] = tMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[j]) j++;
    if (s[i] !== t[j]) transpositions++;
    j++;
  }
  const jaro = (matches / s.length + matches / t.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, s.length, t.length) && s[prefix] === t[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Names that sound alike (same toneless pinyin) but are written apart score at least this. */
export const SOUND_SIMILARITY = 0.9;

/**
 * How alike two names are, in [0, 1]: 1 when their normalized forms are equal; otherwise the
 * Jaro-Winkler similarity of the normalized forms, raised to SOUND_SIMILARITY when they sound
 * alike (张三丰 / 张三峰). Empty names are alike to nothing.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = normalizeName(a);
  const y = normalizeName(b);
  if (x === '' || y === '') return 0;
  if (x === y) return 1;
  const written = jaroWinkler(x, y);
  return nameSound(a) === nameSound(b) ? Math.max(written, SOUND_SIMILARITY) : written;
}

export { DUPLICATE_REASONS, type DuplicateReason } from '../../../shared/duplicates.js';
export type IdentifierReason = 'email' | 'phone' | 'nationalId';
export const IDENTIFIERS: readonly IdentifierReason[] = ['nationalId', 'email', 'phone'];

/** What a customer is compared by; identifiers in their standardized form (as stored). */
export interface DuplicateProfile {
  name?: string | null;
  companyName?: string | null;
  city?: string | null;
  email?: string | null;
  phone?: string | null;
  nationalId?: string | null;
}

/**
 * What one shared identifier scores on its own. An identity card number names one person; an
 * email address nearly so; a phone number is often a household's or a front desk's.
 */
const IDENTIFIER_SCORES: Record<IdentifierReason, number> = { nationalId: 95, email: 90, phone: 80 };
/** Names this alike count as the same name (a typo, a variant character). */
const NAME_MATCH = 0.85;
/** Names less alike than this make a shared identifier doubtful (a household's phone). */
const NAME_MISMATCH = 0.5;

const same = (a: string | null | undefined, b: string | null | undefined, normalize: (text: string) => string) => {
  if (!a || !b) return false;
  const x = normalize(a);
  return x !== '' && x === normalize(b);
};

/**
 * How likely two customers are one, 0–100, and why. A shared identifier (identity card, email,
 * phone — `shared` adds those matched through further contact points) scores high on its own;
 * without one, a name counts only with something to anchor it: the same name alone is common
 * (王伟 is shared by hundreds of thousands), the same name in the same city or company is not.
 *
 * - identifiers: the best one's score (95 / 90 / 80), +3 for each further one, +5 when the
 *   names match, −20 when the names are clearly different;
 * - names: 50 × similarity (equal: `name`, alike in sound: `name_sound`; below 0.85 nothing),
 *   +25 the same company, +20 the same city.
 */
export function scorePair(a: DuplicateProfile, b: DuplicateProfile, shared: Iterable<IdentifierReason> = []): { score: number; reasons: DuplicateReason[] } {
  const identifiers = new Set<IdentifierReason>(shared);
  for (const key of IDENTIFIERS) if (same(a[key], b[key], (v) => v.normalize('NFKC').trim().toLowerCase())) identifiers.add(key);
  const similarity = a.name && b.name ? nameSimilarity(a.name, b.name) : 0;
  const nameReason: DuplicateReason | null =
    similarity >= NAME_MATCH ? (normalizeName(a.name!) === normalizeName(b.name!) || nameSound(a.name!) !== nameSound(b.name!) ? 'name' : 'name_sound') : null;
  const company = same(a.companyName, b.companyName, normalizeCompany);
  const city = same(a.city, b.city, normalizeCity);
  const reasons: DuplicateReason[] = IDENTIFIERS.filter((key) => identifiers.has(key));
  let score = 0;
  if (reasons.length > 0) {
    score = Math.max(...reasons.map((key) => IDENTIFIER_SCORES[key as IdentifierReason])) + 3 * (reasons.length - 1);
    if (nameReason) score += 5;
    else if (a.name && b.name && similarity < NAME_MISMATCH) score -= 20;
  } else if (nameReason) {
    score = 50 * similarity + (company ? 25 : 0) + (city ? 20 : 0);
  }
  if (nameReason) reasons.push(nameReason);
  if (company && reasons.length > 0) reasons.push('company');
  if (city && reasons.length > 0) reasons.push('city');
  return { score: Math.max(0, Math.min(100, Math.round(score))), reasons };
}
