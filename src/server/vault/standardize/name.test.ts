import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PREFIX, nameTokens, normalizeName, queryTokens } from './name.js';

const latinWord = fc.stringMatching(/^[A-Za-z]{1,20}$/);
const hanRun = fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCodePoint(code)), { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''));
const name = fc.array(fc.oneof(latinWord, hanRun), { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
const finds = (typed: string, indexed: string): boolean => {
  const tokens = new Set(nameTokens(indexed));
  return queryTokens(typed).every((token) => tokens.has(token));
};

describe('normalizeName', () => {
  it.each([
    ['  张伟 ', '张伟'],
    ['Wei   Zhang', 'Wei Zhang'],
    ['Wei\t\nZhang', 'Wei Zhang'],
    ['Ｗｅｉ　Ｚｈａｎｇ', 'Wei Zhang'],
    ['Jose\u0301', 'José'],
    ['欧阳 娜娜', '欧阳 娜娜'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeName(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    [' \u3000 ', 'empty'],
    ['a'.repeat(201), 'too_long'],
    ['Wei\u200bZhang', 'invalid_name'],
    ['Wei\u202eZhang', 'invalid_name'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeName(input)).toEqual({ ok: false, reason });
  });

  it('counts characters, not UTF-16 units, against the 200 limit', () => {
    expect(normalizeName('𠮷'.repeat(200)).ok).toBe(true);
  });

  it('is idempotent and leaves no outer or doubled whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (input) => {
        const result = normalizeName(input);
        if (!result.ok) return;
        expect(result.value).toBe(result.value.trim());
        expect(result.value).not.toMatch(/\s\s|[\t\n\u3000]/);
        expect(normalizeName(result.value)).toEqual(result);
      }),
    );
  });
});

describe('name search tokens', () => {
  it('indexes a Han name by character, pair and whole run', () => {
    expect(nameTokens('张伟').sort()).toEqual(['伟', '张', '张伟'].sort());
    expect(nameTokens('欧阳娜娜').sort()).toEqual(['欧', '阳', '娜', '欧阳', '阳娜', '娜娜', '欧阳娜娜'].sort());
  });

  it('indexes Latin words by their lower-cased prefixes', () => {
    expect(nameTokens('Wei Zhang').sort()).toEqual(['we', 'wei', 'zh', 'zha', 'zhan', 'zhang'].sort());
    expect(nameTokens('J Smith')).toContain('j');
    expect(nameTokens('Wolfeschlegelsteinhausen')).toEqual(['wo', 'wol', 'wolf', 'wolfe', 'wolfes', 'wolfesc', 'wolfesch', 'wolfeschl', 'wolfeschle', 'wolfeschleg', 'wolfeschlege']);
    expect(nameTokens('José Müller')).toEqual(expect.arrayContaining(['jose', 'muller']));
  });

  it.each([
    ['张', '张伟'],
    ['张伟', '张伟'],
    ['伟', '张伟'],
    ['Zhang', 'Wei Zhang'],
    ['wei', 'Wei Zhang'],
    ['zha we', 'Wei Zhang'],
    ['ZHANG', 'Zhang Wei'],
    ['欧阳娜', '欧阳娜娜'],
    ['jose', 'José'],
    ['张伟', 'Wei Zhang 张伟'],
    ['ｚｈａｎｇ', 'Wei Zhang'],
  ])('typing %j finds %j', (typed, indexed) => {
    expect(finds(typed, indexed)).toBe(true);
  });

  it.each([
    ['李', '张伟'],
    ['zhao', 'Wei Zhang'],
    ['伟张', '张伟'],
    ['weiz', 'Wei Zhang'],
  ])('typing %j does not find %j', (typed, indexed) => {
    expect(finds(typed, indexed)).toBe(false);
  });

  it('asks for one token per word, and cuts long words to the indexed prefix length', () => {
    expect(queryTokens('Zhang  Wei')).toEqual(['zhang', 'wei']);
    expect(queryTokens('张伟')).toEqual(['张伟']);
    expect(queryTokens('欧阳娜娜')).toEqual(['欧阳', '阳娜', '娜娜']);
    expect(queryTokens('wolfeschlegelsteinhausen')).toEqual(['wolfeschlege']);
    expect(queryTokens('  ')).toEqual([]);
  });

  it('never repeats a token', () => {
    fc.assert(
      fc.property(name, (indexed) => {
        const tokens = nameTokens(indexed);
        expect(new Set(tokens).size).toBe(tokens.length);
        const query = queryTokens(indexed);
        expect(new Set(query).size).toBe(query.length);
      }),
    );
  });

  it('finds a name by any prefix of two or more letters of any of its Latin words', () => {
    fc.assert(
      fc.property(name, latinWord, fc.nat(), fc.nat(), (rest, word, at, cut) => {
        fc.pre(word.length >= 2);
        const words = rest.split(' ');
        words.splice(at % (words.length + 1), 0, word);
        const prefix = word.slice(0, 2 + (cut % (word.length - 1)));
        const tokens = new Set(nameTokens(words.join(' ')));
        for (const token of queryTokens(prefix)) expect(tokens).toContain(token);
      }),
    );
  });

  it('finds a name by any part of any of its Han runs', () => {
    fc.assert(
      fc.property(name, hanRun, fc.nat(), fc.nat(), (rest, run, from, length) => {
        const start = from % run.length;
        const part = run.slice(start, start + 1 + (length % (run.length - start)));
        expect(finds(part, `${rest} ${run}`)).toBe(true);
      }),
    );
  });

  it('finds every name by the whole of itself', () => {
    fc.assert(fc.property(name, (indexed) => finds(indexed, indexed)));
  });

  it('caps Latin prefixes at MAX_PREFIX characters', () => {
    fc.assert(
      fc.property(name, (indexed) => {
        for (const token of nameTokens(indexed)) if (/^[a-z]+$/.test(token)) expect(token.length).toBeLessThanOrEqual(MAX_PREFIX);
      }),
    );
  });
});
