import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { decoder, type SourceEncoding } from './encoding.js';
import { SourceError } from './source-error.js';

/**
 * A bound on one record: a quote never closed would otherwise make the parser buffer the rest
 * of a 512 MiB upload as a single field.
 */
const MAX_RECORD_CHARS = 1 << 20;

/** Records handed over at once: per-record promises would cost more than parsing them. */
const BATCH = 512;

/**
 * Every record of a CSV file in order, in batches, blank ones included (as `['']` or all-empty
 * cells) so positions are the same on every read. Quoted fields may hold delimiters, quotes and
 * line breaks; rows may have any number of fields; `\r\n`, `\n` and `\r` all end a record. The
 * file is pulled through the decoder and the parser as the consumer asks, never read whole.
 */
export async function* csvRecords(open: () => NodeJS.ReadableStream, encoding: SourceEncoding, delimiter: string): AsyncGenerator<string[][]> {
  const parser = parse({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  // The pipeline tears the whole chain down on an error anywhere, or when the consumer stops early.
  pipeline(open(), decoder(encoding), parser, () => {});
  try {
    // The stream's iterator waits for the first record; what else is buffered is taken with it.
    for await (const first of parser) {
      const batch: string[][] = [first as string[]];
      let next: string[] | null;
      while (batch.length < BATCH && (next = parser.read() as string[] | null) !== null) batch.push(next);
      yield batch;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new SourceError(malformed(error), { cause: error });
    throw error;
  } finally {
    parser.destroy();
  }
}

/** Where the file breaks, by position only: the parser's own message quotes the offending text. */
function malformed(error: CsvError): string {
  const { lines, records } = error as CsvError & { lines?: number; records?: number };
  if (error.code === 'CSV_QUOTE_NOT_CLOSED' && records !== undefined) {
    return `The CSV file is malformed: a quoted field opened in row ${records + 1} of the file is never closed.`;
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') return `The CSV file is malformed near line ${lines ?? '?'}: a row longer than 1 MiB (is a quote left open?).`;
  return `The CSV file is malformed near line ${lines ?? '?'} (${error.code}).`;
}
