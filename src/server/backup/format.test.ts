import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLocalKeyProvider } from '../keys/key-provider.js';
import { BackupFormatError, openBackup, sealBackup, type BackupProblem, type ImageDigest } from './format.js';

const keys = createLocalKeyProvider(randomBytes(32));
const manifest = { createdAt: '2026-11-29T09:00:00.000Z', tables: { workspaces: 1 } };

async function* from(pieces: readonly Uint8Array[]) {
  for (const piece of pieces) yield piece;
}

/** The backup as the writer yields it: the header, then one buffer a frame. */
async function seal(pieces: readonly Uint8Array[], chunkBytes: number, provider = keys): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const part of sealBackup(from(pieces), { keys: provider, manifest, chunkBytes })) out.push(Buffer.from(part));
  return out;
}

async function open(file: Buffer, provider = keys, pieceBytes = 7) {
  const pieces: Buffer[] = [];
  for (let i = 0; i < file.length; i += pieceBytes) pieces.push(file.subarray(i, i + pieceBytes));
  let opened: unknown;
  const data: Buffer[] = [];
  let image: ImageDigest | null = null;
  for await (const part of openBackup(from(pieces), provider)) {
    if (part.type === 'manifest') opened = part.manifest;
    else if (part.type === 'data') data.push(part.bytes);
    else image = part.image;
  }
  return { manifest: opened, data: Buffer.concat(data), image };
}

async function problemOf(file: Buffer, provider = keys): Promise<BackupProblem | 'none'> {
  try {
    await open(file, provider);
    return 'none';
  } catch (error) {
    if (error instanceof BackupFormatError) return error.problem;
    throw error;
  }
}

const image = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 });
const chunkBytes = fc.integer({ min: 1, max: 96 });

describe('the backup format', () => {
  it('gives back the manifest and the exact image, for any image and chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(image, chunkBytes, fc.integer({ min: 1, max: 50 }), async (pieces, chunk, pieceBytes) => {
        const file = Buffer.concat(await seal(pieces, chunk));
        const opened = await open(file, keys, pieceBytes);
        const whole = Buffer.concat(pieces);
        expect(opened.manifest).toEqual(manifest);
        expect(opened.data.equals(whole)).toBe(true);
        expect(opened.image).toEqual({ bytes: whole.length, sha256: createHash('sha256').update(whole).digest('hex') });
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the image out of sight: no clear run of it in the file', async () => {
    const secret = Buffer.from('customers 张伟 zhang.wei@example.com '.repeat(50));
    const file = Buffer.concat(await seal([secret], 1024));
    for (const needle of ['customers', 'zhang.wei', '张伟']) expect(file.includes(Buffer.from(needle))).toBe(false);
  });

  it('refuses any flipped bit, naming a format problem (never a wrong image)', async () => {
    await fc.assert(
      fc.asyncProperty(image, chunkBytes, fc.nat(), fc.integer({ min: 0, max: 7 }), async (pieces, chunk, position, bit) => {
        const file = Buffer.concat(await seal(pieces, chunk));
        const tampered = Buffer.from(file);
        const at = position % file.length;
        tampered[at] = tampered[at]! ^ (1 << bit);
        expect(await problemOf(tampered)).not.toBe('none');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a file cut short anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(image, chunkBytes, fc.nat(), async (pieces, chunk, cut) => {
        const file = Buffer.concat(await seal(pieces, chunk));
        const problem = await problemOf(file.subarray(0, cut % file.length));
        expect(['truncated', 'not_a_backup']).toContain(problem);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses frames reordered, dropped, repeated or taken from another backup, and bytes after the end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 32 }), fc.nat(), fc.nat(), async (pieces, chunk, a, b) => {
        const parts = await seal(pieces, chunk);
        const frames = parts.length - 1;
        const i = 1 + (a % frames);
        const j = 1 + (b % frames);
        if (i !== j) {
          const swapped = [...parts];
          [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
          expect(await problemOf(Buffer.concat(swapped))).toBe('chunk_altered');
        }
        const dropped = parts.filter((_, k) => k !== i);
        expect(await problemOf(Buffer.concat(dropped))).toBe(i === parts.length - 1 ? 'truncated' : 'chunk_altered');
        expect(await problemOf(Buffer.concat([...parts.slice(0, i + 1), parts[i]!, ...parts.slice(i + 1)]))).not.toBe('none');
        const other = await seal(pieces, chunk);
        expect(await problemOf(Buffer.concat([...parts.slice(0, i), other[i]!, ...parts.slice(i + 1)]))).toBe('chunk_altered');
        expect(await problemOf(Buffer.concat([...parts, Buffer.from([0])]))).toBe('trailing_data');
      }),
      { numRuns: 100 },
    );
  });

  it('refuses another backup’s header, and a master key that is not the one it was sealed under', async () => {
    const first = await seal([randomBytes(500)], 64);
    const second = await seal([randomBytes(500)], 64);
    const swapped = await open(Buffer.concat([second[0]!, ...first.slice(1)])).catch((error: unknown) => error);
    expect(swapped).toBeInstanceOf(BackupFormatError);
    expect(swapped).toMatchObject({ problem: 'chunk_altered', chunk: 0 });
    const wrongKey = await open(Buffer.concat(first), createLocalKeyProvider(randomBytes(32))).catch((error: unknown) => error);
    expect(wrongKey).toMatchObject({ problem: 'key_refused' });
    expect((wrongKey as Error).message).toContain('does not open with this master key');
    expect(await problemOf(Buffer.from('SQLite format 3\0'))).toBe('not_a_backup');
  });

  it('names the chunk a flipped bit is in', async () => {
    const parts = await seal([randomBytes(1000)], 100);
    const file = Buffer.concat(parts);
    const third = parts.slice(0, 3).reduce((sum, part) => sum + part.length, 0);
    file[third + 20] = file[third + 20]! ^ 1;
    const error = await open(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'chunk_altered', chunk: 2 });
    expect((error as Error).message).toMatch(/^chunk 2 \(byte \d+\) fails authentication/);
  });
});
