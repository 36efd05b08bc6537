import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../../shared/fields.js';
import { fieldsFor } from '../../vault/built-in-fields.js';
import { standardizeValue } from '../../vault/field-values.js';
import type { MappableField } from './auto-map.js';
import { CellError, cellToInput } from './cells.js';

const field = (type: MappableField['type'], options?: string[]): MappableField => ({ kind: 'person', key: 'f', type, labels: { en: 'F', 'zh-CN': 'F' }, options });
const person = (key: string) => fieldsFor('person').find((candidate) => candidate.key === key)!;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CellError) return error.code;
    throw error;
  }
  throw new Error('expected a CellError');
}

const fullWidth = (text: string) => text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

describe('cellToInput', () => {
  it('takes an empty or blank cell as not given, for every type', () => {
    for (const type of FIELD_TYPES) for (const cell of ['', '  ', '\t\n', '\u3000']) expect(cellToInput(field(type, ['a']), cell)).toBeUndefined();
  });

  it('passes text-like values on trimmed, for the vault to check', () => {
    expect(cellToInput(field('text'), '  张三 ')).toBe('张三');
    expect(cellToInput(field('phone'), ' 138 0013 8000 ')).toBe('138 0013 8000');
    expect(cellToInput(field('email'), 'A@Example.com ')).toBe('A@Example.com');
  });

  describe('dates', () => {
    const day = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });

    it('reads every date written the ways spreadsheets write it', () => {
      fc.assert(
        fc.property(day, (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
          for (const written of [iso, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${m}月${d}日`, iso.replace(/-/g, ''), fullWidth(`${y}/${m}/${d}`), `${iso}T09:30:00`, `${y}/${m}/${d} 9:30`]) {
            expect(cellToInput(field('date'), ` ${written} `)).toBe(iso);
          }
        }),
      );
    });

    it.each(['2024-02-30', '05/03/2024', '45356', 'yesterday', '2024-03-05T25:00'])('refuses %j', (cell) => {
      expect(refusal(() => cellToInput(field('date'), cell))).toBe('invalid_date');
    });
  });

  it('reads a date-time without offset at the assumed one, and leaves it to the vault otherwise', () => {
    expect(cellToInput(field('datetime'), '2024-01-02T09:30:15', { assumedOffsetMinutes: 480 })).toBe('2024-01-02T01:30:15.000Z');
    expect(cellToInput(field('datetime'), '2024/1/2 9:30+00:00', { assumedOffsetMinutes: 480 })).toBe('2024-01-02T09:30:00.000Z');
    expect(cellToInput(field('datetime'), ' 2024-01-02 09:30 ')).toBe('2024-01-02 09:30');
    expect(refusal(() => cellToInput(field('datetime'), 'soon', { assumedOffsetMinutes: 0 }))).toBe('invalid_datetime');
  });

  describe('booleans', () => {
    it.each([
      ['是', true],
      ['否', false],
      ['Y', true],
      ['n', false],
      ['YES', true],
      ['No', false],
      ['true', true],
      ['FALSE', false],
      ['1', true],
      ['0', false],
      ['√', true],
      ['×', false],
      ['Ｙ', true],
    ])('%j → %s', (cell, value) => {
      expect(cellToInput(field('boolean'), cell)).toBe(value);
    });

    it('reads yes and no words in any case and width, and refuses anything else', () => {
      fc.assert(
        fc.property(fc.constantFrom('yes', 'no', 'true', 'false', 'y', 'n'), fc.boolean(), fc.boolean(), (word, upper, wide) => {
          const written = (upper ? word.toUpperCase() : word) as string;
          expect(cellToInput(field('boolean'), wide ? fullWidth(written) : written)).toBe(['yes', 'true', 'y'].includes(word));
        }),
      );
      expect(refusal(() => cellToInput(field('boolean'), 'maybe'))).toBe('invalid_boolean');
    });
  });

  describe('lists', () => {
    const tag = fc.string({ unit: fc.constantFrom(...'ab 张三VIP-'), minLength: 1, maxLength: 8 }).filter((text) => text.trim() !== '');

    it('splits tags on , ; 、 ， | and trims them', () => {
      fc.assert(
        fc.property(fc.array(tag, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(',', ';', '、', '，', '|', ' , ', '；'), { minLength: 8, maxLength: 8 }), (tags, separators) => {
          const cell = tags.map((text, i) => (i === 0 ? text : separators[i]! + text)).join('');
          expect(cellToInput(field('tags'), cell)).toEqual(tags.map((text) => text.trim()));
        }),
      );
      expect(cellToInput(field('tags'), ' , ;')).toBeUndefined();
    });

    it('maps multi-select items to option keys, once each', () => {
      expect(cellToInput(person('preferredChannels'), '微信、Email；短信,WeChat')).toEqual(['wechat', 'email', 'sms']);
      expect(refusal(() => cellToInput(field('multi_select', ['a', 'b']), 'a, c'))).toBe('invalid_option');
    });
  });

  describe('selects', () => {
    it.each([
      ['男', 'male'],
      ['女', 'female'],
      ['M', 'male'],
      ['f', 'female'],
      ['Male', 'male'],
      ['FEMALE', 'female'],
      ['其他', 'other'],
      ['保密', 'undisclosed'],
    ])('reads the gender %j as %s', (cell, value) => {
      expect(cellToInput(person('gender'), cell)).toBe(value);
    });

    it('matches other options by key in any case, and refuses the rest', () => {
      expect(cellToInput(field('select', ['gold', 'silver']), ' GOLD ')).toBe('gold');
      expect(cellToInput(person('lifecycleStage'), '潜在客户')).toBe('prospect');
      expect(cellToInput(person('preferredLanguage'), 'ZH-cn')).toBe('zh-CN');
      expect(refusal(() => cellToInput(field('select', ['gold', 'silver']), 'bronze'))).toBe('invalid_option');
      expect(refusal(() => cellToInput(field('select', ['gold']), '男'))).toBe('invalid_option');
    });
  });

  describe('numbers', () => {
    it.each([
      ['1234', 1234],
      ['1,234,567.89', 1234567.89],
      ['-12.5', -12.5],
      ['+3', 3],
      ['１２３', 123],
      ["1'000", 1000],
    ])('%j → %d', (cell, value) => {
      expect(cellToInput(field('number'), cell)).toBe(value);
    });

    it.each(['1.2.3', '12abc', '1,23', '--1', '1e5', ''.padEnd(400, '9')])('refuses %j', (cell) => {
      expect(refusal(() => cellToInput(field('number'), cell))).toBe('invalid_number');
    });

    it('reads back any grouped number', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.nat(99), (whole, cents) => {
          const text = `${whole < 0 ? '-' : ''}${Math.abs(whole).toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
          expect(cellToInput(field('number'), text)).toBe(Number(`${whole < 0 ? '-' : ''}${Math.abs(whole)}.${String(cents).padStart(2, '0')}`));
        }),
      );
    });
  });

  describe('money', () => {
    it.each([
      ['¥1,234.50', { amount: 123450, currency: 'CNY' }],
      ['￥1,234.5', { amount: 123450, currency: 'CNY' }],
      ['1234.5 CNY', { amount: 123450, currency: 'CNY' }],
      ['usd 12', { amount: 1200, currency: 'USD' }],
      ['$-3.10', { amount: -310, currency: 'USD' }],
      ['12元', { amount: 1200, currency: 'CNY' }],
      ['JPY 1,000', { amount: 1000, currency: 'JPY' }],
      ['€0.99', { amount: 99, currency: 'EUR' }],
      ['100.00', { amount: 10000, currency: 'CNY' }],
    ])('%j → %j', (cell, value) => {
      expect(cellToInput(field('money'), cell, { defaultCurrency: 'CNY' })).toEqual(value);
    });

    it.each([
      ['100', 'missing_currency'],
      ['¥1.234', 'invalid_money'],
      ['1.5 JPY', 'invalid_money'],
      ['¥ 12 CNY', 'invalid_money'],
      ['12 dollars', 'invalid_currency'],
      ['abc', 'invalid_money'],
    ])('refuses %j (%s)', (cell, code) => {
      expect(refusal(() => cellToInput(field('money'), cell))).toBe(code);
    });

    it('reads back any amount written with a currency sign and grouping', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1e13, max: 1e13 }), (minor) => {
          const text = `¥${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
          expect(cellToInput(field('money'), text)).toEqual({ amount: minor, currency: 'CNY' });
        }),
      );
    });
  });

  it('gives every built-in field an input the vault standardizes', () => {
    const cells: Record<string, string> = {
      name: '张三',
      email: 'Zhang@Example.cn',
      phone: '13800138000',
      nationalId: '11010519491231002X',
      birthDate: '1990年3月5日',
      gender: '女',
      companyId: '0b9c7a52-5f55-4e55-9f31-3c4c1c3f1e0a',
      address: '北京市海淀区',
      companyName: '某某科技',
      city: '北京',
      lifecycleStage: 'Customer',
      tags: 'VIP、老客户',
      source: '展会',
      externalId: 'C-001',
      preferredChannels: '邮件|微信',
      preferredLanguage: '中文',
      topics: '理财;保险',
      doNotContact: '否',
    };
    for (const definition of fieldsFor('person')) {
      const cell = cells[definition.key];
      expect(cell, definition.key).toBeDefined();
      expect(() => standardizeValue(definition, cellToInput(definition, cell!), 'CN'), definition.key).not.toThrow();
    }
    expect(standardizeValue({ ...person('name'), key: 'amount', type: 'money' }, cellToInput(field('money'), '¥12.30'), 'CN').value).toEqual({ amount: 1230, currency: 'CNY' });
  });
});
