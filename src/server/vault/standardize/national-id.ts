import { isCalendarDate } from './date.js';
import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;
const MIN_BIRTH_YEAR = 1900;
// Cards are issued in China; "today" is China's date, so a baby registered this morning
// Beijing time is not refused as born in the future while it is still yesterday in UTC.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The check character of a 17-digit body. */
export function chineseIdCheckCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(body[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * A resident identity card number (居民身份证号码) as 18 characters with an upper-case X.
 * Spaces between groups and full-width characters are accepted; the old 15-digit cards
 * (withdrawn in 2013) are refused.
 */
export function normalizeChineseNationalId(input: string, today: Date = new Date()): Result<string> {
  const id = toHalfWidth(input).replace(/\s+/g, '').toUpperCase();
  if (id === '') return fail('empty');
  if (!SHAPE.test(id)) return fail('invalid_national_id');
  if (!isPlausibleBirthDate(id.slice(6, 14), today)) return fail('invalid_birth_date');
  if (chineseIdCheckCharacter(id) !== id[17]) return fail('invalid_checksum');
  return ok(id);
}

function isPlausibleBirthDate(yyyymmdd: string, today: Date): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < MIN_BIRTH_YEAR || !isCalendarDate(year, month, day)) return false;
  const chinaToday = new Date(today.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  return yyyymmdd <= chinaToday;
}
