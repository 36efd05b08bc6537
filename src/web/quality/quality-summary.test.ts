import { describe, expect, it } from 'vitest';
import { MONTHS_HORIZON, type QualityField } from '../../shared/quality.js';
import { completenessRows, invalidRows, progressPercent, staleBars, staleSummary, STALE_BARS } from './quality-summary.js';

const field = (key: string, filled: number, empty: number, invalid: QualityField['invalid'] = [], kind: QualityField['kind'] = 'person'): QualityField => ({
  kind,
  key,
  type: 'text',
  sensitivity: 'internal',
  labels: { en: key.toUpperCase(), 'zh-CN': `字段${key}` },
  builtIn: false,
  required: false,
  filled,
  empty,
  invalid,
});

describe('the data-quality page', () => {
  it('lists the fields of a kind least complete first, as percentages, in the reader’s language', () => {
    const fields = [field('name', 4, 0), field('email', 1, 3), field('phone', 1, 2), field('domain', 0, 1, [], 'company')];
    expect(completenessRows(fields, 'person', 'en').map((r) => [r.label, r.percent])).toEqual([
      ['EMAIL', 25],
      ['PHONE', 33.3],
      ['NAME', 100],
    ]);
    expect(completenessRows(fields, 'company', 'zh-CN')).toEqual([{ key: 'domain', label: '字段domain', percent: 0, filled: 0, empty: 1 }]);
    // A kind without customers is 0 %, not NaN.
    expect(completenessRows([field('name', 0, 0)], 'person', 'en')[0]!.percent).toBe(0);
  });

  it('flattens invalid values to one row per field and reason, most first', () => {
    const fields = [field('nickname', 2, 0, [{ code: 'too_short', count: 1 }]), field('phone', 5, 0, [{ code: 'invalid_phone', count: 3 }, { code: 'too_long', count: 1 }])];
    expect(invalidRows(fields, 'en').map((r) => `${r.key}:${r.code}:${r.count}`)).toEqual(['phone:invalid_phone:3', 'nickname:too_short:1', 'phone:too_long:1']);
  });

  it('groups the months histogram into bars that each chosen threshold starts, wholly stale or not', () => {
    const byMonths = Array.from({ length: MONTHS_HORIZON + 1 }, (_, m) => m + 1);
    for (const months of [3, 6, 12, 24]) {
      expect(STALE_BARS.some((bar) => bar.from === months), String(months)).toBe(true);
      const bars = staleBars(byMonths, months);
      expect(bars.reduce((sum, bar) => sum + bar.active + bar.stale, 0)).toBe(byMonths.reduce((a, b) => a + b, 0));
      const stale = bars.reduce((sum, bar) => sum + bar.stale, 0);
      expect(stale).toBe(byMonths.slice(months).reduce((a, b) => a + b, 0));
      expect(staleSummary({ result: { customers: { person: 700, company: 3 }, stale: { byMonths } } as never }, months).count).toBe(stale);
    }
    expect(staleBars(byMonths, 12)[4]).toEqual({ from: 12, to: 23, active: 0, stale: byMonths.slice(12, 24).reduce((a, b) => a + b, 0) });
  });

  it('shows progress as a share, empty before the total is known', () => {
    expect(progressPercent({ done: 0, total: 0, rate: 0, eta: null })).toBe(0);
    expect(progressPercent({ done: 250, total: 1000, rate: 10, eta: 75 })).toBe(25);
  });
});
