import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blindIndex, BLIND_INDEX_BYTES, deriveFieldIndexKey } from './blind-index.js';
import { decryptField, encryptField, FieldCipherError, fieldKeyVersion, type FieldContext } from './field-cipher.js';

const key = randomBytes(32);
const context = fc.record({ workspaceId: fc.string(), table: fc.string(), recordId: fc.string(), field: fc.string() });

describe('field cipher', () => {
  it('decrypts what it encrypted, for any value and place', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), context, fc.nat(), (bytes, where, version) => {
        const sealed = encryptField(key, version, Buffer.from(bytes), where);
        expect(fieldKeyVersion(sealed)).toBe(version);
        expect(decryptField(key, sealed, where).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('refuses a ciphertext copied into another workspace, table, record or field', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), context, fc.constantFrom<keyof FieldContext>('workspaceId', 'table', 'recordId', 'field'), fc.string(), (bytes, where, part, other) => {
        fc.pre(where[part] !== other);
        const sealed = encryptField(key, 1, Buffer.from(bytes), where);
        expect(() => decryptField(key, sealed, { ...where, [part]: other })).toThrow(FieldCipherError);
      }),
    );
  });

  it('refuses any flipped bit and another key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), context, fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, where, position, bit) => {
        const sealed = encryptField(key, 1, Buffer.from(bytes), where);
        const at = 5 + (position % (sealed.length - 5));
        const tampered = Buffer.from(sealed);
        tampered[at] = tampered[at]! ^ (1 << bit);
        expect(() => decryptField(key, tampered, where)).toThrow(FieldCipherError);
        expect(() => decryptField(randomBytes(32), sealed, where)).toThrow(FieldCipherError);
      }),
      { numRuns: 200 },
    );
  });

  it('never repeats a nonce across a million encryptions', () => {
    const seen = new Set<string>();
    const where = { workspaceId: 'w', table: 'customers', recordId: 'r', field: 'email' };
    const plaintext = Buffer.from('x');
    for (let i = 0; i < 1_000_000; i++) seen.add(encryptField(key, 1, plaintext, where).toString('latin1', 5, 17));
    expect(seen.size).toBe(1_000_000);
    // A million AES-GCM calls take seconds alone and far longer on a loaded CI machine.
  }, 180_000);
});

describe('blind index', () => {
  it('is deterministic per field key and differs across fields and workspaces', () => {
    const workspaceA = randomBytes(32);
    const workspaceB = randomBytes(32);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        const email = blindIndex(deriveFieldIndexKey(workspaceA, 'email'), value);
        expect(blindIndex(deriveFieldIndexKey(workspaceA, 'email'), value).equals(email)).toBe(true);
        expect(blindIndex(deriveFieldIndexKey(workspaceA, 'phone'), value).equals(email)).toBe(false);
        expect(blindIndex(deriveFieldIndexKey(workspaceB, 'email'), value).equals(email)).toBe(false);
        expect(email).toHaveLength(BLIND_INDEX_BYTES);
      }),
    );
  });
});
