import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KeyProvider } from '../keys/key-provider.js';
import { openBackup, sealBackup } from '../backup/format.js';

/**
 * An uploaded file holds the customer list in clear as it came: at rest it is sealed in the
 * backup file format (AES-256-GCM frames under a random key the KeyProvider seals), so the
 * imports folder leaks nothing without the master key, and a flipped bit is found, not imported.
 * The rows an import refuses are sealed the same way, each under the job's own key.
 */

export class FileTooLargeError extends Error {}

export interface StoredUpload {
  bytes: number;
  sha256: string;
}

/** Streams `body` into `file`, sealed; refuses (and deletes the partial file) past `maxBytes`. */
export async function storeUpload(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string, keys: Pick<KeyProvider, 'keyId' | 'seal'>, maxBytes: number): Promise<StoredUpload> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const digest = createHash('sha256');
  let bytes = 0;
  async function* counted() {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new FileTooLargeError(`The file is larger than ${Math.round(maxBytes / 1024 ** 2)} MiB.`);
      digest.update(chunk);
      yield chunk;
    }
  }
  try {
    await pipeline(Readable.from(sealBackup(counted(), { keys, manifest: { kind: 'import-upload' } })), fs.createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
  return { bytes, sha256: digest.digest('hex') };
}

/** A fresh stream of an uploaded file's clear bytes (each read authenticates every frame). */
export function openUpload(file: string, keys: Pick<KeyProvider, 'open'>): NodeJS.ReadableStream {
  async function* data() {
    for await (const part of openBackup(fs.createReadStream(file), keys)) if (part.type === 'data') yield part.bytes;
  }
  return Readable.from(data());
}

/** The SHA-256 of a file on disk (the CLI's own file: what recognizes it when the import resumes). */
export async function sha256File(file: string): Promise<StoredUpload> {
  const digest = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    digest.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: digest.digest('hex') };
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const jobKeyAad = (workspaceId: string, jobId: string) => `custos-import-job:v1:${workspaceId}:${jobId}`;
const rowAad = (jobId: string, row: number) => Buffer.from(`custos-import-rejection:v1:${jobId}:${row}`, 'utf8');

/** One rejected row sealed under the job's key, bound to its job and row number. */
export function sealRejection(jobKey: Buffer, jobId: string, row: number, value: unknown): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', jobKey, nonce);
  cipher.setAAD(rowAad(jobId, row));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function openRejection<T>(jobKey: Buffer, jobId: string, row: number, sealed: Buffer): T {
  const decipher = createDecipheriv('aes-256-gcm', jobKey, sealed.subarray(0, NONCE_BYTES));
  decipher.setAAD(rowAad(jobId, row));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8')) as T;
}
