import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Holds the master key (KEK) and seals small secrets under it. A KMS-backed provider
 * (Vault transit, a cloud KMS) implements the same interface. The versioned workspace keys
 * and per-customer subject keys of the vault (issue #3) are wrapped through it.
 */
export interface KeyProvider {
  readonly keyId: string;
  /** AES-256-GCM under the master key; `aad` binds the ciphertext to where it is stored. */
  seal(plaintext: Buffer, aad: string): Buffer;
  open(sealed: Buffer, aad: string): Buffer;
  /**
   * Ed25519 signatures for the audit checkpoints, under a key the database never holds (a KMS
   * signs in place). Checkpoints keep the public key's fingerprint beside each signature.
   */
  signAudit(data: Buffer): Buffer;
  readonly auditPublicKey: KeyObject;
}

export class KeyError extends Error {}

const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The DER prefix of a PKCS#8 Ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The audit signing key, derived from the master key: whoever holds the master key can sign, nobody else. */
function auditSigningKey(masterKey: Buffer): KeyObject {
  const seed = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'custos audit checkpoint signing v1', 32));
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function createLocalKeyProvider(masterKey: Buffer, keyId = 'local-1'): KeyProvider {
  if (masterKey.length !== 32) throw new KeyError('the master key must be 32 bytes');
  const signingKey = auditSigningKey(masterKey);
  return {
    keyId,
    auditPublicKey: createPublicKey(signingKey),
    signAudit: (data) => sign(null, data, signingKey),
    seal(plaintext, aad) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', masterKey, nonce);
      cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_VERSION]), nonce, body, cipher.getAuthTag()]);
    },
    open(sealed, aad) {
      if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
        throw new KeyError('not a sealed value of a known format');
      }
      const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', masterKey, nonce);
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new KeyError('the sealed value does not open under this key and context');
      }
    },
  };
}

export interface MasterKeySource {
  key: Buffer;
  /** Set when the key file was created just now; the operator must be told. */
  generatedAt: string | null;
  source: 'env' | 'file';
}

function decodeKey(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new KeyError(`${origin} must hold 32 bytes, base64-encoded`);
  return key;
}

/**
 * The master key comes from CUSTOS_MASTER_KEY, else CUSTOS_MASTER_KEY_FILE, else
 * `<dataDir>/master.key`, generated (mode 0600) on first start.
 */
export function loadMasterKey(env: NodeJS.ProcessEnv, dataDir: string): MasterKeySource {
  if (env.CUSTOS_MASTER_KEY) return { key: decodeKey(env.CUSTOS_MASTER_KEY, 'CUSTOS_MASTER_KEY'), generatedAt: null, source: 'env' };
  const file = env.CUSTOS_MASTER_KEY_FILE || path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) return { key: decodeKey(fs.readFileSync(file, 'utf8'), file), generatedAt: null, source: 'file' };
  if (env.CUSTOS_MASTER_KEY_FILE) throw new KeyError(`CUSTOS_MASTER_KEY_FILE points at ${file}, which does not exist`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, generatedAt: file, source: 'file' };
}
