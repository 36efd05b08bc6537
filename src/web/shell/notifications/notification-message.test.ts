import { describe, expect, it } from 'vitest';
import { stringsOf } from './notification-message.js';

describe('stringsOf', () => {
  it('reads the string values a message needs', () => {
    const payload = { userId: 'u1', displayName: 'Ada Admin', reason: 'Court order 2026-17', expiresAt: '2026-11-29T12:00:00.000Z' };
    expect(stringsOf(payload, ['displayName', 'reason'])).toEqual({ displayName: 'Ada Admin', reason: 'Court order 2026-17' });
  });

  it('gives up on a payload of another shape rather than print "undefined"', () => {
    expect(stringsOf({ displayName: 'Ada Admin' }, ['displayName', 'reason'])).toBeNull();
    expect(stringsOf({ displayName: 42, reason: 'x' }, ['displayName', 'reason'])).toBeNull();
  });
});
