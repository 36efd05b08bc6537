import { describe, expect, it } from 'vitest';
import { auditLinkFor } from './audit-link.js';

const at = (year: number, month: number, day: number, hour: number) => new Date(year, month - 1, day, hour).toISOString();
const actor = { type: 'user', id: '0190f5a2-0000-7000-8000-00000000000a', displayName: 'Wang Wei', email: 'wang@example.com' };

describe('auditLinkFor', () => {
  it('filters the audit page to the person and the days of the window, in the user’s own calendar', () => {
    expect(auditLinkFor({ actor, tokenId: null, windowStart: at(2026, 11, 30, 23), windowEnd: at(2026, 12, 1, 0) })).toBe(
      '/audit?actor=0190f5a2-0000-7000-8000-00000000000a&from=2026-11-30&to=2026-12-01',
    );
  });

  it('filters to the token for a token rule, and gives up without anyone to filter to', () => {
    expect(auditLinkFor({ actor, tokenId: 'tok-1', windowStart: at(2026, 11, 30, 9), windowEnd: at(2026, 11, 30, 9) })).toBe('/audit?actor=tok-1&from=2026-11-30&to=2026-11-30');
    expect(auditLinkFor({ actor: { ...actor, id: null }, tokenId: null, windowStart: at(2026, 11, 30, 9), windowEnd: at(2026, 11, 30, 9) })).toBeNull();
  });
});
