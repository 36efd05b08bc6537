import { describe, expect, it } from 'vitest';
import type { KeyVersion } from '../admin-api.js';
import { durationParts, progressPercent, rewrapWanted, summarizeKeys } from './key-summary.js';

const key = (purpose: string, version: number, subjectKeys: number | null, retiredAt: string | null = null): KeyVersion => ({
  purpose,
  version,
  masterKeyId: 'local-1',
  createdAt: '2026-11-29T09:00:00.000Z',
  retiredAt,
  subjectKeys,
});

describe('the key summary on the admin keys page', () => {
  it('has nothing to do before the first customer', () => {
    const summary = summarizeKeys([]);
    expect(summary).toEqual({ currentDataVersion: null, pending: 0, unretired: [] });
    expect(rewrapWanted(summary)).toBe(false);
  });

  it('counts the customer keys still under older versions after a rotation', () => {
    const summary = summarizeKeys([key('data', 1, 120), key('data', 2, 30), key('data', 3, 5), key('index', 1, null)]);
    expect(summary).toEqual({ currentDataVersion: 3, pending: 150, unretired: [1, 2] });
    expect(rewrapWanted(summary)).toBe(true);
  });

  it('still wants a rewrap to retire an older version that wraps nothing', () => {
    const summary = summarizeKeys([key('data', 1, 0), key('data', 2, 0)]);
    expect(summary).toEqual({ currentDataVersion: 2, pending: 0, unretired: [1] });
    expect(rewrapWanted(summary)).toBe(true);
  });

  it('is done once the older versions are retired', () => {
    const summary = summarizeKeys([key('data', 1, 0, '2026-11-29T10:00:00.000Z'), key('data', 2, 150), key('index', 1, null)]);
    expect(summary).toEqual({ currentDataVersion: 2, pending: 0, unretired: [] });
    expect(rewrapWanted(summary)).toBe(false);
  });

  it('fills the progress bar by what is done, and fully for a finished rewrap of nothing', () => {
    expect(progressPercent({ state: 'running', done: 250, total: 1000 })).toBe(25);
    expect(progressPercent({ state: 'running', done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ state: 'done', done: 0, total: 0 })).toBe(100);
    expect(progressPercent({ state: 'done', done: 1001, total: 1000 })).toBe(100);
  });

  it('says the time left in a readable unit, rounded up', () => {
    expect(durationParts(0.2)).toEqual({ unit: 'seconds', count: 1 });
    expect(durationParts(59.5)).toEqual({ unit: 'minutes', count: 1 });
    expect(durationParts(61)).toEqual({ unit: 'minutes', count: 2 });
    expect(durationParts(7200)).toEqual({ unit: 'hours', count: 2 });
  });
});
