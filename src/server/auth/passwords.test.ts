import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessPassword, hashPassword, verifyPassword } from './passwords.js';

describe('password policy', () => {
  it('refuses every password shorter than 12 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 11 }), (password) => {
        const result = assessPassword(password);
        return !result.ok && result.problems.includes('too_short');
      }),
    );
  });

  it('refuses every password that contains the email name, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{4,10}$/), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (name, before, after) => {
        const result = assessPassword(`${before}${name.toUpperCase()}${after}x9!Qz#7kLmP`, `${name}@example.com`);
        return !result.ok && result.problems.includes('contains_email');
      }),
      { numRuns: 50 },
    );
  });

  it('refuses common and guessable passwords, even when long enough', () => {
    for (const password of ['password1234', 'qwertyuiop123', '123456789012', 'iloveyou2024', 'aaaaaaaaaaaa']) {
      const result = assessPassword(password);
      expect(result.ok, password).toBe(false);
      expect(result.score).toBeLessThan(3);
    }
    expect(assessPassword('password').problems).toContain('common_password');
  });

  it('accepts a long passphrase', () => {
    const result = assessPassword('violet-harbor-tundra-49', 'olivia@example.com');
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.score).toBeGreaterThanOrEqual(3);
  });

  it('hashes with argon2id at OWASP parameters and verifies only the right password', async () => {
    const hash = await hashPassword('violet-harbor-tundra-49');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'violet-harbor-tundra-49')).toBe(true);
    expect(await verifyPassword(hash, 'violet-harbor-tundra-48')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});
