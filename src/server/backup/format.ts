import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyProvider } from '../keys/key-provider.js';

/**
 * The backup file: a clear header, then a stream of frames, each AES-256-GCM under a random
 * key of this backup alone. The header holds that key sealed by the KeyProvider (whoever lacks
 * the master key cannot open the file), and every frame's AAD holds the header's SHA-256, the
 * frame's index and its type — so a flipped bit, a frame moved, dropped, repeated or taken from
 * another backup, a changed header and a file cut short each fail with an error naming where.
 *
 *   header  "CUSTOSBK" · u16 format version · u32 chunk size · 16-byte backup id ·
 *           u8 key-id length · key id · u16 sealed-key length · sealed key
 *   frame   u8 type · u32 ciphertext length · ciphertext · 16-byte tag
 *
 * Frame 0 is the manifest (JSON); then the database image in data frames of the chunk size
 * (the last may be shorter); then the end frame (JSON: the image's length and SHA-256), which
 * is the only frame of its type, so a file without it was cut short. Nonces are the frame's
 * index: unique because the key is never used for another backup.
 */

export const BACKUP_MAGIC = Buffer.from('CUSTOSBK', 'latin1');
export const BACKUP_FORMAT_VERSION = 1;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Memory for one frame is what reading and writing hold at most: the chunk size is bounded. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** The manifest and the end frame, whatever the chunk size. */
const MAX_META_BYTES = 1024 * 1024;
const TAG_BYTES = 16;
const FRAME_HEAD_BYTES = 5;
const BACKUP_ID_BYTES = 16;

const FRAME = { manifest: 1, data: 2, end: 3 } as const;
type FrameType = (typeof FRAME)[keyof typeof FRAME];

/** What is wrong with a file, for scripts (`--json`) and the exit message. */
export type BackupProblem = 'not_a_backup' | 'unsupported_version' | 'key_refused' | 'chunk_altered' | 'truncated' | 'trailing_data' | 'image_mismatch';

export class BackupFormatError extends Error {
  constructor(
    readonly problem: BackupProblem,
    message: string,
    /** The frame where it showed (0 is the manifest), when one is to blame. */
    readonly chunk: number | null = null,
  ) {
    super(message);
  }
}

/** The database image as the end frame vouches for it. */
export interface ImageDigest {
  bytes: number;
  sha256: string;
}

export interface SealOptions {
  keys: Pick<KeyProvider, 'keyId' | 'seal'>;
  /** Written first, encrypted like the rest (JSON). */
  manifest: unknown;
  chunkBytes?: number;
  /** Called as the image goes through, with the bytes so far. */
  onBytes?(bytes: number): void;
  /** Called once the whole image went through, before the end frame is yielded. */
  onSealed?(image: ImageDigest): void;
}

const keyAad = (backupId: Buffer) => `custos-backup-key:v${BACKUP_FORMAT_VERSION}:${backupId.toString('hex')}`;

function frameNonce(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

function frameAad(headerDigest: Buffer, index: number, type: FrameType): Buffer {
  const aad = Buffer.alloc(headerDigest.length + 9);
  headerDigest.copy(aad);
  aad.writeBigUInt64BE(BigInt(index), headerDigest.length);
  aad[headerDigest.length + 8] = type;
  return aad;
}

function sealFrame(key: Buffer, headerDigest: Buffer, index: number, type: FrameType, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, frameNonce(index));
  cipher.setAAD(frameAad(headerDigest, index, type));
  const body = cipher.update(plaintext);
  cipher.final();
  const head = Buffer.alloc(FRAME_HEAD_BYTES);
  head[0] = type;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body, cipher.getAuthTag()]);
}

function encodeHeader(chunkBytes: number, backupId: Buffer, keyId: string, sealedKey: Buffer): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  if (id.length > 255) throw new Error('the key id is longer than 255 bytes');
  const fixed = Buffer.alloc(8 + 2 + 4);
  BACKUP_MAGIC.copy(fixed);
  fixed.writeUInt16BE(BACKUP_FORMAT_VERSION, 8);
  fixed.writeUInt32BE(chunkBytes, 10);
  const sealedLength = Buffer.alloc(2);
  sealedLength.writeUInt16BE(sealedKey.length);
  return Buffer.concat([fixed, backupId, Buffer.from([id.length]), id, sealedLength, sealedKey]);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/**
 * Encrypts a database image into the backup format, frame by frame: memory stays at one chunk
 * whatever the image's size.
 */
export async function* sealBackup(image: AsyncIterable<Uint8Array>, options: SealOptions): AsyncGenerator<Buffer> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) throw new RangeError(`the chunk size must be 1 to ${MAX_CHUNK_BYTES} bytes`);
  const key = randomBytes(32);
  const backupId = randomBytes(BACKUP_ID_BYTES);
  const header = encodeHeader(chunkBytes, backupId, options.keys.keyId, options.keys.seal(key, keyAad(backupId)));
  const digest = sha256(header);
  yield header;
  const manifest = Buffer.from(JSON.stringify(options.manifest), 'utf8');
  if (manifest.length > MAX_META_BYTES) throw new RangeError('the manifest is larger than 1 MiB');
  let index = 0;
  yield sealFrame(key, digest, index++, FRAME.manifest, manifest);

  const hash = createHash('sha256');
  let bytes = 0;
  const pending = Buffer.allocUnsafe(chunkBytes);
  let filled = 0;
  for await (const piece of image) {
    const input = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    hash.update(input);
    bytes += input.length;
    for (let offset = 0; offset < input.length; ) {
      const taken = input.copy(pending, filled, offset, Math.min(input.length, offset + chunkBytes - filled));
      filled += taken;
      offset += taken;
      if (filled === chunkBytes) {
        yield sealFrame(key, digest, index++, FRAME.data, pending);
        filled = 0;
      }
    }
    options.onBytes?.(bytes);
  }
  if (filled > 0) yield sealFrame(key, digest, index++, FRAME.data, pending.subarray(0, filled));
  const sealed: ImageDigest = { bytes, sha256: hash.digest('hex') };
  options.onSealed?.(sealed);
  yield sealFrame(key, digest, index, FRAME.end, Buffer.from(JSON.stringify(sealed), 'utf8'));
}

/** Reads exact lengths from a stream of buffers, holding no more than it was asked for plus one piece. */
class ByteReader {
  private pieces: Buffer[] = [];
  private held = 0;
  private ended = false;
  /** Bytes handed out so far: where the next read starts in the file. */
  position = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(wanted: number): Promise<void> {
    while (this.held < wanted && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.byteLength > 0) {
        this.pieces.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        this.held += next.value.byteLength;
      }
    }
  }

  /** Up to `length` bytes: fewer only at the end of the stream. */
  async read(length: number): Promise<Buffer> {
    await this.fill(length);
    const take = Math.min(length, this.held);
    let out: Buffer;
    const first = this.pieces[0];
    if (first && first.length >= take) {
      out = first.subarray(0, take);
      if (first.length === take) this.pieces.shift();
      else this.pieces[0] = first.subarray(take);
    } else {
      out = Buffer.allocUnsafe(take);
      let filled = 0;
      while (filled < take) {
        const piece = this.pieces[0]!;
        const n = piece.copy(out, filled, 0, take - filled);
        filled += n;
        if (n === piece.length) this.pieces.shift();
        else this.pieces[0] = piece.subarray(n);
      }
    }
    this.held -= take;
    this.position += take;
    return out;
  }

  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.held === 0;
  }
}

interface Header {
  bytes: Buffer;
  chunkBytes: number;
  backupId: Buffer;
  keyId: string;
  sealedKey: Buffer;
}

async function readHeader(reader: ByteReader): Promise<Header> {
  const damaged = () => new BackupFormatError('not_a_backup', 'the backup header is damaged or cut short');
  const fixed = await reader.read(8 + 2 + 4 + BACKUP_ID_BYTES + 1);
  if (fixed.length < 8 || !fixed.subarray(0, 8).equals(BACKUP_MAGIC)) throw new BackupFormatError('not_a_backup', 'this is not a Custos backup file');
  if (fixed.length < 31) throw damaged();
  const version = fixed.readUInt16BE(8);
  if (version !== BACKUP_FORMAT_VERSION) throw new BackupFormatError('unsupported_version', `the backup has format version ${version}; this Custos reads version ${BACKUP_FORMAT_VERSION}`);
  const chunkBytes = fixed.readUInt32BE(10);
  if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) throw damaged();
  const keyId = await reader.read(fixed[30]!);
  const sealedLength = await reader.read(2);
  if (keyId.length < fixed[30]! || sealedLength.length < 2) throw damaged();
  const sealedKey = await reader.read(sealedLength.readUInt16BE(0));
  if (sealedKey.length < sealedLength.readUInt16BE(0)) throw damaged();
  return {
    bytes: Buffer.concat([fixed, keyId, sealedLength, sealedKey]),
    chunkBytes,
    backupId: fixed.subarray(14, 30),
    keyId: keyId.toString('utf8'),
    sealedKey,
  };
}

export type OpenedPart = { type: 'manifest'; manifest: unknown } | { type: 'data'; bytes: Buffer } | { type: 'end'; image: ImageDigest };

/**
 * Decrypts a backup frame by frame: the manifest, the image's data, then the end — each part
 * only once its frame authenticated. A consumer must not act on the image (commit a restore)
 * before the end part: only it proves nothing was cut off. Throws BackupFormatError.
 */
export async function* openBackup(file: AsyncIterable<Uint8Array>, keys: Pick<KeyProvider, 'open'>): AsyncGenerator<OpenedPart> {
  const reader = new ByteReader(file[Symbol.asyncIterator]());
  const header = await readHeader(reader);
  let key: Buffer;
  try {
    key = keys.open(header.sealedKey, keyAad(header.backupId));
  } catch {
    throw new BackupFormatError(
      'key_refused',
      `the backup's key does not open with this master key (the backup was sealed under master key "${header.keyId}"): another master key, or an altered header`,
    );
  }
  const digest = sha256(header.bytes);
  const hash = createHash('sha256');
  let bytes = 0;
  for (let index = 0; ; index++) {
    const at = reader.position;
    const cutShort = () => new BackupFormatError('truncated', `the backup ends inside chunk ${index} (byte ${at}) before its final chunk: the file was cut short`, index);
    const head = await reader.read(FRAME_HEAD_BYTES);
    if (head.length === 0) throw new BackupFormatError('truncated', `the backup ends after chunk ${index - 1} without its final chunk: the file was cut short`, index);
    if (head.length < FRAME_HEAD_BYTES) throw cutShort();
    const type = head[0] as FrameType;
    const length = head.readUInt32BE(1);
    const expected: FrameType[] = index === 0 ? [FRAME.manifest] : [FRAME.data, FRAME.end];
    const limit = type === FRAME.data ? header.chunkBytes : MAX_META_BYTES;
    if (!expected.includes(type) || length > limit) {
      throw new BackupFormatError('chunk_altered', `chunk ${index} (byte ${at}) is damaged: an unexpected type or length — the file was altered`, index);
    }
    const body = await reader.read(length + TAG_BYTES);
    if (body.length < length + TAG_BYTES) throw cutShort();
    const decipher = createDecipheriv('aes-256-gcm', key, frameNonce(index));
    decipher.setAAD(frameAad(digest, index, type));
    decipher.setAuthTag(body.subarray(length));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()]);
    } catch {
      throw new BackupFormatError('chunk_altered', `chunk ${index} (byte ${at}) fails authentication: the file was altered, reordered or mixed with another backup`, index);
    }
    if (type === FRAME.manifest) {
      yield { type: 'manifest', manifest: JSON.parse(plaintext.toString('utf8')) as unknown };
    } else if (type === FRAME.data) {
      hash.update(plaintext);
      bytes += plaintext.length;
      yield { type: 'data', bytes: plaintext };
    } else {
      const image = JSON.parse(plaintext.toString('utf8')) as ImageDigest;
      if (image.bytes !== bytes || image.sha256 !== hash.digest('hex')) {
        throw new BackupFormatError('image_mismatch', `the database image (${bytes} bytes) does not match the length and SHA-256 its final chunk records`, index);
      }
      if (!(await reader.atEnd())) throw new BackupFormatError('trailing_data', `bytes follow the final chunk (from byte ${reader.position}): the file was altered`, index + 1);
      yield { type: 'end', image };
      return;
    }
  }
}
