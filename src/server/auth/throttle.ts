import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { INSTALLATION_SCOPE } from '../audit/service.js';
import { addThrottleFailure, clearThrottle, lockThrottle, readThrottle } from './store.js';

export interface ThrottlePolicy {
  /** Failures counted within this window… */
  windowMs: number;
  /** …before the key is locked… */
  maxFailures: number;
  /** …for this long. */
  lockMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { windowMs: 15 * 60_000, maxFailures: 5, lockMs: 15 * 60_000 };
export const IP_POLICY: ThrottlePolicy = { windowMs: 15 * 60_000, maxFailures: 20, lockMs: 15 * 60_000 };

export type ThrottleKey = { scope: 'account' | 'ip'; bucket: string; policy: ThrottlePolicy };

/**
 * Sign-in throttling kept in the database, so it holds across restarts and several app
 * servers. Accounts are keyed by a hash of the address typed (known or not, so lockouts do
 * not reveal which addresses exist), IPs by address.
 */
export function loginThrottleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [
    { scope: 'account', bucket: `login:${createHash('sha256').update(email).digest('base64url')}`, policy: ACCOUNT_POLICY },
  ];
  if (ip) keys.push({ scope: 'ip', bucket: `ip:${ip}`, policy: IP_POLICY });
  return keys;
}

export function createThrottle({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  return {
    /** Seconds to wait when any key is locked, else null. */
    async retryAfter(keys: ThrottleKey[]): Promise<number | null> {
      const now = clock.now().getTime();
      let wait = 0;
      for (const key of keys) {
        const state = await readThrottle(db, INSTALLATION_SCOPE, key.bucket);
        if (state?.lockedUntil && state.lockedUntil > now) wait = Math.max(wait, Math.ceil((state.lockedUntil - now) / 1000));
      }
      return wait > 0 ? wait : null;
    },
    /** Counts a failure on every key; returns the keys this failure locked, with their end. */
    async fail(keys: ThrottleKey[]): Promise<{ key: ThrottleKey; until: Date }[]> {
      const now = clock.now().getTime();
      const locked: { key: ThrottleKey; until: Date }[] = [];
      for (const key of keys) {
        const failures = await addThrottleFailure(db, INSTALLATION_SCOPE, key.bucket, now, key.policy.windowMs);
        if (failures >= key.policy.maxFailures) {
          const until = now + key.policy.lockMs;
          await lockThrottle(db, INSTALLATION_SCOPE, key.bucket, until);
          locked.push({ key, until: new Date(until) });
        }
      }
      return locked;
    },
    async succeed(key: ThrottleKey): Promise<void> {
      await clearThrottle(db, INSTALLATION_SCOPE, key.bucket);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
