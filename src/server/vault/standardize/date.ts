import { toHalfWidth } from './half-width.js';
import { fail, ok, type Result } from './result.js';

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

// 2024-03-05, 2024/3/5, 2024.03.05 (one separator kind throughout) and 2024年3月5日.
const DATE = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$|^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A calendar date as ISO 8601 `YYYY-MM-DD`; no time zone is involved (birthdays, due dates). */
export function normalizeDate(input: string): Result<string> {
  const text = toHalfWidth(input).trim();
  if (text === '') return fail('empty');
  const date = parseDate(text);
  return date ? ok(formatDate(date.year, date.month, date.day)) : fail('invalid_date');
}

/**
 * An instant as a UTC ISO 8601 string with `Z` (`2024-03-05T01:30:00.000Z`). A wall-clock time
 * without an offset is ambiguous, so it is refused unless the caller supplies the offset to
 * assume (the workspace's, in minutes east of UTC: 480 for China).
 */
export function normalizeDateTime(input: string, assumedOffsetMinutes?: number): Result<string> {
  const text = toHalfWidth(input).trim();
  if (text === '') return fail('empty');
  const split = /^(.+?)(?:\s*T|\s+|(?<=日))\s*(\d{1,2}:.*)$/i.exec(text);
  const date = split ? parseDate(split[1]!) : undefined;
  const time = split ? TIME.exec(split[2]!) : null;
  if (!date || !time) return fail('invalid_datetime');
  const [, hh, mm, ss = '0', fraction = '', zone] = time;
  const hour = Number(hh), minute = Number(mm), second = Number(ss);
  // Leap seconds (:60) are refused: JavaScript time cannot represent them.
  if (hour > 23 || minute > 59 || second > 59) return fail('invalid_datetime');
  const offset = zone === undefined ? assumedOffsetMinutes : parseOffset(zone);
  if (offset === undefined) return fail(zone === undefined ? 'missing_timezone' : 'invalid_datetime');
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const instant = new Date(0);
  instant.setUTCFullYear(date.year, date.month - 1, date.day);
  instant.setUTCHours(hour, minute - offset, second, millis);
  const year = instant.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) return fail('invalid_datetime');
  return ok(instant.toISOString());
}

function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1] ?? match[5]);
  const month = Number(match[3] ?? match[6]);
  const day = Number(match[4] ?? match[7]);
  if (year < MIN_YEAR || !isCalendarDate(year, month, day)) return undefined;
  return { year, month, day };
}

function parseOffset(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return undefined;
  const hours = Number(match[2]), minutes = Number(match[3] ?? '0');
  if (hours > 18 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
