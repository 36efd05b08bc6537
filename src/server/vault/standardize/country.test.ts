import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ISO_3166_ALPHA2, normalizeCountry } from './country.js';

describe('normalizeCountry', () => {
  it('knows all 249 assigned codes, once each', () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(new Set(ISO_3166_ALPHA2).size).toBe(249);
    expect([...ISO_3166_ALPHA2]).toEqual([...ISO_3166_ALPHA2].sort());
  });

  it.each([
    ['cn', 'CN'], ['CN', 'CN'], [' Cn ', 'CN'], ['ｃｎ', 'CN'],
    ['中国', 'CN'], ['中华人民共和国', 'CN'], ['China', 'CN'], ['CHINA', 'CN'], ["People's Republic of China", 'CN'], ['PRC', 'CN'],
    ['United States', 'US'], ['united states of america', 'US'], ['美国', 'US'], ['USA', 'US'], ['U.S.A.', 'US'], ['美國', 'US'],
    ['UK', 'GB'], ['United Kingdom', 'GB'], ['英国', 'GB'], ['gb', 'GB'],
    ['日本', 'JP'], ['Japan', 'JP'],
    ['Germany', 'DE'], ['德国', 'DE'], ['Deutschland', 'DE'],
    ['France', 'FR'], ['法国', 'FR'],
    ['Singapore', 'SG'], ['新加坡', 'SG'],
    ['Hong Kong', 'HK'], ['香港', 'HK'], ['Hong Kong SAR China', 'HK'], ['中国香港特别行政区', 'HK'],
    ['澳门', 'MO'], ['Macau', 'MO'], ['台湾', 'TW'], ['Taiwan', 'TW'],
    ['韩国', 'KR'], ['South Korea', 'KR'], ['朝鲜', 'KP'],
    ['澳大利亚', 'AU'], ['加拿大', 'CA'], ['俄罗斯', 'RU'], ['印度', 'IN'], ['越南', 'VN'], ['Viet Nam', 'VN'],
    ['泰国', 'TH'], ['马来西亚', 'MY'], ['印尼', 'ID'], ['the Netherlands', 'NL'], ['荷兰', 'NL'],
    ['意大利', 'IT'], ['西班牙', 'ES'], ['瑞士', 'CH'], ['巴西', 'BR'], ['阿联酋', 'AE'], ['UAE', 'AE'],
    ["Côte d'Ivoire", 'CI'], ['cote divoire', 'CI'], ['Kenya', 'KE'], ['肯尼亚', 'KE'],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeCountry(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['XX', 'invalid_country'],
    ['EU', 'invalid_country'],
    ['Atlantis', 'invalid_country'],
    ['中', 'invalid_country'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeCountry(input)).toEqual({ ok: false, reason });
  });

  it('accepts every code in any letter case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ISO_3166_ALPHA2), fc.boolean(), fc.boolean(), (code, lowerFirst, lowerSecond) => {
        const typed = (lowerFirst ? code[0]!.toLowerCase() : code[0]!) + (lowerSecond ? code[1]!.toLowerCase() : code[1]!);
        expect(normalizeCountry(typed)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it('finds every country by its English and Chinese display name', () => {
    for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
      const display = new Intl.DisplayNames([locale], { type: 'region' });
      for (const code of ISO_3166_ALPHA2) expect([locale, normalizeCountry(display.of(code)!)]).toEqual([locale, { ok: true, value: code }]);
    }
  });

  it('returns only assigned codes, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = normalizeCountry(input);
        if (result.ok) expect(ISO_3166_ALPHA2).toContain(result.value);
      }),
    );
  });
});
