import fc from 'fast-check';
import { pinyin } from 'pinyin-pro';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_TOKENS, MAX_PREFIX, nameTokens, normalizeName, PREFIX_LENGTHS, queryTokens } from './name.js';

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
  it('indexes a Han name by character and adjacent pair (a longer part is asked for as its pairs)', () => {
    const han = (indexed: string) => nameTokens(indexed).filter((token) => /\p{Script=Han}/u.test(token));
    expect(han('张伟').sort()).toEqual(['伟', '张', '张伟'].sort());
    expect(han('欧阳娜娜').sort()).toEqual(['欧', '阳', '娜', '欧阳', '阳娜', '娜娜'].sort());
  });

  it('indexes Latin words by their lower-cased prefixes', () => {
    expect(nameTokens('Wei Zhang').sort()).toEqual(['we', 'wei', 'zh', 'zha', 'zhan', 'zhang'].sort());
    expect(nameTokens('J Smith')).toContain('j');
    expect(nameTokens('Wolfeschlegelsteinhausen')).toEqual(['wo', 'wol', 'wolf', 'wolfe', 'wolfes', 'wolfesch', 'wolfeschle', 'wolfeschlege']);
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

  it('asks for one token per word, cut to the longest indexed prefix length', () => {
    expect(queryTokens('Zhang  Wei')).toEqual(['zhang', 'wei']);
    expect(queryTokens('张伟')).toEqual(['张伟']);
    expect(queryTokens('欧阳娜娜')).toEqual(['欧阳', '阳娜', '娜娜']);
    expect(queryTokens('wolfeschlegelsteinhausen')).toEqual(['wolfeschlege']);
    expect(queryTokens('William Montgomery')).toEqual(['willia', 'montgomery']);
    expect(queryTokens('  ')).toEqual([]);
  });

  it('indexes prefixes of every length up to 6 letters, then every other length up to MAX_PREFIX', () => {
    expect(PREFIX_LENGTHS).toEqual([2, 3, 4, 5, 6, 8, 10, 12]);
    expect(nameTokens('William')).toEqual(['wi', 'wil', 'will', 'willi', 'willia']);
    // Typing 7 letters asks for the 6 indexed: Williams is found as well, the way a longer word is cut to 12.
    expect(finds('William', 'Serena Williams')).toBe(true);
    expect(finds('Williams', 'Robin William')).toBe(false);
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

// Common, compound and polyphonic surnames (单 shan, 曾 zeng, 解 xie, 仇 qiu, 朴 piao, 区 ou,
// 查 zha, 吕 lü), then a given name of one or two characters.
const surname = fc.constantFrom('张', '王', '李', '刘', '陈', '单', '曾', '解', '仇', '朴', '区', '查', '吕', '女', '欧阳', '尉迟', '长孙', '司马', '诸葛', '上官');
const hanChar = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCodePoint(code));
const hanName = fc.tuple(surname, fc.array(hanChar, { minLength: 1, maxLength: 2 })).map(([family, given]) => family + given.join(''));
const anyHan = fc.oneof(hanName, hanRun);
// What the name reads as, the way nameTokens reads a lone Han run (with its surname if ≤ 4 characters).
const read = (run: string): string[] => pinyin(run, { toneType: 'none', type: 'array', surname: [...run].length <= 4 ? 'head' : 'off' });

describe('pinyin search tokens', () => {
  it('indexes 张伟 by syllables and joined pinyin, with their prefixes', () => {
    expect(nameTokens('张伟').sort()).toEqual(['张', '伟', '张伟', 'zh', 'zha', 'zhan', 'zhang', 'we', 'wei', 'zhangw', 'zhangwei'].sort());
  });

  it.each([
    ['王小明', ['wang', 'xiao', 'ming', 'wangxiaoming', 'wangx']],
    ['欧阳娜娜', ['ou', 'yang', 'na', 'ouyang', 'ouyangnana']],
    ['单雄信', ['shan', 'sha', 'xiong', 'xin', 'shanxiongxin']],
    ['曾国藩', ['zeng', 'guo', 'fan', 'zengguofan']],
    ['吕布', ['lu', 'lv', 'bu', 'lubu', 'lvbu']],
  ])('indexes %j with its name reading', (indexed, expected) => {
    expect(nameTokens(indexed)).toEqual(expect.arrayContaining(expected));
  });

  it('reads a polyphonic surname as a surname only, not in all its readings', () => {
    expect(nameTokens('单雄信')).not.toContain('dan');
    expect(nameTokens('单雄信')).not.toContain('chan');
    expect(nameTokens('曾国藩')).not.toContain('ceng');
    // A given name written apart reads normally: 单 here is dan.
    expect(nameTokens('张 单')).toContain('dan');
    expect(nameTokens('张 单')).not.toContain('shan');
  });

  it('indexes a mixed name by its Latin word and the pinyin of its Han run', () => {
    expect(nameTokens('Wei 张').sort()).toEqual(['we', 'wei', '张', 'zh', 'zha', 'zhan', 'zhang'].sort());
    expect(nameTokens('David 单')).toContain('shan');
  });

  it.each([
    ['zhang', '张伟'],
    ['Zhang', '张伟'],
    ['ZHANG WEI', '张伟'],
    ['wei', '张伟'],
    ['zha', '张伟'],
    ['zhangwei', '张伟'],
    ['zhangw', '张伟'],
    ['zhang wei', '张伟'],
    ['wei zhang', '张伟'],
    ['Zhāng Wěi', '张伟'],
    ['ｚｈａｎｇｗｅｉ', '张伟'],
    ['张 wei', '张伟'],
    ['张', '张伟'],
    ['张伟', '张伟'],
    ['wangxiaoming', '王小明'],
    ['xiao ming', '王小明'],
    ['ouyang', '欧阳娜娜'],
    ['ouyang na na', '欧阳娜娜'],
    ['ouyangnana', '欧阳娜娜'],
    ['shan xiong xin', '单雄信'],
    ['shanxiongxin', '单雄信'],
    ['lü bu', '吕布'],
    ['lv bu', '吕布'],
    ['lvbu', '吕布'],
    ['lubu', '吕布'],
    ['zhang wei', 'Wei 张'],
    ['wei', 'Wei 张'],
    ['zhuangshuangxiang', '庄双翔'],
  ])('typing %j finds %j', (typed, indexed) => {
    expect(finds(typed, indexed)).toBe(true);
  });

  it.each([
    ['zw', '张伟'],
    ['zhangw wei', '李伟'],
    ['li wei', '张伟'],
    ['weizhang', '张伟'],
    ['dan xiongxin', '单雄信'],
    ['zhangwei', 'Wei 张'],
    ['lyu', '吕布'],
    // A given name's syllables joined apart from the surname (passport order) are not indexed.
    ['wang xiaoming', '王小明'],
    ['ouyang nana', '欧阳娜娜'],
  ])('typing %j does not find %j', (typed, indexed) => {
    expect(finds(typed, indexed)).toBe(false);
  });

  it('asks for one token per word of a pinyin query, cut to the indexed prefix length', () => {
    expect(queryTokens('zhang wei')).toEqual(['zhang', 'wei']);
    expect(queryTokens('zhangwei')).toEqual(['zhangwei']);
    expect(queryTokens('Lǚ Bù')).toEqual(['lu', 'bu']);
    expect(queryTokens('zhuangshuangxiang')).toEqual(['zhuangshuang']);
  });

  it('indexes a syllable, not the joined run, where pinyin-pro has no reading', () => {
    // 𠮷 (Extension B) has no reading: no joined pinyin would be honest across it.
    expect(nameTokens('张𠮷伟')).toEqual(expect.arrayContaining(['张𠮷', '𠮷伟', '𠮷', 'zhang', 'wei']));
    expect(nameTokens('张𠮷伟').filter((token) => token.startsWith('zhangw'))).toEqual([]);
  });

  it('finds any Han name by the pinyin of its first character', () => {
    fc.assert(
      fc.property(anyHan, (indexed) => {
        const first = read(indexed)[0]!;
        const tokens = new Set(nameTokens(indexed));
        for (const token of queryTokens(first)) expect(tokens).toContain(token);
      }),
    );
  });

  it('finds any Han name by a beginning of a syllable, by its syllables and by its joined pinyin', () => {
    fc.assert(
      fc.property(anyHan, fc.nat(), fc.nat(), (indexed, at, cut) => {
        const syllables = read(indexed);
        fc.pre(syllables.every((syllable) => /^[a-zü]+$/.test(syllable)));
        const syllable = syllables[at % syllables.length]!;
        const prefix = [...syllable].slice(0, Math.max(2, 1 + (cut % syllable.length))).join('');
        expect(finds(prefix, indexed)).toBe(true);
        expect(finds(syllables.join(' '), indexed)).toBe(true);
        expect(finds(syllables.join(''), indexed)).toBe(true);
        expect(finds(syllables.join('').replaceAll('ü', 'v'), indexed)).toBe(true);
      }),
    );
  });

  it(`gives at most MAX_NAME_TOKENS (${MAX_NAME_TOKENS}) tokens for any name of at most 200 characters`, () => {
    // Heavy characters: 6-letter syllables (庄双窗装撞爽闯创), ü-syllables (略虐吕女绿), none (𠮷㐀).
    const heavy = fc.constantFrom(...'庄双窗装撞爽闯创略虐吕女绿𠮷㐀');
    const part = fc.oneof(
      latinWord,
      fc.stringMatching(/^[a-z]$/),
      fc.array(fc.oneof(heavy, hanChar), { minLength: 1, maxLength: 6 }).map((chars) => chars.join('')),
    );
    const separator = fc.constantFrom(' ', '·', '-', '');
    const long = fc.array(fc.tuple(part, separator), { minLength: 1, maxLength: 120 }).map((parts) => [...parts.map(([p, sep]) => p + sep).join('')].slice(0, 200).join(''));
    fc.assert(
      fc.property(long, (indexed) => {
        expect(nameTokens(indexed).length).toBeLessThanOrEqual(MAX_NAME_TOKENS);
      }),
    );
    // 50 runs of three different characters each, all readable: close to the worst case.
    const distinct = Array.from({ length: 150 }, (_, i) => String.fromCodePoint(0x5e84 + i * 97));
    const runs = Array.from({ length: 50 }, (_, i) => distinct.slice(3 * i, 3 * i + 3).join('')).join(' ');
    expect([...runs].length).toBeLessThanOrEqual(200);
    expect(nameTokens(runs).length).toBeLessThanOrEqual(MAX_NAME_TOKENS);
    expect(nameTokens(`略庄双 ${'x'.repeat(196)}`).length).toBeLessThanOrEqual(38 + 11);
  });
});
