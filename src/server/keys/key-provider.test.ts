import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalKeyProvider, KeyError, loadMasterKey } from './key-provider.js';

const keys = createLocalKeyProvider(randomBytes(32));

describe('local key provider', () => {
  it('opens what it sealed, for any bytes and context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string(), (bytes, aad) => {
        const plaintext = Buffer.from(bytes);
        return keys.open(keys.seal(plaintext, aad), aad).equals(plaintext);
      }),
    );
  });

  it('refuses a sealed value moved to another context, tampered with, or under another key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string(), fc.string(), fc.nat(), (bytes, aad, otherAad, position) => {
        fc.pre(aad !== otherAad);
        const sealed = keys.seal(Buffer.from(bytes), aad);
        expect(() => keys.open(sealed, otherAad)).toThrow(KeyError);
        const tampered = Buffer.from(sealed);
        const at = 1 + (position % (tampered.length - 1));
        tampered[at] = tampered[at]! ^ 0x01;
        expect(() => keys.open(tampered, aad)).toThrow(KeyError);
        expect(() => createLocalKeyProvider(randomBytes(32)).open(sealed, aad)).toThrow(KeyError);
      }),
      { numRuns: 50 },
    );
  });

  it('never repeats a nonce', () => {
    const nonces = new Set(Array.from({ length: 2000 }, () => keys.seal(Buffer.from('x'), 'a').subarray(1, 13).toString('hex')));
    expect(nonces.size).toBe(2000);
  });

  it('generates the master key file once, mode 0600, and reads it back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-key-'));
    try {
      const first = loadMasterKey({}, dir);
      expect(first.generatedAt).toBe(path.join(dir, 'master.key'));
      expect(fs.statSync(first.generatedAt!).mode & 0o777).toBe(0o600);
      const second = loadMasterKey({}, dir);
      expect(second.generatedAt).toBeNull();
      expect(second.key.equals(first.key)).toBe(true);
      expect(loadMasterKey({ CUSTOS_MASTER_KEY: randomBytes(32).toString('base64') }, dir).source).toBe('env');
      expect(() => loadMasterKey({ CUSTOS_MASTER_KEY: 'dG9vIHNob3J0' }, dir)).toThrow(KeyError);
      expect(() => loadMasterKey({ CUSTOS_MASTER_KEY_FILE: path.join(dir, 'missing.key') }, dir)).toThrow(KeyError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
