import { describe, expect, it } from 'vitest';
import { monthsBefore } from './quality.js';

describe('months since last activity', () => {
  it('steps back whole calendar months, keeping the time of day and the day where the month has it', () => {
    expect(new Date(monthsBefore(new Date('2029-11-29T12:00:00.000Z'), 1)).toISOString()).toBe('2029-10-29T12:00:00.000Z');
    expect(new Date(monthsBefore(new Date('2029-11-29T12:00:00.000Z'), 36)).toISOString()).toBe('2026-11-29T12:00:00.000Z');
    expect(new Date(monthsBefore(new Date('2029-03-31T08:30:00.000Z'), 1)).toISOString()).toBe('2029-02-28T08:30:00.000Z');
    expect(new Date(monthsBefore(new Date('2028-03-31T08:30:00.000Z'), 1)).toISOString()).toBe('2028-02-29T08:30:00.000Z');
    expect(new Date(monthsBefore(new Date('2029-01-15T00:00:00.000Z'), 13)).toISOString()).toBe('2027-12-15T00:00:00.000Z');
  });
});
