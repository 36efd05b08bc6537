import { createCipheriv, createDecipheriv } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * An export's file at rest: AES-256-GCM frames under a random key of this export alone (the
 * key is kept in the job's row, sealed by the KeyProvider — see service.ts). As in the backup
 * format (backup/format.ts), nonces are the frame's index (unique: the key encrypts one file)
 * and each frame's AAD binds the export's id, the index and whether it is the last frame, so a
 * frame altered, moved, dropped, taken from another export, or a file cut short fails to open.
 *
 *   frame   u32 ciphertext length · ciphertext · 16-byte tag     (the last one flagged in its AAD)
 */

export const FRAME_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const HEAD_BYTES = 4;

export class ExportFileError extends Error {}

function nonce(index: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeBigUInt64BE(BigInt(index), 4);
  return bytes;
}

function aad(exportId: string, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = last ? 1 : 0;
  return Buffer.concat([Buffer.from(`custos-export:v1:${exportId}:`, 'utf8'), tail]);
}

/** Encrypts a byte stream into frames of FRAME_BYTES (the last may be shorter, or empty). */
export function sealStream(key: Buffer, exportId: string): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const frame = (plaintext: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(index));
    cipher.setAAD(aad(exportId, index, last));
    index += 1;
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const head = Buffer.alloc(HEAD_BYTES);
    head.writeUInt32BE(body.length);
    return Buffer.concat([head, body, cipher.getAuthTag()]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= FRAME_BYTES) {
        let all = Buffer.concat(pending);
        // A full frame is never the last: the last is written on flush, empty if need be.
        while (all.length >= FRAME_BYTES) {
          this.push(frame(all.subarray(0, FRAME_BYTES), false));
          all = all.subarray(FRAME_BYTES);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(frame(Buffer.concat(pending), true));
      done();
    },
  });
}

/** Decrypts frames as they come; fails on any altered, reordered or missing frame. */
export function openStream(key: Buffer, exportId: string): Transform {
  let buffered = Buffer.alloc(0);
  let index = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      buffered = Buffer.concat([buffered, chunk]);
      try {
        while (buffered.length >= HEAD_BYTES) {
          const length = buffered.readUInt32BE(0);
          if (length > FRAME_BYTES) throw new ExportFileError('an export frame is larger than the format allows');
          const size = HEAD_BYTES + length + TAG_BYTES;
          if (buffered.length < size) break;
          if (ended) throw new ExportFileError('data follows the last frame of the export');
          // Only a frame shorter than full can be the last one.
          const last = length < FRAME_BYTES;
          const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
          decipher.setAAD(aad(exportId, index, last));
          decipher.setAuthTag(buffered.subarray(HEAD_BYTES + length, size));
          let plaintext: Buffer;
          try {
            plaintext = Buffer.concat([decipher.update(buffered.subarray(HEAD_BYTES, HEAD_BYTES + length)), decipher.final()]);
          } catch {
            throw new ExportFileError(`export frame ${index} does not open: the file was altered`);
          }
          index += 1;
          ended = last;
          buffered = buffered.subarray(size);
          this.push(plaintext);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      done(ended && buffered.length === 0 ? undefined : new ExportFileError('the export file was cut short'));
    },
  });
}
