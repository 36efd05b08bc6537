import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

const MAX_NAME = 200;
// Control and format characters (zero-width joiners, bidi overrides) make two names that
// look identical index differently, or make a displayed name lie about its order.
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** A person or company name: trimmed, inner whitespace collapsed, full-width ASCII folded, NFC. */
export function normalizeName(input: string): Result<string> {
  const name = toHalfWidth(input).normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '') return fail('empty');
  if ([...name].length > MAX_NAME) return fail('too_long');
  if (INVISIBLE.test(name)) return fail('invalid_name');
  return ok(name);
}

/**
 * Longest Latin prefix indexed. A longer query word is cut to this length, so it still finds
 * its name (possibly with a few extra candidates) while a long word costs at most 11 rows.
 */
export const MAX_PREFIX = 12;
const MIN_PREFIX = 2;

// A Han run (names are written without spaces: 欧阳娜娜) or a word of any other script.
const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+)/gu;

interface Run {
  han: boolean;
  text: string;
}

function runs(text: string): Run[] {
  const folded = toHalfWidth(text).normalize('NFC');
  return [...folded.matchAll(RUN)].map((match) =>
    match[1] !== undefined ? { han: true, text: match[1] } : { han: false, text: foldLatin(match[2]!) },
  );
}

// Lower-cased and without diacritics, so "José" is found by "jose" and "Müller" by "muller".
function foldLatin(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}

/**
 * The tokens the name search blind-indexes for one name. Latin words give their prefixes
 * (2..12 characters) so typing a beginning finds the name; Han runs give every character,
 * every adjacent pair and the whole run, because Chinese users search by surname, by given
 * name or by any two characters. No pinyin: that needs a character table this module does
 * not carry (see the report that accompanied it).
 */
export function nameTokens(name: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(name)) {
    const chars = [...run.text];
    if (run.han) {
      chars.forEach((char) => tokens.add(char));
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
      tokens.add(run.text);
    } else if (chars.length < MIN_PREFIX) {
      tokens.add(run.text);
    } else {
      for (let length = MIN_PREFIX; length <= Math.min(chars.length, MAX_PREFIX); length++) tokens.add(chars.slice(0, length).join(''));
    }
  }
  return [...tokens];
}

/**
 * The tokens to look up for what a user typed; a name matches when it has all of them.
 * One token per Latin word (cut to MAX_PREFIX, the longest indexed prefix); a Han run of one
 * or two characters as itself, a longer one as its adjacent pairs.
 */
export function queryTokens(query: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(query)) {
    const chars = [...run.text];
    if (!run.han) tokens.add(chars.slice(0, MAX_PREFIX).join(''));
    else if (chars.length <= 2) tokens.add(run.text);
    else for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
  }
  return [...tokens];
}
