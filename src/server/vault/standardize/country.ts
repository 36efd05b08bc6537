import { ISO_3166_ALPHA2, type CountryAlpha2 } from '../../../shared/countries.js';
import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

export { ISO_3166_ALPHA2, type CountryAlpha2 };

const CODES: ReadonlySet<string> = new Set(ISO_3166_ALPHA2);

/**
 * The names customers and imports actually use for the countries a Chinese CRM meets most,
 * including the short forms and alpha-3 codes ICU's display names do not give (`USA`, `UK`,
 * `中华人民共和国`, `大陆`). Checked before the ICU names, so these win any clash.
 */
const ALIASES: Record<string, readonly string[]> = {
  CN: ['China', 'CHN', "People's Republic of China", 'PRC', 'Mainland China', '中国', '中國', '中华人民共和国', '中華人民共和國', '中国大陆', '大陆', '内地'],
  HK: ['Hong Kong', 'HKG', 'Hong Kong SAR', '香港', '中国香港', '中國香港', '香港特别行政区', '香港特別行政區'],
  MO: ['Macau', 'Macao', 'MAC', '澳门', '澳門', '中国澳门', '中國澳門'],
  TW: ['Taiwan', 'TWN', '台湾', '臺灣', '台灣', '中国台湾', '中國台灣'],
  US: ['United States', 'United States of America', 'USA', 'US of A', 'America', '美国', '美國', '美利坚合众国'],
  GB: ['United Kingdom', 'UK', 'GBR', 'Great Britain', 'Britain', 'England', '英国', '英國', '大不列颠'],
  JP: ['Japan', 'JPN', '日本'],
  KR: ['South Korea', 'Korea', 'Republic of Korea', 'KOR', '韩国', '韓國', '南韩', '南韓'],
  KP: ['North Korea', 'PRK', '朝鲜', '朝鮮', '北韩'],
  DE: ['Germany', 'DEU', 'Deutschland', '德国', '德國'],
  FR: ['France', 'FRA', '法国', '法國'],
  IT: ['Italy', 'ITA', '意大利', '義大利'],
  ES: ['Spain', 'ESP', '西班牙'],
  NL: ['Netherlands', 'Holland', 'NLD', '荷兰', '荷蘭'],
  CH: ['Switzerland', 'CHE', '瑞士'],
  SE: ['Sweden', 'SWE', '瑞典'],
  RU: ['Russia', 'Russian Federation', 'RUS', '俄罗斯', '俄羅斯'],
  CA: ['Canada', 'CAN', '加拿大'],
  MX: ['Mexico', 'MEX', '墨西哥'],
  BR: ['Brazil', 'BRA', '巴西'],
  AU: ['Australia', 'AUS', '澳大利亚', '澳洲', '澳大利亞'],
  NZ: ['New Zealand', 'NZL', '新西兰', '紐西蘭', '新西蘭'],
  SG: ['Singapore', 'SGP', '新加坡'],
  MY: ['Malaysia', 'MYS', '马来西亚', '馬來西亞'],
  TH: ['Thailand', 'THA', '泰国', '泰國'],
  VN: ['Vietnam', 'Viet Nam', 'VNM', '越南'],
  ID: ['Indonesia', 'IDN', '印度尼西亚', '印尼', '印度尼西亞'],
  PH: ['Philippines', 'PHL', '菲律宾', '菲律賓'],
  IN: ['India', 'IND', '印度'],
  AE: ['United Arab Emirates', 'UAE', 'ARE', 'Emirates', '阿联酋', '阿拉伯联合酋长国', '阿聯酋'],
  SA: ['Saudi Arabia', 'SAU', '沙特', '沙特阿拉伯'],
  TR: ['Turkey', 'Türkiye', 'TUR', '土耳其'],
  IL: ['Israel', 'ISR', '以色列'],
  ZA: ['South Africa', 'ZAF', '南非'],
  EG: ['Egypt', 'EGY', '埃及'],
  IE: ['Ireland', 'IRL', '爱尔兰', '愛爾蘭'],
  PK: ['Pakistan', 'PAK', '巴基斯坦'],
};

/** A country as its ISO 3166-1 alpha-2 code, from a code in any case or a name in English or Chinese. */
export function normalizeCountry(input: string): Result<CountryAlpha2> {
  const text = toHalfWidth(input).trim();
  if (text === '') return fail('empty');
  const upper = text.toUpperCase();
  if (CODES.has(upper)) return ok(upper as CountryAlpha2);
  const code = namesToCodes().get(nameKey(text));
  return code ? ok(code) : fail('invalid_country');
}

// "U.S.A.", "the Netherlands", "Côte d'Ivoire" and "cote divoire" should all find their code.
function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/[\s.,'’()&-]+/g, '');
}

let names: Map<string, CountryAlpha2> | undefined;

// ICU's region names (English, simplified and traditional Chinese) cover every code; built
// once on first use. Node ships full ICU; with a small-ICU build only the aliases remain.
function namesToCodes(): Map<string, CountryAlpha2> {
  if (names) return names;
  const built = new Map<string, CountryAlpha2>();
  for (const [code, aliases] of Object.entries(ALIASES)) {
    for (const alias of aliases) built.set(nameKey(alias), code as CountryAlpha2);
  }
  for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
    const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const code of ISO_3166_ALPHA2) {
      const name = display.of(code);
      if (name && !built.has(nameKey(name))) built.set(nameKey(name), code);
    }
  }
  names = built;
  return built;
}
