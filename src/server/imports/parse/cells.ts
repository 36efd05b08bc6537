import { normalizeDate, normalizeDateTime } from '../../vault/standardize/index.js';
import type { MappableField } from './auto-map.js';
import { matchKey } from './auto-map.js';

export type CellProblem = 'invalid_date' | 'invalid_datetime' | 'invalid_number' | 'invalid_boolean' | 'invalid_option' | 'invalid_money' | 'missing_currency' | 'invalid_currency';

/** A cell that cannot become a value of its field: the row is rejected with this reason. */
export class CellError extends Error {
  constructor(
    readonly code: CellProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CellError';
  }
}

export interface CellOptions {
  /** ISO 4217 code for money cells that name no currency; without it such cells are refused. */
  defaultCurrency?: string;
  /**
   * The offset (minutes east of UTC, 480 for China) of date-time cells written without one, as
   * spreadsheets write them; without it such cells go on as written and the vault refuses them.
   */
  assumedOffsetMinutes?: number;
}

/** Words spreadsheets use for yes and no, after `matchKey` (so `Y`, `ｙ`, ` yes ` all match). */
const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '对', 't', 'on']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '✘', '错', 'f', 'off']);

/**
 * Common ways of writing the built-in select options, by option key; used only when the field
 * has that option. Matching is by `matchKey`, so case, width and spacing do not matter.
 */
const OPTION_WORDS: Record<string, string[]> = {
  male: ['男', '男性', '先生', 'm', 'man'],
  female: ['女', '女性', '女士', 'f', 'woman'],
  other: ['其他', '其它'],
  undisclosed: ['保密', '未知', '不详', 'prefer not to say', 'unknown'],
  lead: ['线索', '潜在线索'],
  prospect: ['潜在客户', '商机', '意向客户'],
  customer: ['客户', '成交客户', '已成交'],
  churned: ['流失', '已流失', '流失客户'],
  email: ['邮件', '电子邮件', '邮箱', 'e-mail'],
  phone: ['电话', '手机'],
  sms: ['短信'],
  wechat: ['微信', 'weixin'],
  whatsapp: [],
  mail: ['信件', '邮寄', 'post'],
  'zh-CN': ['中文', '简体中文', '汉语', 'chinese', 'zh'],
  en: ['英文', '英语', 'english'],
};

/** Separators of list cells: comma, semicolon, 、, | (full-width forms are folded first). */
const LIST_SEPARATOR = /[,;、|]/;

/**
 * One text cell → the input the vault's `standardizeValue` accepts for the field, or undefined
 * when the cell is empty (not given). Lists, booleans, numbers, money, dates and option labels
 * are converted here; text-like values are passed on trimmed for the vault to check.
 * Throws `CellError` when the cell cannot be converted.
 */
export function cellToInput(field: MappableField, cell: string, options: CellOptions = {}): unknown {
  const text = cell.trim();
  if (text === '') return undefined;
  switch (field.type) {
    case 'select':
      return option(field, text);
    case 'multi_select': {
      const items = listItems(text);
      return items.length === 0 ? undefined : [...new Set(items.map((item) => option(field, item)))];
    }
    case 'tags': {
      const items = listItems(text);
      return items.length === 0 ? undefined : items;
    }
    case 'boolean':
      return booleanValue(text);
    case 'number':
      return numberValue(text);
    case 'money':
      return moneyValue(text, options.defaultCurrency);
    case 'date':
      return dateValue(text);
    case 'datetime':
      return options.assumedOffsetMinutes === undefined ? text : dateTimeValue(text, options.assumedOffsetMinutes);
    default:
      return text;
  }
}

function listItems(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function option(field: MappableField, text: string): string {
  const options = field.options ?? [];
  const key = matchKey(text);
  const chosen =
    options.find((candidate) => candidate === text) ??
    options.find((candidate) => matchKey(candidate) === key) ??
    options.find((candidate) => OPTION_WORDS[candidate]?.some((word) => matchKey(word) === key));
  if (chosen === undefined) throw new CellError('invalid_option', `Not one of: ${options.join(', ')}.`);
  return chosen;
}

function booleanValue(text: string): boolean {
  const key = text.normalize('NFKC').trim().toLowerCase();
  if (TRUE_WORDS.has(key)) return true;
  if (FALSE_WORDS.has(key)) return false;
  throw new CellError('invalid_boolean', 'Expected yes or no (是/否, Y/N, true/false, 1/0).');
}

/** Digits with an optional sign and decimal part, thousands grouped by commas, spaces or apostrophes. */
const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:[, ']\d{3})+)(?:\.\d+)?$/;

function numberValue(text: string): number {
  const folded = text.normalize('NFKC').trim();
  if (!NUMBER.test(folded)) throw new CellError('invalid_number', 'Expected a number such as 1234.5 or 1,234.5.');
  const value = Number(folded.replace(/[, ']/g, ''));
  if (!Number.isFinite(value)) throw new CellError('invalid_number', 'The number is too large.');
  return value;
}

/** Currency signs and words → ISO 4217. `¥` is the yuan: Custos's users write yen as JPY. */
const CURRENCY_WORDS: Record<string, string> = {
  '¥': 'CNY',
  元: 'CNY',
  人民币: 'CNY',
  rmb: 'CNY',
  $: 'USD',
  us$: 'USD',
  美元: 'USD',
  hk$: 'HKD',
  港币: 'HKD',
  '€': 'EUR',
  欧元: 'EUR',
  '£': 'GBP',
  英镑: 'GBP',
  日元: 'JPY',
};

const AMOUNT = /^([+-]?)(\d+|\d{1,3}(?:[, ']\d{3})+)(?:\.(\d+))?$/;

/**
 * A money cell → `{ amount, currency }` in integer minor units, as the vault stores it:
 * `¥1,234.50`, `1234.5 CNY`, `USD 12`, `12元`. A cell naming no currency takes the default one.
 */
function moneyValue(text: string, defaultCurrency: string | undefined): { amount: number; currency: string } {
  const folded = text.normalize('NFKC').trim();
  const parts = /^([^\d+-]*?)\s*([+-]?[\d, ']*\d(?:\.\d+)?)\s*([^\d]*?)$/.exec(folded);
  if (!parts) throw new CellError('invalid_money', 'Expected an amount such as 1234.50 CNY or ¥1,234.50.');
  const [, before = '', number = '', after = ''] = parts;
  if (before !== '' && after !== '') throw new CellError('invalid_money', 'Expected one currency, before or after the amount.');
  const currency = currencyCode(before || after) ?? defaultCurrency?.toUpperCase();
  if (currency === undefined) throw new CellError('missing_currency', 'The amount needs a currency, e.g. 1234.50 CNY.');
  const digits = minorDigits(currency);
  const amount = AMOUNT.exec(number);
  if (!amount) throw new CellError('invalid_money', 'Expected an amount such as 1234.50 CNY or ¥1,234.50.');
  const [, sign, whole = '', fraction = ''] = amount;
  if (fraction.replace(/0+$/, '').length > digits) throw new CellError('invalid_money', `${currency} amounts have at most ${digits} decimal places.`);
  const minor = Number(whole.replace(/[, ']/g, '') + fraction.padEnd(digits, '0').slice(0, digits));
  if (!Number.isSafeInteger(minor)) throw new CellError('invalid_money', 'The amount is too large.');
  return { amount: sign === '-' ? -minor : minor, currency };
}

function currencyCode(word: string): string | undefined {
  const key = word.trim().toLowerCase();
  if (key === '') return undefined;
  if (/^[a-z]{3}$/.test(key)) return key.toUpperCase();
  const code = CURRENCY_WORDS[key];
  if (code === undefined) throw new CellError('invalid_currency', 'Unknown currency: use an ISO 4217 code such as CNY or USD.');
  return code;
}

/** Decimal places of a currency's minor unit (2 for CNY, 0 for JPY), as Intl knows them. */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw new CellError('invalid_currency', 'Unknown currency: use an ISO 4217 code such as CNY or USD.');
  }
}

/**
 * A date cell → `YYYY-MM-DD`: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, and a
 * date with a time (an Excel date cell with a time part) taken as its date.
 */
function dateValue(text: string): string {
  const folded = text.normalize('NFKC').trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(folded);
  const withTime = /^(.+?)(?:[T\s]+|(?<=日))(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(folded);
  const validTime = withTime && Number(withTime[2]) <= 23 && Number(withTime[3]) <= 59 && Number(withTime[4] ?? 0) <= 59;
  const candidate = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : withTime ? (validTime ? withTime[1]! : '') : folded;
  const date = normalizeDate(candidate);
  if (!date.ok) throw new CellError('invalid_date', 'Not a valid date: use YYYY-MM-DD.');
  return date.value;
}

/** A date-time cell as a UTC instant, reading a wall-clock time at the assumed offset. */
function dateTimeValue(text: string, assumedOffsetMinutes: number): string {
  const instant = normalizeDateTime(text, assumedOffsetMinutes);
  if (!instant.ok) throw new CellError('invalid_datetime', 'Not a valid date and time: use e.g. 2024-03-05 09:30.');
  return instant.value;
}
