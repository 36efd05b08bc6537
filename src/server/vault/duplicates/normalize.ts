import { Converter } from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';

// Name forms that make two records of one person compare equal: how a name was typed (width,
// spaces, middle dots, case, Latin word order) and which script it was written in (traditional
// or simplified characters) says nothing about who it names.

const HAN = /\p{Script=Han}/u;
// Everything that is not a letter or a digit separates words: spaces, punctuation (the middle
// dots of transliterated names · ・ •), symbols.
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const MARKS = /\p{M}/gu;

let toSimplified: ((text: string) => string) | null = null;

/** Traditional → simplified characters; the converter's dictionaries are built on first use only. */
function simplified(text: string): string {
  if (!HAN.test(text)) return text;
  const convert = (toSimplified ??= Converter({ from: 't', to: 'cn' }));
  return convert(text);
}

/** NFKC folds full-width forms; accents go (José = Jose), case goes, traditional becomes simplified. */
function fold(text: string): string {
  return simplified(text.normalize('NFKC').normalize('NFKD').replace(MARKS, '').normalize('NFC').toLowerCase());
}

/** The words of a folded text: Han runs keep their order (a Chinese name is written in one order), other words are sorted. */
function words(text: string): { han: string[]; other: string[] } {
  const han: string[] = [];
  const other: string[] = [];
  for (const word of fold(text).split(SEPARATORS)) {
    if (word === '') continue;
    (HAN.test(word) ? han : other).push(word);
  }
  return { han, other: other.sort() };
}

/**
 * A name in the one form duplicates are compared in: 王 偉, 王伟 and ＷＡＮＧ Wei's Chinese
 * twin compare as the same text, and `Wei Wang` equals `wang wei` (Latin names come in either
 * order). Han text keeps its order, with no separators; other words are sorted and joined.
 */
export function normalizeName(name: string): string {
  const { han, other } = words(name);
  return han.join('') + other.join('');
}

/**
 * A city or company as written: normalized like a name, without the administrative or legal
 * suffixes people leave out (北京市 = 北京, 某某科技有限公司 = 某某科技, Acme Ltd = Acme).
 */
const CITY_SUFFIX = /(市|省|区|县|city)$/u;
const COMPANY_SUFFIX = /(股份有限公司|有限责任公司|有限公司|集团|公司|ltd|limited|inc|incorporated|llc|gmbh|co|corp|corporation|company)$/u;

export function normalizeCity(city: string): string {
  const name = normalizeName(city);
  const bare = name.replace(CITY_SUFFIX, '');
  return bare.length > 0 ? bare : name;
}

export function normalizeCompany(company: string): string {
  let name = normalizeName(company);
  // Suffixes stack (Acme Co Ltd); a name made only of a suffix stays as it is.
  for (let bare = name.replace(COMPANY_SUFFIX, ''); bare !== name && bare.length > 0; bare = name.replace(COMPANY_SUFFIX, '')) name = bare;
  return name;
}

/** Syllables already read, per character: first (a surname's reading) or further. A name is a few characters from a small set, so a million names read each character once. */
const syllables = { first: new Map<string, string>(), further: new Map<string, string>() };

function syllableOf(char: string, first: boolean): string {
  const known = (first ? syllables.first : syllables.further).get(char);
  if (known !== undefined) return known;
  const read = pinyin(char, { toneType: 'none', v: true, ...(first ? { surname: 'head' as const } : {}) }).replace(/\s+/g, '');
  (first ? syllables.first : syllables.further).set(char, read);
  return read;
}

/**
 * How a name sounds, without tones: Han characters become their pinyin (the first character of
 * a run read as a surname: 单 as shan), other words stay as they are, sorted. 张三丰 and 张三峰
 * sound alike (zhangsanfeng), and 王伟 sounds like `Wang Wei`. Characters are read one by one,
 * the same way on both sides of a comparison, so a reading that depends on its neighbours
 * cannot make two spellings of one name sound apart.
 */
export function nameSound(name: string): string {
  const { han, other } = words(name);
  const sounds = han.map((run) => [...run].map((char, i) => syllableOf(char, i === 0)).join(''));
  return other.length === 0 ? sounds.join('') : [...sounds, ...other].sort().join('');
}
