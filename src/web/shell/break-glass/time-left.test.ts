import { describe, expect, it } from 'vitest';
import { formatTimeLeft } from './time-left.js';

describe('formatTimeLeft', () => {
  it.each([
    [60 * 60_000, '1:00:00'],
    [59 * 60_000 + 7_000, '59:07'],
    [4 * 3_600_000 - 1, '4:00:00'],
    [65 * 60_000, '1:05:00'],
    [9_000, '0:09'],
    // A part of a second left still shows a second: 0:00 means over.
    [1, '0:01'],
    [0, '0:00'],
    [-5_000, '0:00'],
  ])('%i ms reads %s', (milliseconds, expected) => {
    expect(formatTimeLeft(milliseconds)).toBe(expected);
  });
});
