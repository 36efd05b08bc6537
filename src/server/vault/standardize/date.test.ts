import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, normalizeDate, normalizeDateTime } from './date.js';

const day = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });
const instant = fc.date({ min: new Date('1000-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
const parts = (date: Date) => ({ y: String(date.getUTCFullYear()), m: date.getUTCMonth() + 1, d: date.getUTCDate() });

describe('normalizeDate', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/03/05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.3.5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024 年 03 月 05 日', '2024-03-05'],
    ['２０２４年３月５日', '2024-03-05'],
    [' 2024-3-5 ', '2024-03-05'],
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'empty'],
    ['2023-02-29', 'invalid_date'],
    ['1900-02-29', 'invalid_date'],
    ['2024-04-31', 'invalid_date'],
    ['2024-13-01', 'invalid_date'],
    ['2024-00-10', 'invalid_date'],
    ['2024-01-00', 'invalid_date'],
    ['2024-03/05', 'invalid_date'],
    ['24-03-05', 'invalid_date'],
    ['0999-01-01', 'invalid_date'],
    ['05/03/2024', 'invalid_date'],
    ['2024-03-05T10:00:00Z', 'invalid_date'],
    ['yesterday', 'invalid_date'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeDate(input)).toEqual({ ok: false, reason });
  });

  it('reads every real date the same way in each accepted style', () => {
    fc.assert(
      fc.property(day, (date) => {
        const iso = date.toISOString().slice(0, 10);
        const { y, m, d } = parts(date);
        for (const written of [iso, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${y}年${m}月${d}日`]) expect(normalizeDate(written)).toEqual({ ok: true, value: iso });
      }),
    );
  });

  it('refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), (year, month, dayOfMonth) => {
        const real = new Date(Date.UTC(2000, month - 1, dayOfMonth));
        real.setUTCFullYear(year, month - 1, dayOfMonth);
        const exists = real.getUTCMonth() === month - 1;
        expect(isCalendarDate(year, month, dayOfMonth)).toBe(exists);
        expect(normalizeDate(`${year}-${month}-${dayOfMonth}`).ok).toBe(exists);
      }),
    );
  });
});

describe('normalizeDateTime', () => {
  it.each([
    ['2024-03-05T10:20:30Z', '2024-03-05T10:20:30.000Z'],
    ['2024-03-05T10:20:30.123456Z', '2024-03-05T10:20:30.123Z'],
    ['2024-03-05T09:30:00+08:00', '2024-03-05T01:30:00.000Z'],
    ['2024-03-05 09:30+0800', '2024-03-05T01:30:00.000Z'],
    ['2024-03-05T02:00:00-05:00', '2024-03-05T07:00:00.000Z'],
    ['2024-01-01T03:00:00+08', '2023-12-31T19:00:00.000Z'],
    ['2024/3/5 9:30:00 +08:00', '2024-03-05T01:30:00.000Z'],
    ['2024年3月5日 09:30+08:00', '2024-03-05T01:30:00.000Z'],
    ['2024年3月5日09:30Z', '2024-03-05T09:30:00.000Z'],
    ['２０２４－０３－０５Ｔ１０：２０Ｚ', '2024-03-05T10:20:00.000Z'],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeDateTime(input)).toEqual({ ok: true, value: expected });
  });

  it('applies the assumed offset only when the value has none', () => {
    expect(normalizeDateTime('2024-03-05 09:30', 480)).toEqual({ ok: true, value: '2024-03-05T01:30:00.000Z' });
    expect(normalizeDateTime('2024-03-05 09:30Z', 480)).toEqual({ ok: true, value: '2024-03-05T09:30:00.000Z' });
  });

  it.each([
    ['', 'empty'],
    ['2024-03-05 09:30', 'missing_timezone'],
    ['2024-03-05', 'invalid_datetime'],
    ['2023-02-29T10:00:00Z', 'invalid_datetime'],
    ['2024-03-05T24:00:00Z', 'invalid_datetime'],
    ['2024-03-05T10:60:00Z', 'invalid_datetime'],
    ['2024-03-05T10:00:60Z', 'invalid_datetime'],
    ['2024-03-05T10:00:00+19:00', 'invalid_datetime'],
    ['2024-03-05T10:00:00 CST', 'invalid_datetime'],
    ['9999-12-31T23:00:00-05:00', 'invalid_datetime'],
  ])('refuses %j with %s', (input, reason) => {
    expect(normalizeDateTime(input)).toEqual({ ok: false, reason });
  });

  it('gives back the same instant, written in UTC or at any offset', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -12 * 60, max: 14 * 60 }).map((minutes) => minutes - (minutes % 15)), (moment, offset) => {
        const expected = moment.toISOString();
        expect(normalizeDateTime(expected)).toEqual({ ok: true, value: expected });
        const local = new Date(moment.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.trunc(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        expect(normalizeDateTime(local + zone)).toEqual({ ok: true, value: expected });
        expect(normalizeDateTime(local, offset)).toEqual({ ok: true, value: expected });
      }),
    );
  });
});
