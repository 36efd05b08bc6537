import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret with 256 bits from the CSPRNG, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets are stored only as their SHA-256: they carry 256 bits of entropy, so a fast hash
 * is enough and lets us look them up by hash.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** The CSRF token is derived from the session token, so it is bound to that session alone. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('custos-csrf-v1').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Personal access tokens look like `cst_<43 chars>`; the prefix makes leaked ones easy to scan for. */
export const API_TOKEN_PREFIX = 'cst_';
export function newApiToken(): string {
  return API_TOKEN_PREFIX + newSecret(32);
}

/** Recovery codes: 10 random characters from an unambiguous alphabet, shown as xxxxx-xxxxx. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  let code = '';
  for (const byte of bytes) code += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function normalizeRecoveryCode(input: string): string {
  const compact = input.trim().toLowerCase().replace(/[\s-]/g, '');
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}
