import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockKeys, jaroWinkler, nameSimilarity, nameSound, normalizeCity, normalizeCompany, normalizeName, scorePair } from './index.js';

const toFullWidth = (text: string) => [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c === ' ' ? '\u3000' : c)).join('');
const latinWord = fc.stringMatching(/^[A-Za-z]{1,10}$/);
const hanName = fc.array(fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英'), { minLength: 2, maxLength: 4 }).map((c) => c.join(''));

describe('normalizeName', () => {
  it('ignores width, case, spacing and punctuation', () => {
    fc.assert(
      fc.property(fc.array(latinWord, { minLength: 1, maxLength: 4 }), (words) => {
        const name = words.join(' ');
        expect(normalizeName(toFullWidth(name.toUpperCase()))).toBe(normalizeName(name));
        expect(normalizeName(words.join(' · '))).toBe(normalizeName(name));
      }),
    );
    fc.assert(fc.property(hanName, (name) => {
      expect(normalizeName([...name].join(' '))).toBe(normalizeName(name));
    }));
  });

  it('ignores the order of Latin words, not of Chinese characters', () => {
    fc.assert(fc.property(fc.array(latinWord, { minLength: 1, maxLength: 4 }), (words) => {
      expect(normalizeName([...words].reverse().join(' '))).toBe(normalizeName(words.join(' ')));
    }));
    expect(normalizeName('伟王')).not.toBe(normalizeName('王伟'));
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (name) => {
      expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
    }));
  });

  it('reads traditional characters as simplified, and full-width as half-width', () => {
    expect(normalizeName('王偉')).toBe('王伟');
    expect(normalizeName('張 三豐')).toBe('张三丰');
    expect(normalizeName('ＷＡＮＧ　Wei')).toBe('wangwei');
    expect(normalizeName('José Núñez')).toBe(normalizeName('jose nunez'));
    expect(normalizeName('欧阳·娜娜')).toBe('欧阳娜娜');
  });

  it('drops the suffixes people leave out of cities and companies', () => {
    expect(normalizeCity('北京市')).toBe(normalizeCity('北京'));
    expect(normalizeCompany('星辰科技有限公司')).toBe(normalizeCompany('星辰科技'));
    expect(normalizeCompany('Acme Co., Ltd.')).toBe(normalizeCompany('ACME'));
  });
});

describe('nameSound', () => {
  it('is toneless pinyin, so homophones meet', () => {
    expect(nameSound('张三丰')).toBe('zhangsanfeng');
    expect(nameSound('張三峰')).toBe(nameSound('张三丰'));
    expect(nameSound('王伟')).toBe(nameSound('Wang Wei'));
  });
});

describe('jaroWinkler and nameSimilarity', () => {
  it('stay in [0, 1], are symmetric, and are 1 for a name and itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBeCloseTo(s, 10);
        expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 10);
        if (normalizeName(a) !== '') expect(nameSimilarity(a, a)).toBe(1);
      }),
    );
  });

  it('scores variants high and strangers low', () => {
    expect(nameSimilarity('王伟', '王偉')).toBe(1);
    expect(nameSimilarity('张三丰', '张三峰')).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity('Jonathan Smith', 'Jonathon Smith')).toBeGreaterThan(0.85);
    expect(nameSimilarity('王伟', '李娜')).toBeLessThan(0.5);
  });
});

describe('blockKeys', () => {
  it('puts the same person written differently in a shared block', () => {
    fc.assert(
      fc.property(hanName, fc.constantFrom('北京', '上海市', '深圳'), (name, city) => {
        const a = blockKeys({ name, city });
        const b = blockKeys({ name: toFullWidth([...name].join(' ')), city: `${city} ` });
        expect(a.some((key) => b.includes(key))).toBe(true);
      }),
    );
    const sound = blockKeys({ name: '张三丰', city: '杭州' });
    expect(blockKeys({ name: '張三峰', city: '杭州市' }).some((key) => sound.includes(key))).toBe(true);
  });

  it('never blocks on a name alone, and keeps cities apart', () => {
    expect(blockKeys({ name: '王伟' })).toEqual([]);
    const beijing = blockKeys({ name: '王伟', city: '北京' });
    expect(blockKeys({ name: '王伟', city: '上海' }).some((key) => beijing.includes(key))).toBe(false);
  });
});

describe('scorePair', () => {
  it('stays within 0–100 and is symmetric', () => {
    const profile = fc.record({
      name: fc.option(fc.oneof(hanName, fc.string({ maxLength: 12 }))),
      city: fc.option(fc.constantFrom('北京', '上海')),
      companyName: fc.option(fc.constantFrom('星辰科技', 'Acme')),
      email: fc.option(fc.constantFrom('a@example.com', 'b@example.com')),
      phone: fc.option(fc.constantFrom('+8613800000000', '+8613900000000')),
      nationalId: fc.option(fc.constantFrom('11010519491231002X')),
    });
    fc.assert(
      fc.property(profile, profile, (a, b) => {
        const { score, reasons } = scorePair(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        expect(scorePair(b, a).score).toBe(score);
        expect(new Set(reasons).size).toBe(reasons.length);
      }),
    );
  });

  it('scores shared identifiers high and anchored names above the threshold', () => {
    expect(scorePair({ name: '王伟', email: 'w@example.com' }, { name: '王偉', email: 'w@example.com' })).toEqual({ score: 95, reasons: ['email', 'name'] });
    expect(scorePair({ name: '王伟', nationalId: '11010519491231002X' }, { name: '李娜', nationalId: '11010519491231002X' }).score).toBe(75);
    expect(scorePair({ name: '王伟', city: '北京' }, { name: '王 偉', city: '北京市' })).toEqual({ score: 70, reasons: ['name', 'city'] });
    expect(scorePair({ name: '张三丰', city: '杭州' }, { name: '张三峰', city: '杭州' })).toEqual({ score: 65, reasons: ['name_sound', 'city'] });
    expect(scorePair({ name: '王伟', city: '北京' }, { name: '王伟', city: '上海' })).toEqual({ score: 50, reasons: ['name'] });
    expect(scorePair({ name: '王伟' }, { name: '李娜' }, ['phone'])).toEqual({ score: 60, reasons: ['phone'] });
  });
});
