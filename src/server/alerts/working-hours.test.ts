import { describe, expect, it } from 'vitest';
import { isTimeZone, isWithinWorkingHours, localTime } from './working-hours.js';

const SHANGHAI = { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' };

describe('working hours', () => {
  it('reads the wall clock of the hours’ own time zone, start inclusive and end exclusive', () => {
    expect(localTime(Date.parse('2026-11-30T00:00:00Z'), 'Asia/Shanghai')).toEqual({ weekday: 1, time: '08:00' });
    expect(isWithinWorkingHours(Date.parse('2026-11-30T00:00:00Z'), SHANGHAI)).toBe(true);
    expect(isWithinWorkingHours(Date.parse('2026-11-29T23:59:00Z'), SHANGHAI)).toBe(false);
    expect(isWithinWorkingHours(Date.parse('2026-11-30T11:59:00Z'), SHANGHAI)).toBe(true);
    expect(isWithinWorkingHours(Date.parse('2026-11-30T12:00:00Z'), SHANGHAI)).toBe(false);
    // Saturday morning.
    expect(isWithinWorkingHours(Date.parse('2026-12-05T02:00:00Z'), SHANGHAI)).toBe(false);
  });

  it('follows daylight saving time where the zone has it', () => {
    const newYork = { ...SHANGHAI, start: '09:00', end: '17:00', timeZone: 'America/New_York' };
    // 13:30 UTC is 09:30 in July (EDT) and 08:30 in December (EST).
    expect(isWithinWorkingHours(Date.parse('2026-07-06T13:30:00Z'), newYork)).toBe(true);
    expect(isWithinWorkingHours(Date.parse('2026-12-07T13:30:00Z'), newYork)).toBe(false);
  });

  it('knows IANA names and nothing else', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
