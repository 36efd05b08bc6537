/**
 * Demo data: realistic customer inputs, shaped as the vault gateway's create input
 * (`gateway.create` / `gateway.createMany`), that every standardizer accepts.
 *
 * `customer(i)` is a pure function of (seed, i): each call seeds a small PRNG (mulberry32) from
 * a hash of both, so a million rows can be generated in batches, in any order, resumed after a
 * crash, or in parallel workers, and always come out the same. The values that must not repeat
 * (phone numbers, e-mail addresses, identity card numbers, QQ numbers) are not drawn at random
 * but derived from the index through a keyed permutation (a small Feistel network), so they are
 * unique by construction across the whole range while still looking random.
 */
import {
  CHINESE_CITIES,
  CHINESE_COMPANY_FORMS,
  CHINESE_COMPOUNDS,
  CHINESE_GIVEN_FEMALE,
  CHINESE_GIVEN_MALE,
  CHINESE_GIVEN_NEUTRAL,
  CHINESE_INDUSTRIES,
  CHINESE_MAIL_DOMAINS,
  CHINESE_REGION_CODES,
  CHINESE_ROADS,
  CHINESE_SURNAMES,
  COMPANY_CITIES,
  DE_CITIES,
  DE_STREETS,
  EMAIL_WORDS,
  ENGLISH_COMPANY_FORMS,
  ENGLISH_COMPANY_WORDS,
  ENGLISH_FIRST_NAMES_FEMALE,
  ENGLISH_FIRST_NAMES_MALE,
  ENGLISH_INDUSTRIES,
  ENGLISH_LAST_NAMES,
  HK_STREETS,
  INTERNATIONAL_MAIL_DOMAINS,
  JP_AREAS,
  SG_STREETS,
  TRADE_NAME_CHARACTERS,
  UK_STREETS,
  UK_TOWNS,
  US_CITIES,
  US_STREET_TYPES,
  US_STREETS,
  WORK_MAIL_DOMAINS,
  type Romanized,
} from './tables.js';

/** The options of the built-in `gender` and `size` select fields (built-in-fields.ts). */
export const DEMO_GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export const DEMO_COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001+'] as const;
/** The options of the built-in `lifecycleStage` select field, which both kinds have. */
export const DEMO_LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
export type DemoGender = (typeof DEMO_GENDERS)[number];
export type DemoCompanySize = (typeof DEMO_COMPANY_SIZES)[number];
export type DemoLifecycleStage = (typeof DEMO_LIFECYCLE_STAGES)[number];

// Type aliases, not interfaces, so a customer is assignable to the gateway's Record<string, unknown>.
export type DemoPerson = {
  kind: 'person';
  name: string;
  email: string;
  phone: string;
  nationalId?: string;
  birthDate?: string;
  gender?: DemoGender;
  address?: string;
  /** Always set (as for a company): optional only so the kinds' builders can add it last. */
  lifecycleStage?: DemoLifecycleStage;
};

export type DemoCompany = {
  kind: 'company';
  name: string;
  domain?: string;
  industry?: string;
  size?: DemoCompanySize;
  lifecycleStage?: DemoLifecycleStage;
};

export type DemoCustomer = DemoPerson | DemoCompany;

export interface DemoGenerator {
  readonly seed: number;
  /** The customer at `index` (a non-negative safe integer); the same for the same seed, always. */
  customer(index: number): DemoCustomer;
}

// ---------------------------------------------------------------------------------------------
// Hashing and the keyed permutation

/** A 32-bit avalanche mix (Wellons' lowbias32): every input bit flips about half the output bits. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_32 = 4_294_967_296;

/** A 32-bit hash of a safe integer (both halves of it). */
function hashInteger(value: number, salt: number): number {
  const low = value >>> 0;
  const high = Math.floor(value / TWO_32) >>> 0;
  return mix32(mix32(low ^ salt) + Math.imul(high ^ 0x5bd1e995, 0x9e3779b9));
}

const ROUNDS = 4;

/**
 * A bijection of [0, a·b) keyed by four round keys: an unbalanced Feistel network on the pair
 * (x div b, x mod b) whose halves swap radix each round, so after an even number of rounds the
 * shape is back to (a, b). Every round is invertible, so distinct inputs give distinct outputs.
 */
function permute(x: number, a: number, b: number, keys: Uint32Array): number {
  let high = Math.floor(x / b);
  let low = x - high * b;
  let radixHigh = a;
  let radixLow = b;
  for (let round = 0; round < ROUNDS; round++) {
    const next = (high + (mix32(low ^ keys[round]!) % radixHigh)) % radixHigh;
    high = low;
    low = next;
    const swap = radixHigh;
    radixHigh = radixLow;
    radixLow = swap;
  }
  return high * radixLow + low;
}

interface Domain {
  /** Size of the first and second half; the domain is [0, a·b). */
  readonly a: number;
  readonly b: number;
  readonly tag: number;
}

const MOBILE_DOMAIN: Domain = { a: 10_000, b: 10_000, tag: 1 }; // 8-digit subscriber part
const QQ_DOMAIN: Domain = { a: 30_000, b: 30_000, tag: 2 }; // 9-digit QQ numbers
const LANDLINE_DOMAIN: Domain = { a: 1_000, b: 10_000, tag: 3 }; // 7-digit tails

// ---------------------------------------------------------------------------------------------
// Seed-independent tables, built once

function expandWeights(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const table = new Uint8Array(total);
  let at = 0;
  weights.forEach((weight, index) => {
    table.fill(index, at, at + weight);
    at += weight;
  });
  return table;
}

const SURNAME_TABLE = expandWeights(CHINESE_SURNAMES.map((surname) => surname.weight));
const MALE_GIVEN: readonly Romanized[] = [...CHINESE_GIVEN_MALE, ...CHINESE_GIVEN_NEUTRAL];
const FEMALE_GIVEN: readonly Romanized[] = [...CHINESE_GIVEN_FEMALE, ...CHINESE_GIVEN_NEUTRAL];

const SPECIAL_LATIN: Record<string, string> = { ø: 'o', æ: 'ae', ß: 'ss', ł: 'l', đ: 'd', œ: 'oe' };

/** "Søren" → "soren", "O'Brien" → "obrien", "Min-jun" → "minjun": what goes into a mail handle. */
function asciiHandle(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæßłđœ]/g, (char) => SPECIAL_LATIN[char] ?? '')
    .replace(/[^a-z]/g, '');
}

interface LatinName {
  readonly text: string;
  readonly latin: string;
}
const latinNames = (names: readonly string[]): LatinName[] => names.map((text) => ({ text, latin: asciiHandle(text) }));
const FIRST_MALE = latinNames(ENGLISH_FIRST_NAMES_MALE);
const FIRST_FEMALE = latinNames(ENGLISH_FIRST_NAMES_FEMALE);
const LAST_NAMES = latinNames(ENGLISH_LAST_NAMES);
const INITIALS = 'ABCDEFGHJKLMNPRSTW';

// Birth dates: every day from 1950-01-01 to 2005-12-31, with the part of the identity card
// checksum its eight digits contribute, so an ID costs a few additions.
const FIRST_BIRTH_YEAR = 1950;
const LAST_BIRTH_YEAR = 2005;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

const dayYear: number[] = [];
const dayMonth: number[] = [];
const dayOfMonth: number[] = [];
const dayCompact: string[] = [];
const dayIso: string[] = [];
for (let year = FIRST_BIRTH_YEAR; year <= LAST_BIRTH_YEAR; year++) {
  for (let month = 1; month <= 12; month++) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let day = 1; day <= days; day++) {
      const mm = String(month).padStart(2, '0');
      const dd = String(day).padStart(2, '0');
      dayYear.push(year);
      dayMonth.push(month);
      dayOfMonth.push(day);
      dayCompact.push(`${year}${mm}${dd}`);
      dayIso.push(`${year}-${mm}-${dd}`);
    }
  }
}
const DAYS = dayCompact.length;

const weightedDigitSum = (digits: string, offset: number): number => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * ID_WEIGHTS[offset + i]!;
  return sum;
};
const DAY_SUM = Uint16Array.from(dayCompact, (compact) => weightedDigitSum(compact, 6));
const REGION_SUM = Uint16Array.from(CHINESE_REGION_CODES, (region) => weightedDigitSum(region.code, 0));
const REGIONS = CHINESE_REGION_CODES.length;
// Sequence codes 001–998: an odd one for a man, an even one for a woman (GB 11643), in pairs.
const SEQUENCE_PAIRS = 499;
const NATIONAL_ID_DOMAIN: Domain = { a: REGIONS * SEQUENCE_PAIRS, b: DAYS, tag: 4 };

const PAD3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const SEQUENCE_SUM = Uint16Array.from(PAD3, (digits) => weightedDigitSum(digits, 14));

// Mainland mobile prefixes libphonenumber's full metadata accepts for all eight following digits
// (146, 148, 149 are data-only ranges and 174 is satellite, so they are left out).
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '145', '147', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '166', '170', '171', '172', '173', '175', '176', '177', '178', '180', '181',
  '182', '183', '184', '185', '186', '187', '188', '189', '191', '198', '199',
];
// Roughly by subscriber share: the old 13x/15x/18x ranges hold most numbers.
const MOBILE_PREFIX_TABLE = expandWeights(MOBILE_PREFIXES.map((prefix) => (/^1[358]/.test(prefix) ? 6 : 2)));

/**
 * A numbering plan: the national number is `prefix + head + tail`, where every head digit and
 * every tail of `tail` digits is valid. `head · 10^tail` distinct numbers per prefix, assigned
 * by index, so they do not repeat below that many customers.
 */
interface Plan {
  readonly country: 'US' | 'GB' | 'DE' | 'JP' | 'SG' | 'HK';
  readonly code: string;
  readonly prefixes: readonly string[];
  readonly heads: string;
  readonly tail: number;
  /** Lengths of the groups the national number is written in. */
  readonly groups: readonly number[];
  readonly domain: Domain;
}

const plan = (definition: Omit<Plan, 'domain'>, tag: number): Plan => ({
  ...definition,
  domain: { a: Math.max(definition.heads.length, 1) * 10, b: 10 ** (definition.tail - 1), tag },
});

const PLANS: readonly Plan[] = [
  plan({ country: 'US', code: '1', prefixes: ['212', '646', '917', '718', '347'], heads: '23456789', tail: 6, groups: [3, 3, 4] }, 10),
  plan({ country: 'US', code: '1', prefixes: ['415', '650', '408', '510', '213', '310', '619', '858'], heads: '23456789', tail: 6, groups: [3, 3, 4] }, 11),
  plan({ country: 'US', code: '1', prefixes: ['617', '312', '773', '206', '305', '512', '303', '404', '202', '214', '713', '602', '503', '702'], heads: '23456789', tail: 6, groups: [3, 3, 4] }, 12),
  plan({ country: 'GB', code: '44', prefixes: ['207', '203', '208'], heads: '', tail: 7, groups: [2, 4, 4] }, 20),
  plan({ country: 'GB', code: '44', prefixes: ['71', '72', '73'], heads: '', tail: 8, groups: [4, 6] }, 21),
  plan({ country: 'DE', code: '49', prefixes: ['30'], heads: '', tail: 8, groups: [2, 8] }, 30),
  plan({ country: 'DE', code: '49', prefixes: ['151', '152', '160', '162', '170', '171', '172', '175', '176', '177', '178', '179'], heads: '', tail: 8, groups: [3, 8] }, 31),
  plan({ country: 'JP', code: '81', prefixes: ['90', '80', '70'], heads: '123456789', tail: 7, groups: [2, 4, 4] }, 40),
  plan({ country: 'JP', code: '81', prefixes: ['3'], heads: '123456789', tail: 7, groups: [1, 4, 4] }, 41),
  plan({ country: 'SG', code: '65', prefixes: ['8'], heads: '123456789', tail: 6, groups: [4, 4] }, 50),
  plan({ country: 'SG', code: '65', prefixes: ['9'], heads: '012345678', tail: 6, groups: [4, 4] }, 51),
  plan({ country: 'HK', code: '852', prefixes: ['6'], heads: '13459', tail: 6, groups: [4, 4] }, 60),
  plan({ country: 'HK', code: '852', prefixes: ['9'], heads: '467', tail: 6, groups: [4, 4] }, 61),
];
// Shares of the international customers: [plan index, weight].
const PLAN_TABLE = expandWeights([14, 10, 11, 8, 12, 4, 6, 7, 3, 6, 6, 7, 6]);

// Landlines: Beijing 010 and Shanghai 021 take any eight digits starting 2–7.
const LANDLINE_AREAS = ['10', '21'];
const LANDLINE_HEADS = '234567';

function group(digits: string, lengths: readonly number[], separator: string): string {
  let out = '';
  let at = 0;
  for (const length of lengths) {
    if (at >= digits.length) break;
    out += (at === 0 ? '' : separator) + digits.slice(at, at + length);
    at += length;
  }
  if (at < digits.length) out += separator + digits.slice(at);
  return out;
}

const FULL_WIDTH_OFFSET = 0xfee0;
/** What a Chinese input method in full-width mode types: `１３８ ００１３`. */
function toFullWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += code === 0x20 ? '\u3000' : code > 0x20 && code < 0x7f ? String.fromCharCode(code + FULL_WIDTH_OFFSET) : text[i]!;
  }
  return out;
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

// ---------------------------------------------------------------------------------------------
// The generator

function checkInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}.`);
}

export function createDemoGenerator(seed: number): DemoGenerator {
  checkInteger(seed, 'The demo seed');
  const seedHash = hashInteger(seed, 0x2545f491);

  const keysFor = (domain: Domain): Uint32Array =>
    Uint32Array.from({ length: ROUNDS }, (_, round) => mix32(seedHash ^ Math.imul(domain.tag * ROUNDS + round + 1, 0x9e3779b1)));
  const domainKeys = new Map<number, Uint32Array>();
  for (const domain of [MOBILE_DOMAIN, QQ_DOMAIN, LANDLINE_DOMAIN, NATIONAL_ID_DOMAIN, ...PLANS.map((p) => p.domain)]) {
    domainKeys.set(domain.tag, keysFor(domain));
  }
  /** The index's slot in the domain: distinct for distinct indices below a·b. */
  const slot = (domain: Domain, index: number): number => permute(index % (domain.a * domain.b), domain.a, domain.b, domainKeys.get(domain.tag)!);

  // mulberry32, re-seeded from (seed, index) at the start of every customer.
  let state = 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => Math.floor((next() / TWO_32) * n);
  const chance = (p: number): boolean => next() < p * TWO_32;
  const pick = <T>(list: readonly T[]): T => list[below(list.length)]!;
  const between = (min: number, max: number): number => min + below(max - min + 1);

  function customer(index: number): DemoCustomer {
    checkInteger(index, 'A demo customer index');
    if (index < 0) throw new RangeError(`A demo customer index must not be negative, got ${index}.`);
    state = hashInteger(index, seedHash) | 0;
    const result = chance(0.15) ? company() : person(index);
    // Drawn last, so adding it left every other value of every customer as it was.
    result.lifecycleStage = lifecycleStage();
    return result;
  }

  /** Where customers stand: most lists are filtered by it (40 % customers, 30 % leads, 20 % prospects, 10 % churned). */
  function lifecycleStage(): DemoLifecycleStage {
    const roll = below(10);
    return roll < 4 ? 'customer' : roll < 7 ? 'lead' : roll < 9 ? 'prospect' : 'churned';
  }

  function person(index: number): DemoPerson {
    const male = chance(0.5);
    const chinese = chance(0.7);
    const result = chinese ? chinesePerson(index, male) : internationalPerson(index, male);
    if (chance(0.75)) {
      const roll = below(100);
      result.gender = roll < 93 ? (male ? 'male' : 'female') : roll < 95 ? 'other' : 'undisclosed';
    }
    return result;
  }

  function chinesePerson(index: number, male: boolean): DemoPerson {
    const surname = CHINESE_SURNAMES[SURNAME_TABLE[below(SURNAME_TABLE.length)]!]!;
    const pool = male ? MALE_GIVEN : FEMALE_GIVEN;
    const first = pick(pool);
    let second: Romanized | undefined = chance(0.72) ? pick(pool) : undefined;
    if (second === first && chance(0.7)) second = undefined; // 婷婷 and 明明 exist, but rarely
    const name = surname.text + first.text + (second?.text ?? '');
    const given = first.latin + (second?.latin ?? '');

    const email = chineseEmail(index, surname.latin, given, first.latin, second?.latin);
    const phone = chance(0.95) ? chineseMobile(index) : chineseLandline(index);
    const result: DemoPerson = { kind: 'person', name, email, phone };

    let birthDay = -1;
    if (chance(0.6)) {
      const id = nationalId(index, male);
      result.nationalId = id.text;
      birthDay = id.day;
      if (!chance(0.7)) birthDay = -1;
    } else if (chance(0.35)) {
      birthDay = below(DAYS);
    }
    if (birthDay >= 0) result.birthDate = formatBirthDate(birthDay);
    if (chance(0.5)) result.address = chineseAddress();
    return result;
  }

  function internationalPerson(index: number, male: boolean): DemoPerson {
    const first = pick(male ? FIRST_MALE : FIRST_FEMALE);
    const last = pick(LAST_NAMES);
    const name = chance(0.08) ? `${first.text} ${INITIALS[below(INITIALS.length)]}. ${last.text}` : `${first.text} ${last.text}`;
    const numberPlan = PLANS[PLAN_TABLE[below(PLAN_TABLE.length)]!]!;
    const result: DemoPerson = {
      kind: 'person',
      name,
      email: internationalEmail(index, first.latin, last.latin),
      phone: internationalPhone(index, numberPlan),
    };
    if (chance(0.3)) result.birthDate = formatBirthDate(below(DAYS));
    if (chance(0.5)) result.address = internationalAddress(numberPlan.country);
    return result;
  }

  // --- e-mail -------------------------------------------------------------------------------

  /**
   * The index in base 36 always follows the handle's last separator and contains none itself,
   * so two indices never share a local part, whatever handle or domain they got.
   */
  function uniqueLocal(handle: string, index: number): string {
    const separator = below(4);
    return handle + (separator === 0 ? '_' : separator === 1 ? '-' : '.') + index.toString(36);
  }

  /** Some people type capitals, and some paste with spaces around; the server trims and folds both. */
  function dressEmail(local: string, domain: string, fullWidthAt: boolean): string {
    const at = fullWidthAt ? '\uff20' : '@';
    const roll = below(100);
    let email = roll < 4 ? capitalize(local) + at + domain : roll < 6 ? (local + at + domain).toUpperCase() : roll < 8 ? capitalize(local) + at + domain.toUpperCase() : local + at + domain;
    if (chance(0.03)) email = (chance(0.7) ? ' ' : '  ') + email + (chance(0.5) ? ' ' : '');
    return email;
  }

  function chineseEmail(index: number, surname: string, given: string, first: string, second: string | undefined): string {
    const roll = below(100);
    if (roll < 20) return dressEmail(String(100_000_000 + slot(QQ_DOMAIN, index)), 'qq.com', chance(0.02));
    let handle: string;
    if (roll < 85) {
      const initials = first.charAt(0) + (second?.charAt(0) ?? '');
      switch (below(7)) {
        case 0: handle = surname + given; break;
        case 1: handle = `${given}.${surname}`; break;
        case 2: handle = `${surname}.${given}`; break;
        case 3: handle = `${surname}_${given}`; break;
        case 4: handle = initials + surname; break;
        case 5: handle = surname + initials; break;
        default: handle = `${surname}${given}${between(60, 99)}`;
      }
    } else {
      handle = pick(EMAIL_WORDS) + (chance(0.5) ? surname : String(between(1, 999)));
    }
    const domain = chance(0.1) ? pick(WORK_MAIL_DOMAINS) : pick(CHINESE_MAIL_DOMAINS);
    return dressEmail(uniqueLocal(handle, index), domain, chance(0.01));
  }

  function internationalEmail(index: number, first: string, last: string): string {
    let handle: string;
    switch (below(6)) {
      case 0: handle = `${first}.${last}`; break;
      case 1: handle = first + last; break;
      case 2: handle = first.charAt(0) + last; break;
      case 3: handle = `${first}_${last}`; break;
      case 4: handle = last + first.charAt(0); break;
      default: handle = first;
    }
    const domain = chance(0.2) ? pick(WORK_MAIL_DOMAINS) : pick(INTERNATIONAL_MAIL_DOMAINS);
    return dressEmail(uniqueLocal(handle, index), domain, false);
  }

  // --- phones -------------------------------------------------------------------------------

  function chineseMobile(index: number): string {
    const prefix = MOBILE_PREFIXES[MOBILE_PREFIX_TABLE[below(MOBILE_PREFIX_TABLE.length)]!]!;
    const subscriber = String(slot(MOBILE_DOMAIN, index)).padStart(8, '0');
    const middle = subscriber.slice(0, 4);
    const end = subscriber.slice(4);
    const roll = below(100);
    let phone: string;
    if (roll < 38) phone = prefix + subscriber;
    else if (roll < 54) phone = `${prefix} ${middle} ${end}`;
    else if (roll < 64) phone = `${prefix}-${middle}-${end}`;
    else if (roll < 72) phone = `+86${prefix}${subscriber}`;
    else if (roll < 80) phone = `+86 ${prefix} ${middle} ${end}`;
    else if (roll < 85) phone = `+86-${prefix}-${middle}-${end}`;
    else if (roll < 90) phone = `0086 ${prefix}${subscriber}`;
    else if (roll < 95) phone = `(+86) ${prefix}-${middle}-${end}`;
    else phone = `+86 ${prefix}${subscriber}`;
    return chance(0.03) ? toFullWidth(phone) : phone;
  }

  function chineseLandline(index: number): string {
    const area = LANDLINE_AREAS[below(LANDLINE_AREAS.length)]!;
    const tail = String(slot(LANDLINE_DOMAIN, index)).padStart(7, '0');
    const local = LANDLINE_HEADS[below(LANDLINE_HEADS.length)]! + tail;
    const roll = below(4);
    const phone =
      roll === 0 ? `0${area}-${local}` : roll === 1 ? `0${area} ${local.slice(0, 4)} ${local.slice(4)}` : roll === 2 ? `+86 ${area} ${local.slice(0, 4)} ${local.slice(4)}` : `(0${area}) ${local}`;
    return chance(0.03) ? toFullWidth(phone) : phone;
  }

  function internationalPhone(index: number, numberPlan: Plan): string {
    const position = slot(numberPlan.domain, index);
    const unit = 10 ** (numberPlan.tail - 1);
    const lead = Math.floor(position / unit); // head index · 10 + first tail digit
    const heads = numberPlan.heads === '' ? 1 : numberPlan.heads.length;
    const head = numberPlan.heads === '' ? '' : numberPlan.heads[Math.floor(lead / 10) % heads]!;
    const national = pick(numberPlan.prefixes) + head + String(lead % 10) + String(position % unit).padStart(numberPlan.tail - 1, '0');
    const code = numberPlan.code;
    switch (below(6)) {
      case 0:
        return `+${code}${national}`;
      case 1:
        return `+${code}-${group(national, numberPlan.groups, '-')}`;
      case 2:
        return `00${code} ${group(national, numberPlan.groups, ' ')}`;
      default:
        if (numberPlan.country === 'US') return `+1 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
        if (numberPlan.country === 'JP') return `+81 ${group(national, numberPlan.groups, '-')}`;
        return `+${code} ${group(national, numberPlan.groups, ' ')}`;
    }
  }

  // --- identity cards and dates -------------------------------------------------------------

  function nationalId(index: number, male: boolean): { text: string; day: number } {
    const position = slot(NATIONAL_ID_DOMAIN, index);
    const region = position % REGIONS;
    const pair = Math.floor(position / REGIONS) % SEQUENCE_PAIRS;
    const day = Math.floor(position / (REGIONS * SEQUENCE_PAIRS));
    const sequence = pair * 2 + (male ? 1 : 2);
    const sequenceText = PAD3[sequence]!;
    const sum = REGION_SUM[region]! + DAY_SUM[day]! + SEQUENCE_SUM[sequence]!;
    const body = CHINESE_REGION_CODES[region]!.code + dayCompact[day]! + sequenceText;
    const id = body + ID_CHECK[sum % 11]!;
    const roll = below(100);
    const text = roll < 5 ? `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}` : roll < 8 ? id.toLowerCase() : id;
    return { text, day };
  }

  function formatBirthDate(day: number): string {
    const roll = below(100);
    if (roll < 65) return dayIso[day]!;
    if (roll < 80) return `${dayYear[day]}/${dayMonth[day]}/${dayOfMonth[day]}`;
    if (roll < 90) return `${dayYear[day]}年${dayMonth[day]}月${dayOfMonth[day]}日`;
    return dayIso[day]!.replaceAll('-', '.');
  }

  // --- addresses ----------------------------------------------------------------------------

  function chineseAddress(): string {
    const city = pick(CHINESE_CITIES);
    const street = `${city.city}${pick(city.districts)}${pick(CHINESE_ROADS)}${between(1, 999)}号`;
    switch (below(4)) {
      case 0: return street;
      case 1: return `${street}${pick(CHINESE_COMPOUNDS)}${between(1, 32)}栋${between(1, 6)}单元${between(1, 33)}0${between(1, 8)}室`;
      case 2: return `${street}${between(1, 28)}号楼${between(1, 30)}0${between(1, 6)}`;
      default: return `${street}${pick(['A', 'B', 'C'])}座${between(2, 40)}层`;
    }
  }

  function internationalAddress(country: Plan['country']): string {
    switch (country) {
      case 'US': {
        const [city, state, zip] = pick(US_CITIES);
        return `${between(1, 9999)} ${pick(US_STREETS)} ${pick(US_STREET_TYPES)}${chance(0.3) ? `, Apt ${between(1, 40)}${pick(['A', 'B', 'C'])}` : ''}, ${city}, ${state} ${zip}${String(between(1, 99)).padStart(2, '0')}`;
      }
      case 'GB': {
        const [town, district] = pick(UK_TOWNS);
        return `${between(1, 240)} ${pick(UK_STREETS)}, ${town} ${district} ${between(1, 9)}${pick(['AB', 'DX', 'HT', 'JZ', 'QA', 'XE'])}`;
      }
      case 'DE': {
        const [city, postcode] = pick(DE_CITIES);
        return `${pick(DE_STREETS)} ${between(1, 180)}, ${postcode}${String(between(100, 999))} ${city}`;
      }
      case 'JP': {
        const [area, ward, postcode] = pick(JP_AREAS);
        return `${between(1, 5)}-${between(1, 30)}-${between(1, 20)} ${area}, ${ward}, Tokyo ${postcode}-${String(between(1, 9999)).padStart(4, '0')}`;
      }
      case 'SG':
        return `${between(1, 300)} ${pick(SG_STREETS)}, #${String(between(2, 40)).padStart(2, '0')}-${String(between(1, 99)).padStart(2, '0')}, Singapore ${String(between(10_000, 829_999)).padStart(6, '0')}`;
      case 'HK': {
        const [street, district] = pick(HK_STREETS);
        return `Flat ${between(1, 40)}${pick(['A', 'B', 'C', 'D'])}, ${between(1, 300)} ${street}, ${district}, Hong Kong`;
      }
    }
  }

  // --- companies ----------------------------------------------------------------------------

  function companySize(): DemoCompanySize {
    const roll = below(100);
    return roll < 32 ? '1-10' : roll < 62 ? '11-50' : roll < 82 ? '51-200' : roll < 94 ? '201-1000' : '1001+';
  }

  function company(): DemoCompany {
    const chinese = chance(0.6);
    let name: string;
    let domain: string;
    let industry: string;
    if (chinese) {
      const city = pick(COMPANY_CITIES);
      const first = pick(TRADE_NAME_CHARACTERS);
      let second = pick(TRADE_NAME_CHARACTERS);
      if (second === first) second = TRADE_NAME_CHARACTERS[(TRADE_NAME_CHARACTERS.indexOf(first) + 1) % TRADE_NAME_CHARACTERS.length]!;
      const [word, sector, domainWord] = pick(CHINESE_INDUSTRIES);
      const form = pick(CHINESE_COMPANY_FORMS);
      const trade = first.text + second.text;
      name = chance(0.12) ? `${trade}${word}（${city.text}）${form}` : `${city.text}${chance(0.6) ? '市' : ''}${trade}${word}${form}`;
      const roll = below(4);
      const base = first.latin + second.latin;
      domain = roll === 0 ? `${base}.com` : roll === 1 ? `${base}${domainWord}.cn` : roll === 2 ? `${base}.com.cn` : `${city.latin}${base}.com`;
      industry = sector;
    } else {
      const word = pick(ENGLISH_COMPANY_WORDS);
      const [kind, sector, domainWord] = pick(ENGLISH_INDUSTRIES);
      const [form, tld] = pick(ENGLISH_COMPANY_FORMS);
      name = `${word} ${kind} ${form}`;
      const base = word.toLowerCase().replace(/[^a-z]/g, '');
      const roll = below(3);
      domain = roll === 0 ? `${base}${domainWord}.${tld}` : roll === 1 ? `${base}-${domainWord}.${tld}` : `${base}.${tld}`;
      industry = sector;
    }
    const result: DemoCompany = { kind: 'company', name };
    if (chance(0.8)) result.domain = domain;
    if (chance(0.9)) result.industry = industry;
    if (chance(0.85)) result.size = companySize();
    return result;
  }

  return { seed, customer };
}

/** `count` customers from `start` on: the same as calling `customer(start + k)` one by one. */
export function* demoCustomers(seed: number, count: number, start = 0): Generator<DemoCustomer, void, undefined> {
  checkInteger(count, 'The demo customer count');
  checkInteger(start, 'The first demo customer index');
  if (count < 0 || start < 0) throw new RangeError('The demo customer count and start must not be negative.');
  const generator = createDemoGenerator(seed);
  for (let index = start; index < start + count; index++) yield generator.customer(index);
}
