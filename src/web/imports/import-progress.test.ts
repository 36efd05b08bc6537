import { describe, expect, it } from 'vitest';
import { canImportForReal, canResume, formatEta, formatRate, progressPercent } from './import-progress.js';

describe('progressPercent', () => {
  it.each([
    [{ done: 0, total: 1000 }, 0],
    [{ done: 333, total: 1000 }, 33],
    // Not 100 until every row is done.
    [{ done: 999, total: 1000 }, 99],
    [{ done: 1000, total: 1000 }, 100],
    [{ done: 1200, total: 1000 }, 100],
  ])('%j → %d', (progress, expected) => {
    expect(progressPercent(progress)).toBe(expected);
  });

  it('is indeterminate while the total is unknown', () => {
    expect(progressPercent({ done: 10, total: null })).toBeNull();
    expect(progressPercent({ done: 0, total: 0 })).toBeNull();
  });
});

describe('formatRate', () => {
  it.each([
    [16_432.7, 'en', '16,433'],
    [16_432.7, 'zh-CN', '16,433'],
    [7.25, 'en', '7.3'],
    [0, 'en', '0'],
    [Number.NaN, 'en', '0'],
    [-3, 'en', '0'],
  ])('%d rows/s in %s → %s', (rate, locale, expected) => {
    expect(formatRate(rate, locale)).toBe(expected);
  });
});

describe('formatEta', () => {
  it.each([
    [0, '0:00'],
    [0.2, '0:01'],
    [42, '0:42'],
    [61, '1:01'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
  ])('%d s → %s', (seconds, expected) => {
    expect(formatEta(seconds)).toBe(expected);
  });

  it('says nothing it cannot know', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(Number.POSITIVE_INFINITY)).toBeNull();
    expect(formatEta(-1)).toBeNull();
  });
});

describe('what a job offers', () => {
  it('resumes a cancelled or failed job only', () => {
    expect(['uploaded', 'running', 'cancelled', 'completed', 'failed'].filter((status) => canResume({ status: status as never }))).toEqual(['cancelled', 'failed']);
  });

  it('imports for real after a finished dry run only', () => {
    expect(canImportForReal({ status: 'completed', dryRun: true })).toBe(true);
    expect(canImportForReal({ status: 'completed', dryRun: false })).toBe(false);
    expect(canImportForReal({ status: 'cancelled', dryRun: true })).toBe(false);
  });
});
