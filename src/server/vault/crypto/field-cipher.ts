import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The ciphertext of one customer field value (or one bundle of values of a record and class):
 *
 *   format (1 byte = 1) ‖ key version (4 bytes, big-endian) ‖ nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)
 *
 * Self-describing, so a reader knows which key version to unwrap. The AAD binds it to where
 * it is stored — workspace, table, record and field — so a ciphertext copied into another
 * row or field does not decrypt.
 */
export interface FieldContext {
  workspaceId: string;
  table: string;
  recordId: string;
  field: string;
}

export class FieldCipherError extends Error {}

const FORMAT = 1;
const HEADER = 1 + 4;
const NONCE = 12;
const TAG = 16;

/**
 * Nonces are cut from blocks of the system's CSPRNG output, each byte handed out once: one call
 * to it serves a thousand encryptions (a bulk write makes three per customer), and a 96-bit
 * nonce stays random whether it was drawn alone or in a block.
 */
const NONCE_BLOCK = NONCE * 1024;
let nonces = Buffer.alloc(0);
let noncesUsed = 0;

function freshNonce(): Buffer {
  if (noncesUsed + NONCE > nonces.length) {
    nonces = randomBytes(NONCE_BLOCK);
    noncesUsed = 0;
  }
  noncesUsed += NONCE;
  return nonces.subarray(noncesUsed - NONCE, noncesUsed);
}

/** JSON of the four parts: unambiguous whatever characters they contain. */
export function fieldAad(context: FieldContext): Buffer {
  return Buffer.from(JSON.stringify(['custos-field-v1', context.workspaceId, context.table, context.recordId, context.field]), 'utf8');
}

export function encryptField(key: Buffer, keyVersion: number, plaintext: Buffer, context: FieldContext): Buffer {
  if (key.length !== 32) throw new FieldCipherError('field keys are 32 bytes');
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(fieldAad(context));
  const header = Buffer.alloc(HEADER);
  header[0] = FORMAT;
  header.writeUInt32BE(keyVersion, 1);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
}

/** The key version a ciphertext was written under (to pick the key before decrypting). */
export function fieldKeyVersion(sealed: Buffer): number {
  if (sealed.length < HEADER + NONCE + TAG || sealed[0] !== FORMAT) throw new FieldCipherError('not a field ciphertext of a known format');
  return sealed.readUInt32BE(1);
}

export function decryptField(key: Buffer, sealed: Buffer, context: FieldContext): Buffer {
  fieldKeyVersion(sealed);
  const nonce = sealed.subarray(HEADER, HEADER + NONCE);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(fieldAad(context));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER + NONCE, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new FieldCipherError('the ciphertext does not decrypt under this key for this workspace, table, record and field');
  }
}
