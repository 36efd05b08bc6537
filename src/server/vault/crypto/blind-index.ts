import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Blind indexes: HMAC-SHA256 over a normalized value under a key of its own per field,
 * derived with HKDF-SHA256 from the workspace index key. Two fields never share a key, so
 * equal values in different fields (an email typed into a note) do not link.
 *
 * Truncated to BLIND_INDEX_BYTES: 16 bytes (128 bits) keeps accidental collisions out of
 * reach at any realistic size (birthday bound ~2^64 values) while halving index storage
 * against the full 32 bytes. What an index leaks — equality of values within one field of one
 * workspace, and for name tokens their frequencies — is documented in docs/SECURITY.md.
 */
export const BLIND_INDEX_BYTES = 16;

export function deriveFieldIndexKey(workspaceIndexKey: Buffer, field: string): Buffer {
  return Buffer.from(hkdfSync('sha256', workspaceIndexKey, Buffer.alloc(0), `custos-blind-index-v1:${field}`, 32));
}

export function blindIndex(fieldKey: Buffer, normalizedValue: string): Buffer {
  return createHmac('sha256', fieldKey).update(normalizedValue, 'utf8').digest().subarray(0, BLIND_INDEX_BYTES);
}
