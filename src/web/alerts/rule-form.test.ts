import { describe, expect, it } from 'vitest';
import type { RuleSettings } from './alerts-api.js';
import { changesOf, draftOf, problemsOf } from './rule-form.js';

const bulk: RuleSettings = {
  key: 'bulk_viewing',
  enabled: true,
  action: 'end_sessions',
  threshold: 200,
  windowMinutes: 10,
  lookbackDays: null,
  workingHours: null,
  severity: 'high',
  kind: 'count',
  comparison: 'more_than',
  actions: ['none', 'require_mfa', 'end_sessions', 'suspend'],
};
const offHours: RuleSettings = {
  ...bulk,
  key: 'off_hours',
  action: 'none',
  threshold: null,
  windowMinutes: 720,
  workingHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' },
  severity: 'low',
  kind: 'event',
  comparison: null,
};

describe('rule form', () => {
  it('finds nothing wrong with saved settings, and nothing to send', () => {
    const drafts = [draftOf(bulk), draftOf(offHours)];
    expect(drafts.map(problemsOf)).toEqual([{}, {}]);
    expect(changesOf([bulk, offHours], drafts)).toEqual([]);
  });

  it('names each setting out of bounds or inconsistent', () => {
    expect(problemsOf({ ...draftOf(bulk), threshold: '', windowMinutes: 0 })).toEqual({ threshold: 'number', windowMinutes: 'number' });
    expect(problemsOf({ ...draftOf(bulk), threshold: 2.5 })).toEqual({ threshold: 'number' });
    expect(problemsOf({ ...draftOf(offHours), workingHours: { days: [], start: '20:00', end: '08:00', timeZone: '' } })).toEqual({ days: 'days', hours: 'hours', timeZone: 'timeZone' });
  });

  it('sends only what changed, per rule', () => {
    const drafts = [
      { ...draftOf(bulk), threshold: 150, action: 'suspend' as const },
      { ...draftOf(offHours), workingHours: { days: [6, 1, 2, 3, 4, 5], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' } },
    ];
    expect(changesOf([bulk, offHours], drafts)).toEqual([
      { key: 'bulk_viewing', action: 'suspend', threshold: 150 },
      { key: 'off_hours', workingHours: { days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' } },
    ]);
    expect(changesOf([bulk, offHours], [draftOf(bulk), { ...draftOf(offHours), workingHours: { ...offHours.workingHours!, days: [5, 4, 3, 2, 1] } }])).toEqual([]);
  });
});
