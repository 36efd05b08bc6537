import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backupsToKeep, RETENTION } from './retention.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

/** Backups at arbitrary times over about two years, with distinct names. */
const backups = fc
  .uniqueArray(fc.integer({ min: 0, max: 800 * DAY_MS }), { maxLength: 120 })
  .map((offsets) => offsets.map((offset, i) => ({ name: `b${i}`, createdAt: new Date(START + offset) })));

const day = (date: Date) => Math.floor(date.getTime() / DAY_MS);

describe('backupsToKeep', () => {
  it('keeps the newest, only existing backups, and at most 7 + 4 + 12', () => {
    fc.assert(
      fc.property(backups, (list) => {
        const keep = backupsToKeep(list);
        expect(keep.size).toBeLessThanOrEqual(RETENTION.daily + RETENTION.weekly + RETENTION.monthly);
        for (const name of keep) expect(list.some((b) => b.name === name)).toBe(true);
        if (list.length > 0) {
          const newest = list.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
          expect(keep.has(newest.name)).toBe(true);
        }
      }),
    );
  });

  it('keeps the newest backup of each of the 7 most recent days that have one', () => {
    fc.assert(
      fc.property(backups, (list) => {
        const keep = backupsToKeep(list);
        const days = [...new Set(list.map((b) => day(b.createdAt)))].sort((a, b) => b - a).slice(0, RETENTION.daily);
        for (const d of days) {
          const newestThatDay = list.filter((b) => day(b.createdAt) === d).reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
          expect(keep.has(newestThatDay.name)).toBe(true);
        }
      }),
    );
  });

  it('keeps the newest backup of each of the 12 most recent months that have one', () => {
    fc.assert(
      fc.property(backups, (list) => {
        const keep = backupsToKeep(list);
        const month = (b: { createdAt: Date }) => b.createdAt.toISOString().slice(0, 7);
        const months = [...new Set(list.map(month))].sort().reverse().slice(0, RETENTION.monthly);
        for (const m of months) {
          const newest = list.filter((b) => month(b) === m).reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
          expect(keep.has(newest.name)).toBe(true);
        }
      }),
    );
  });

  it('is stable: pruning what it keeps deletes nothing more', () => {
    fc.assert(
      fc.property(backups, (list) => {
        const keep = backupsToKeep(list);
        expect(backupsToKeep(list.filter((b) => keep.has(b.name)))).toEqual(keep);
      }),
    );
  });

  it('after a year of daily backups keeps 7 days, 4 weeks and 12 months of them', () => {
    const daily = Array.from({ length: 400 }, (_, i) => ({ name: `d${i}`, createdAt: new Date(START + i * DAY_MS + 2 * 3_600_000) }));
    const keep = backupsToKeep(daily);
    for (let i = 393; i < 400; i++) expect(keep.has(`d${i}`)).toBe(true);
    expect(keep.has('d0')).toBe(false);
    expect(keep.size).toBeGreaterThanOrEqual(12);
    expect(keep.size).toBeLessThanOrEqual(7 + 4 + 12);
  });
});
