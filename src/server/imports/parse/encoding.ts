import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { SourceError } from './source-error.js';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';
export const SOURCE_ENCODINGS: readonly SourceEncoding[] = ['utf-8', 'utf-8-bom', 'gbk'];

/** How much of the file's start is looked at to guess its encoding and delimiter. */
export const SAMPLE_BYTES = 64 * 1024;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The encoding of a text file from its first bytes. Excel on a Chinese Windows saves "CSV" in
 * the ANSI code page (GBK) and "CSV UTF-8" with a BOM; other tools write UTF-8 without one.
 * GBK text is almost never valid UTF-8, so a sample that decodes strictly is taken as UTF-8.
 * `complete` says the sample is the whole file: otherwise a multi-byte character cut at the
 * sample's end is not held against it.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): SourceEncoding {
  if (UTF8_BOM.every((byte, i) => sample[i] === byte)) return 'utf-8-bom';
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new SourceError('UTF-16 text is not supported: save the file as "CSV UTF-8".');
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

/**
 * A transform from the file's bytes to text, the BOM dropped. UTF-8 is decoded strictly: the
 * encoding was guessed from the file's start, and a GBK part further on must stop the import
 * rather than arrive as replacement characters. GBK is decoded as GB18030, its superset: the
 * same two-byte table, and the four-byte characters some exports contain still come out right.
 */
export function decoder(encoding: SourceEncoding): NodeJS.ReadWriteStream {
  if (encoding === 'gbk') return iconv.decodeStream('gb18030', { stripBOM: true });
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const fail = (error: unknown) => new SourceError('The file is not valid UTF-8 throughout: if it was saved as GBK, choose that encoding.', { cause: error });
  return new Transform({
    // Text out as text: csv-parse takes strings, and re-encoding them would only cost time.
    encoding: 'utf8',
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, utf8.decode(chunk, { stream: true }));
      } catch (error) {
        done(fail(error));
      }
    },
    flush(done) {
      try {
        done(null, utf8.decode());
      } catch (error) {
        done(fail(error));
      }
    },
  });
}

/** Decodes a byte sample that may end inside a character (the cut character is dropped). */
export function decodeSample(sample: Uint8Array, encoding: SourceEncoding): string {
  const decoding = iconv.getDecoder(encoding === 'gbk' ? 'gb18030' : 'utf-8', { stripBOM: true });
  return decoding.write(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength));
}
