import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fieldsFor } from '../vault/built-in-fields.js';
import { standardizeValue } from '../vault/field-values.js';
import { DEFAULT_PHONE_REGION } from '../vault/gateway.js';
import { chineseIdCheckCharacter } from '../vault/standardize/national-id.js';
import { normalizeChineseNationalId, normalizeDate, normalizeEmail, normalizeName, normalizePhone } from '../vault/standardize/index.js';
import { createDemoGenerator, DEMO_COMPANY_SIZES, DEMO_GENDERS, DEMO_LIFECYCLE_STAGES, demoCustomers, type DemoCustomer, type DemoPerson } from './generate.js';
import {
  CHINESE_GIVEN_FEMALE,
  CHINESE_GIVEN_MALE,
  CHINESE_GIVEN_NEUTRAL,
  CHINESE_REGION_CODES,
  CHINESE_SURNAMES,
  ENGLISH_FIRST_NAMES_FEMALE,
  ENGLISH_FIRST_NAMES_MALE,
  ENGLISH_LAST_NAMES,
} from './tables.js';

const HAN = /\p{Script=Han}/u;
const optionsOf = (kind: 'person' | 'company', key: string): readonly string[] => fieldsFor(kind).find((field) => field.key === key)?.options ?? [];

/** Every way the value could be refused: by its own standardizer, and as the gateway standardizes it. */
function problems(customer: DemoCustomer): string[] {
  const found: string[] = [];
  const fields = fieldsFor(customer.kind);
  const name = normalizeName(customer.name);
  if (!name.ok) found.push(`name ${name.reason}: ${customer.name}`);
  for (const [key, value] of Object.entries(customer)) {
    if (key === 'kind') continue;
    const field = fields.find((candidate) => candidate.key === key);
    if (!field) {
      found.push(`unknown field ${customer.kind}.${key}`);
      continue;
    }
    try {
      standardizeValue(field, value, DEFAULT_PHONE_REGION);
    } catch (error) {
      found.push(`${key} refused by the gateway: ${JSON.stringify(value)} (${(error as Error).message})`);
    }
  }
  if (customer.kind === 'company') return found;

  const phone = normalizePhone(customer.phone, 'CN');
  if (!phone.ok) found.push(`phone ${phone.reason}: ${customer.phone}`);
  const email = normalizeEmail(customer.email);
  if (!email.ok) found.push(`email ${email.reason}: ${customer.email}`);
  const birthDate = customer.birthDate === undefined ? undefined : normalizeDate(customer.birthDate);
  if (birthDate && !birthDate.ok) found.push(`birthDate ${birthDate.reason}: ${customer.birthDate}`);
  if (customer.nationalId !== undefined) {
    const id = normalizeChineseNationalId(customer.nationalId);
    if (!id.ok) found.push(`nationalId ${id.reason}: ${customer.nationalId}`);
    else {
      if (!HAN.test(customer.name)) found.push(`nationalId for a non-Chinese name: ${customer.name}`);
      const year = Number(id.value.slice(6, 10));
      if (year < 1950 || year > 2005) found.push(`nationalId born ${year}`);
      if (!CHINESE_REGION_CODES.some((region) => region.code === id.value.slice(0, 6))) found.push(`nationalId region ${id.value}`);
      if (birthDate?.ok && birthDate.value.replaceAll('-', '') !== id.value.slice(6, 14)) found.push(`birthDate ${birthDate.value} does not match ${id.value}`);
      const odd = Number(id.value[16]) % 2 === 1;
      if ((customer.gender === 'male' && !odd) || (customer.gender === 'female' && odd)) found.push(`gender ${customer.gender} does not match ${id.value}`);
    }
  }
  return found;
}

const persons = (customers: readonly DemoCustomer[]): DemoPerson[] => customers.filter((c): c is DemoPerson => c.kind === 'person');
const share = (part: number, whole: number): number => part / whole;

describe('demo tables', () => {
  it('has at least 60 surnames weighted by frequency, including the compound ones', () => {
    const texts = CHINESE_SURNAMES.map((surname) => surname.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length).toBeGreaterThanOrEqual(60);
    expect(texts).toEqual(expect.arrayContaining(['欧阳', '司马', '诸葛']));
    expect(texts.slice(0, 10)).toEqual(['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周']);
    const weights = CHINESE_SURNAMES.map((surname) => surname.weight);
    expect(weights.every((weight) => Number.isInteger(weight) && weight > 0)).toBe(true);
  });

  it('has at least 150 given-name characters, 100 first names and 100 last names', () => {
    const given = [...CHINESE_GIVEN_MALE, ...CHINESE_GIVEN_FEMALE, ...CHINESE_GIVEN_NEUTRAL];
    expect(new Set(given.map((char) => char.text)).size).toBeGreaterThanOrEqual(150);
    expect(given.every((char) => [...char.text].length === 1 && /^[a-z]+$/.test(char.latin))).toBe(true);
    const first = [...ENGLISH_FIRST_NAMES_MALE, ...ENGLISH_FIRST_NAMES_FEMALE];
    expect(new Set(first).size).toBe(first.length);
    expect(first.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ENGLISH_LAST_NAMES).size).toBe(ENGLISH_LAST_NAMES.length);
    expect(ENGLISH_LAST_NAMES.length).toBeGreaterThanOrEqual(100);
  });

  it('has at least 30 distinct six-digit region codes', () => {
    const codes = CHINESE_REGION_CODES.map((region) => region.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(30);
    expect(codes.every((code) => /^[1-6]\d{5}$/.test(code))).toBe(true);
  });

  it('uses exactly the options of the built-in select fields', () => {
    expect([...DEMO_GENDERS]).toEqual(optionsOf('person', 'gender'));
    expect([...DEMO_COMPANY_SIZES]).toEqual(optionsOf('company', 'size'));
    expect([...DEMO_LIFECYCLE_STAGES]).toEqual(optionsOf('person', 'lifecycleStage'));
    expect([...DEMO_LIFECYCLE_STAGES]).toEqual(optionsOf('company', 'lifecycleStage'));
  });
});

describe('createDemoGenerator', () => {
  const SAMPLE = 20_000;
  const sample = [...demoCustomers(20250615, SAMPLE)];

  it(`produces ${SAMPLE} customers that every standardizer and the gateway accept`, () => {
    const refused = sample.flatMap((customer, index) => problems(customer).map((problem) => `#${index}: ${problem}`));
    expect(refused).toEqual([]);
  });

  it('only uses the built-in fields, with valid kinds and select options', () => {
    const genders = optionsOf('person', 'gender');
    const sizes = optionsOf('company', 'size');
    const keysOf = { person: new Set(fieldsFor('person').map((f) => f.key)), company: new Set(fieldsFor('company').map((f) => f.key)) };
    const wrong = sample.filter((customer) => {
      if (customer.kind !== 'person' && customer.kind !== 'company') return true;
      if (Object.entries(customer).some(([key, value]) => typeof value !== 'string' || (key !== 'kind' && !keysOf[customer.kind].has(key)))) return true;
      if (customer.kind === 'company') return customer.size !== undefined && !sizes.includes(customer.size);
      return customer.email === undefined || customer.phone === undefined || (customer.gender !== undefined && !genders.includes(customer.gender));
    });
    expect(wrong).toEqual([]);
  });

  it('gives every customer a lifecycle stage, customers the most common', () => {
    const counts = DEMO_LIFECYCLE_STAGES.map((stage) => sample.filter((customer) => customer.lifecycleStage === stage).length);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(SAMPLE);
    const [lead, prospect, customer, churned] = counts.map((count) => share(count, SAMPLE));
    expect(Math.abs(customer! - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(lead! - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(prospect! - 0.2)).toBeLessThan(0.02);
    expect(Math.abs(churned! - 0.1)).toBeLessThan(0.02);
  });

  it('mixes persons and companies, Chinese and international, in about the intended shares', () => {
    const people = persons(sample);
    const chinese = people.filter((person) => HAN.test(person.name));
    expect(Math.abs(share(people.length, SAMPLE) - 0.85)).toBeLessThan(0.02);
    expect(Math.abs(share(chinese.length, people.length) - 0.7)).toBeLessThan(0.025);
    expect(Math.abs(share(chinese.filter((person) => person.nationalId).length, chinese.length) - 0.6)).toBeLessThan(0.03);
    expect(Math.abs(share(people.filter((person) => person.address).length, people.length) - 0.5)).toBeLessThan(0.03);
    // International persons have Latin names and no Chinese identity card.
    const international = people.filter((person) => !HAN.test(person.name));
    expect(international.every((person) => person.nationalId === undefined && /^[\p{L}' .-]+$/u.test(person.name))).toBe(true);
    // Chinese persons are mostly on mainland mobiles; international ones never are.
    const mainlandMobile = (phone: string) => /^\+861[3-9]\d{9}$/.test((normalizePhone(phone, 'CN') as { value: string }).value);
    expect(share(chinese.filter((person) => mainlandMobile(person.phone)).length, chinese.length)).toBeGreaterThan(0.9);
    expect(international.some((person) => mainlandMobile(person.phone))).toBe(false);
  });

  it('writes surnames by real frequency and names of one or two given characters', () => {
    const chinese = persons(sample).filter((person) => HAN.test(person.name));
    const count = (surname: string) => chinese.filter((person) => person.name.startsWith(surname)).length;
    expect(count('王')).toBeGreaterThan(count('孔') * 10);
    expect(count('王') / chinese.length).toBeGreaterThan(0.05);
    expect(chinese.every((person) => [2, 3, 4].includes([...person.name].length))).toBe(true);
    expect(chinese.some((person) => /^(欧阳|司马|诸葛|上官|司徒|东方|皇甫|慕容|令狐|夏侯|端木|公孙)/.test(person.name))).toBe(true);
  });

  it('writes phones, e-mails and identity cards in the varied ways people type them', () => {
    const people = persons(sample);
    const phones = people.map((person) => person.phone);
    const shapes = new Set(phones.map((phone) => phone.replace(/\d/g, '9').replace(/[\uff10-\uff19]/g, '９')));
    expect(shapes.size).toBeGreaterThan(20);
    for (const pattern of [/^1\d{10}$/, /^1\d\d \d{4} \d{4}$/, /^\+86-1\d\d-\d{4}-\d{4}$/, /^0086 1\d{10}$/, /^\(\+86\) 1\d\d-\d{4}-\d{4}$/, /[\uff10-\uff19]/, /^\+1 \(\d{3}\) \d{3}-\d{4}$/, /^\+44 /, /^\+49/, /^\+81/, /^\+65/, /^\+852/]) {
      expect(phones.some((phone) => pattern.test(phone)), String(pattern)).toBe(true);
    }
    const emails = people.map((person) => person.email);
    expect(emails.some((email) => email !== email.trim())).toBe(true);
    expect(emails.some((email) => /[A-Z]/.test(email))).toBe(true);
    expect(emails.some((email) => email.endsWith('@qq.com'))).toBe(true);
    expect(new Set(emails.map((email) => email.trim().toLowerCase().split(/[@\uff20]/)[1])).size).toBeGreaterThan(20);
    const ids = people.flatMap((person) => (person.nationalId ? [person.nationalId] : []));
    expect(ids.some((id) => id.endsWith('X'))).toBe(true);
    expect(ids.some((id) => / /.test(id))).toBe(true);
    const birthDates = people.flatMap((person) => (person.birthDate ? [person.birthDate] : []));
    expect(birthDates.some((date) => date.includes('年'))).toBe(true);
    expect(birthDates.some((date) => date.includes('/'))).toBe(true);
  });

  it('gives check digits computed by the standard, X for 10', () => {
    for (const person of persons(sample)) {
      if (!person.nationalId) continue;
      const id = person.nationalId.replace(/ /g, '').toUpperCase();
      expect(id[17]).toBe(chineseIdCheckCharacter(id.slice(0, 17)));
    }
  });

  it('names companies in Chinese and English, with domains, industries and sizes', () => {
    const companies = sample.filter((customer) => customer.kind === 'company');
    const chinese = companies.filter((company) => HAN.test(company.name));
    expect(Math.abs(share(chinese.length, companies.length) - 0.6)).toBeLessThan(0.05);
    expect(chinese.every((company) => /(有限公司|有限责任公司)$/.test(company.name))).toBe(true);
    expect(companies.filter((company) => !HAN.test(company.name)).every((company) => /^[A-Z][\w ]+ \w+ [\w. ]+$/.test(company.name))).toBe(true);
    const domains = companies.flatMap((company) => (company.domain ? [company.domain] : []));
    expect(domains.every((domain) => /^[a-z0-9-]+(\.[a-z]{2,})+$/.test(domain))).toBe(true);
    expect(share(domains.length, companies.length)).toBeGreaterThan(0.7);
    expect(share(companies.filter((company) => company.industry).length, companies.length)).toBeGreaterThan(0.8);
    expect(new Set(companies.map((company) => company.size)).size).toBe(DEMO_COMPANY_SIZES.length + 1);
  });

  it('is deterministic: the same seed gives the same customer, in any order', () => {
    const first = createDemoGenerator(99);
    const second = createDemoGenerator(99);
    const indices = [0, 1, 2, 17, 999, 65_535, 1_000_000, 9_999_999, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    const forward = indices.map((index) => first.customer(index));
    const backward = [...indices].reverse().map((index) => second.customer(index)).reverse();
    expect(backward).toEqual(forward);
    expect(indices.map((index) => first.customer(index))).toEqual(forward);
  });

  it('never touches Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    try {
      for (const customer of demoCustomers(11, 2_000)) expect(customer.name).not.toBe('');
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });

  it('resumes: batches from any start equal one long run', () => {
    const whole = [...demoCustomers(5, 3_000)];
    const batches = [...demoCustomers(5, 1_000, 2_000), ...demoCustomers(5, 1_000, 0), ...demoCustomers(5, 1_000, 1_000)];
    expect([...batches.slice(1_000), ...batches.slice(0, 1_000)]).toEqual(whole);
    const generator = createDemoGenerator(5);
    expect(whole.every((customer, index) => JSON.stringify(customer) === JSON.stringify(generator.customer(index)))).toBe(true);
  });

  it('gives different customers for different seeds', () => {
    const one = [...demoCustomers(1, 1_000)];
    const two = [...demoCustomers(2, 1_000)];
    const same = one.filter((customer, index) => JSON.stringify(customer) === JSON.stringify(two[index])).length;
    expect(same).toBeLessThan(10);
    expect(createDemoGenerator(-1).customer(0)).not.toEqual(createDemoGenerator(2 ** 32 - 1).customer(0));
  });

  it('refuses seeds, indices and counts that are not safe integers', () => {
    expect(() => createDemoGenerator(1.5)).toThrow(RangeError);
    expect(() => createDemoGenerator(Number.NaN)).toThrow(RangeError);
    const generator = createDemoGenerator(1);
    expect(() => generator.customer(-1)).toThrow(RangeError);
    expect(() => generator.customer(0.5)).toThrow(RangeError);
    expect(() => generator.customer(2 ** 53)).toThrow(RangeError);
    expect(() => [...demoCustomers(1, -1)]).toThrow(RangeError);
  });

  it('returns values the gateway input type takes as they are', () => {
    const input: Record<string, unknown> = createDemoGenerator(3).customer(0);
    expect(input.kind).toMatch(/^(person|company)$/);
  });
});

describe('uniqueness', () => {
  it('gives no two of 100,000 customers the same phone, e-mail or identity card once standardized', () => {
    const phones = new Set<string>();
    const emails = new Set<string>();
    const ids = new Set<string>();
    let people = 0;
    let withId = 0;
    for (const customer of demoCustomers(77, 100_000)) {
      if (customer.kind !== 'person') continue;
      people++;
      const phone = normalizePhone(customer.phone, 'CN');
      const email = normalizeEmail(customer.email);
      if (!phone.ok || !email.ok) throw new Error(`Refused: ${JSON.stringify(customer)}`);
      phones.add(phone.value);
      emails.add(email.value.matchKey);
      if (customer.nationalId) {
        withId++;
        const id = normalizeChineseNationalId(customer.nationalId);
        if (id.ok) ids.add(id.value);
      }
    }
    expect(people).toBeGreaterThan(80_000);
    expect(phones.size).toBe(people);
    expect(emails.size).toBe(people);
    expect(ids.size).toBe(withId);
  });
});

describe('any seed, any index', () => {
  it('gives a valid customer for every seed and every index below 10^7', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger().chain((seed) => fc.tuple(fc.constant(seed), fc.integer({ min: 0, max: 10 ** 7 - 1 }))), ([seed, index]) => {
        const customer = createDemoGenerator(seed).customer(index);
        expect(problems(customer)).toEqual([]);
        expect(createDemoGenerator(seed).customer(index)).toEqual(customer);
      }),
      { numRuns: 2_000 },
    );
  });

  it('stays valid for small seeds and indices at the edges', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000, max: 1_000 }), fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 10 ** 7 - 100, max: 10 ** 7 - 1 })), (seed, index) => {
        expect(problems(createDemoGenerator(seed).customer(index))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('speed', () => {
  it('reports how fast it generates (informational, not asserted)', () => {
    const count = 200_000;
    const started = performance.now();
    let characters = 0;
    for (const customer of demoCustomers(1, count)) characters += customer.name.length;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`demo generator: ${count} customers in ${seconds.toFixed(2)} s, ${Math.round(count / seconds)} per second\n`);
    expect(characters).toBeGreaterThan(0);
  });
});
