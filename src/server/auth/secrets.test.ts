import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csrfTokenFor, newRecoveryCode, normalizeRecoveryCode, newSecret } from './secrets.js';

describe('secrets', () => {
  it('draws 256-bit session secrets that do not repeat', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newSecret()));
    expect(seen.size).toBe(1000);
    for (const secret of seen) expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('binds a CSRF token to one session token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        return csrfTokenFor(a) === csrfTokenFor(a) && csrfTokenFor(a) !== csrfTokenFor(b);
      }),
    );
  });

  it('reads a recovery code back however it was typed', () => {
    fc.assert(
      fc.property(fc.constant(null).map(() => newRecoveryCode()), fc.boolean(), fc.boolean(), (code, upper, spaced) => {
        let typed = upper ? code.toUpperCase() : code;
        if (spaced) typed = ` ${typed.replace('-', ' ')} `;
        return normalizeRecoveryCode(typed) === code;
      }),
    );
  });
});
