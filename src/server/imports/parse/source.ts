import type ExcelJS from 'exceljs';
import { csvRecords } from './csv.js';
import { DELIMITERS, detectDelimiter } from './delimiter.js';
import { decodeSample, detectEncoding, SAMPLE_BYTES, type SourceEncoding } from './encoding.js';
import { normalizeHeaders } from './headers.js';
import { SourceError } from './source-error.js';
import { rowCells, xlsxRows } from './xlsx.js';

export type SourceFormat = 'csv' | 'xlsx';
export interface SourceInfo {
  format: SourceFormat;
  encoding: SourceEncoding | null;
  delimiter: string | null;
  headers: string[];
}
export interface SourceRow {
  /** 1-based position after the header row; blank rows are not yielded but keep their number. */
  row: number;
  /** Exactly one cell per header: short rows padded with '', long rows cut. */
  cells: string[];
}

/** Rows shown before the import starts. */
const SAMPLE_ROWS = 5;
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((byte, i) => bytes[i] === byte);

/**
 * What the file is and how to read it: format (from its first bytes, not its name), encoding and
 * delimiter of a CSV (detected unless hinted), the column names, and the first few data rows.
 * `open` returns a fresh stream of the file's bytes on each call.
 */
export async function inspectSource(
  open: () => NodeJS.ReadableStream,
  fileName: string,
  hints: { encoding?: SourceEncoding; delimiter?: string } = {},
): Promise<SourceInfo & { sample: string[][] }> {
  const prefix = await readPrefix(open, SAMPLE_BYTES);
  let info: Omit<SourceInfo, 'headers'>;
  if (startsWith(prefix.bytes, ZIP)) {
    info = { format: 'xlsx', encoding: null, delimiter: null };
  } else if (startsWith(prefix.bytes, OLE)) {
    throw new SourceError('Legacy Excel (.xls) files are not supported: save the file as .xlsx or CSV.');
  } else if (/\.xls[xm]$/i.test(fileName)) {
    throw new SourceError('The file is not a valid Excel workbook.');
  } else {
    const encoding = hints.encoding ?? detectEncoding(prefix.bytes, prefix.complete);
    if (prefix.bytes.includes(0)) throw new SourceError('The file is not text: upload a CSV or an .xlsx file.');
    const delimiter = hints.delimiter ?? detectDelimiter(decodeSample(prefix.bytes, encoding), prefix.complete);
    checkDelimiter(delimiter);
    info = { format: 'csv', encoding, delimiter };
  }

  let headers: string[] | null = null;
  const sample: string[][] = [];
  reading: for await (const batch of records(open, info, 0)) {
    for (const { row, cells } of batch) {
      if (row === 0) headers = normalizeHeaders(cells);
      else sample.push(fit(cells, headers!.length));
      if (sample.length === SAMPLE_ROWS) break reading;
    }
  }
  if (!headers || headers.length === 0) throw new SourceError('The file is empty: it needs a header row naming the columns.');
  return { ...info, headers, sample };
}

/**
 * The data rows after the header, streamed: the file is pulled as the consumer iterates, so a
 * million-row file is never held in memory. Rows up to number `skip` are parsed (a quoted field
 * may span lines, so only parsing finds where rows end) but not converted, checked or handed
 * over — a resumed import gives the last row it committed. Numbers are the same on every read.
 */
export async function* readRows(open: () => NodeJS.ReadableStream, info: SourceInfo, options: { skip?: number } = {}): AsyncGenerator<SourceRow> {
  const width = info.headers.length;
  for await (const batch of records(open, info, options.skip ?? 0)) {
    for (const record of batch) if (record.row > 0) yield { row: record.row, cells: fit(record.cells, width) };
  }
}

/**
 * Non-blank records in batches, numbered from the header (row 0, the first non-blank record);
 * records after the header numbered up to `skip` are neither converted nor yielded.
 */
async function* records(open: () => NodeJS.ReadableStream, info: Omit<SourceInfo, 'headers'>, skip: number): AsyncGenerator<SourceRow[]> {
  if (info.format === 'csv') {
    const number = numbering<string[]>((_record, ordinal) => ordinal, (record) => record, skip);
    for await (const batch of csvRecords(open, info.encoding ?? 'utf-8', info.delimiter ?? ',')) yield number(batch);
    return;
  }
  const number = numbering<ExcelJS.Row>((row) => row.number, rowCells, skip);
  try {
    for await (const batch of xlsxRows(open)) yield number(batch);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError('The Excel workbook could not be read.', { cause: error });
  }
}

/** Numbers records across batches: by position (the record's own, or its ordinal), header first. */
function numbering<T>(position: (record: T, ordinal: number) => number, cellsOf: (record: T) => string[], skip: number): (batch: T[]) => SourceRow[] {
  let header: number | null = null;
  let ordinal = 0;
  return (batch) => {
    const rows: SourceRow[] = [];
    for (const record of batch) {
      ordinal++;
      const at = position(record, ordinal);
      if (header !== null && at - header <= skip) continue;
      const cells = cellsOf(record);
      if (isBlank(cells)) continue;
      header ??= at;
      rows.push({ row: at - header, cells });
    }
    return rows;
  };
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

function fit(cells: string[], width: number): string[] {
  if (cells.length === width) return cells;
  if (cells.length > width) return cells.slice(0, width);
  const padded = cells.slice();
  while (padded.length < width) padded.push('');
  return padded;
}

function checkDelimiter(delimiter: string): void {
  if (!(DELIMITERS as readonly string[]).includes(delimiter)) {
    throw new SourceError(`Unsupported delimiter: use one of comma, semicolon, tab or |.`);
  }
}

/** The file's first `size` bytes (fewer if it is shorter), and whether that is all of it. */
async function readPrefix(open: () => NodeJS.ReadableStream, size: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let complete = true;
  // Leaving the loop early destroys the stream: the rest of the file is never read.
  for await (const chunk of open()) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
    if (length >= size) {
      complete = false;
      break;
    }
  }
  return { bytes: Buffer.concat(chunks).subarray(0, size), complete };
}
