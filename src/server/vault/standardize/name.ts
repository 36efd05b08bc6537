import { pinyin } from 'pinyin-pro';
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
 * its name (possibly with a few extra candidates). The same holds for joined pinyin: 张伟明
 * indexes `zhangweiming` (12 letters) whole, while 庄双翔 indexes `zhuangshuang` and is found
 * by `zhuangshuangxiang`, cut to those 12 letters, together with any other name whose joined
 * pinyin starts with them.
 */
export const MAX_PREFIX = 12;
/**
 * The prefix lengths indexed: every length up to 6 (a pinyin syllable has at most 6 letters,
 * so every syllable is indexed whole), then every other one. A query word of 7, 9 or 11
 * letters is cut to the indexed length below it: it finds its name, with the few others that
 * share that prefix, and a long word costs 8 rows instead of 11.
 */
export const PREFIX_LENGTHS: readonly number[] = [2, 3, 4, 5, 6, 8, 10, MAX_PREFIX];
const MIN_PREFIX = PREFIX_LENGTHS[0]!;

/**
 * The most tokens `nameTokens` gives for a name of at most 200 characters (any name
 * `normalizeName` accepts): 10 per character. Amortized, counting one separator per run:
 * - a Latin word of n letters gives at most n tokens (its prefixes, or itself if n = 1);
 * - a Han run of n characters gives at most 2n Han tokens (characters and pairs);
 *   at most 5 per character for its syllable (a syllable has at most 6 letters: 2..6-letter
 *   prefixes; ü-syllables have at most 3 letters, so 2 prefixes × 2 spellings); and for
 *   n ≥ 2 the joined pinyin, whose prefixes up to the first syllable's length are that
 *   syllable's, so first syllable + joined run give at most 8 prefixes per spelling, 16 in all.
 * That is at most 24 tokens for a 2-character run and 7n + 10 for a longer one, so with its
 * separator (a space, or a one-letter word costing 1 token) a run costs at most 8.4 per
 * character; under 1,700 for 200 characters, and far fewer in practice, as syllables repeat.
 */
export const MAX_NAME_TOKENS = 10 * MAX_NAME;

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

// A word as a user may type its beginning: its prefixes of the indexed lengths, or itself if shorter.
function addPrefixes(tokens: Set<string>, word: string): void {
  const chars = [...word];
  if (chars.length < MIN_PREFIX) tokens.add(word);
  else for (const length of PREFIX_LENGTHS) if (length <= chars.length) tokens.add(chars.slice(0, length).join(''));
}

// What a typed word asks for: its longest indexed prefix (the word itself if shorter than any).
function queryPrefix(word: string): string {
  const chars = [...word];
  const length = PREFIX_LENGTHS.findLast((candidate) => candidate <= chars.length);
  return length === undefined ? word : chars.slice(0, length).join('');
}

// A run this long or shorter, first among a name's Han runs, is read as a name starting with
// its surname: a whole Chinese name (单雄信, 欧阳娜娜) or a surname written apart (单 雄信,
// David 单). Later runs (a given name written apart) and longer runs (a company) read normally.
const MAX_FULL_NAME = 4;
const SYLLABLE = /^[a-zü]+$/;

/**
 * The tone-less pinyin of each character of a Han run, `undefined` where pinyin-pro has no
 * reading (most of CJK Extension A and beyond, and a few dozen rare unified ideographs).
 * One reading per character, the one pinyin-pro picks in context (with `surname: 'head'`,
 * 单雄信 is shan, 曾国藩 zeng, 欧阳 ou yang): not every reading of a polyphonic character,
 * which would multiply the tokens and the false matches.
 */
function syllables(run: string, asName: boolean): (string | undefined)[] {
  const read = pinyin(run, { toneType: 'none', type: 'all', surname: asName ? 'head' : 'off' });
  const chars = [...run];
  return chars.map((char, i) => {
    const item = read[i];
    return item !== undefined && item.origin === char && SYLLABLE.test(item.pinyin) ? item.pinyin : undefined;
  });
}

// ü as typed on a Latin keyboard: `lu` (what "lü" or "Lǚ" folds to) and `lv` (the pinyin IME
// convention). Not `lyu` (the passport spelling): one more spelling is more tokens per name.
function spellings(syllable: string): string[] {
  return syllable.includes('ü') ? [syllable.replaceAll('ü', 'u'), syllable.replaceAll('ü', 'v')] : [syllable];
}

/**
 * The tokens the name search blind-indexes for one name (at most MAX_NAME_TOKENS). Latin words
 * give their prefixes (PREFIX_LENGTHS) so typing a beginning finds the name; Han runs give
 * every character and every adjacent pair, because Chinese users search by surname, by given
 * name or by any two characters (a longer part is asked for as its pairs, so the whole run of
 * three or more characters is not a token of its own); and their pinyin, as Latin words are
 * indexed: each character's syllable and the run's syllables joined, with their prefixes, so
 * `zhang`, `zha`, `wei`, `zhang wei`, `zhangwei` and `zhangw` find 张伟. Only the whole run is
 * joined: `wang xiao ming` and `wangxiaoming` find 王小明, `wang xiaoming` (passport order,
 * given name joined) does not.
 *
 * Initials (`zw` for 张伟) are not indexed: about 500 pairs cover all two-character names, so
 * a token would match a large share of the customers (a search result nobody can use, and a
 * blind index whose frequencies say much about the names behind it), and it would collide with
 * Latin prefixes (`zw` of Zwick). Typing two letters of the surname narrows about as well.
 */
export function nameTokens(name: string): string[] {
  const tokens = new Set<string>();
  let firstHan = true;
  for (const run of runs(name)) {
    const chars = [...run.text];
    if (!run.han) {
      addPrefixes(tokens, run.text);
      continue;
    }
    chars.forEach((char) => tokens.add(char));
    for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);

    const read = syllables(run.text, firstHan && chars.length <= MAX_FULL_NAME);
    firstHan = false;
    for (const syllable of read) if (syllable !== undefined) for (const spelling of spellings(syllable)) addPrefixes(tokens, spelling);
    // Joined only when every character has a reading: a gap would join syllables that are not adjacent.
    const whole = read.every((syllable) => syllable !== undefined) ? read.join('') : undefined;
    if (chars.length >= 2 && whole !== undefined) for (const spelling of spellings(whole)) addPrefixes(tokens, spelling);
  }
  return [...tokens];
}

/**
 * The tokens to look up for what a user typed; a name matches when it has all of them.
 * One token per Latin word (its longest indexed prefix); a Han run of one or two characters
 * as itself, a longer one as its adjacent pairs. Pinyin needs nothing of its own: `zhang wei`
 * asks for `zhang` and `wei`, `zhangwei` for `zhangwei`, `Zhāng` for `zhang`, `lü` for `lu`,
 * all of which a name indexes for its Han runs.
 */
export function queryTokens(query: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(query)) {
    const chars = [...run.text];
    if (!run.han) tokens.add(queryPrefix(run.text));
    else if (chars.length <= 2) tokens.add(run.text);
    else for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i]! + chars[i + 1]!);
  }
  return [...tokens];
}
