import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * What the streaming reader keeps between its passes. Not in exceljs's typings; stable in the
 * 4.x line this project pins (exceljs/lib/stream/xlsx/workbook-reader.js).
 */
interface ReaderState {
  sharedStrings?: unknown[];
  workbookRels?: { Id: string; Target: string }[];
  styles: unknown;
  properties?: unknown;
  model?: { sheets?: { name?: string }[] };
  parse(): AsyncIterable<unknown>;
}
interface SheetReader {
  name?: string;
  /** Per chunk of the sheet's XML, the rows (and other events) it completed. */
  parse(): AsyncIterable<{ eventType: string; value: unknown }[]>;
}

function readable(stream: NodeJS.ReadableStream): Readable {
  return stream instanceof Readable ? stream : Readable.from(stream);
}

function reader(stream: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ReaderState & AsyncIterable<SheetReader> {
  return new ExcelJS.stream.xlsx.WorkbookReader(stream, options) as unknown as ReaderState & AsyncIterable<SheetReader>;
}

/**
 * The rows of the workbook's first sheet, in order and in batches, each with its sheet row
 * number (rows the file leaves out are simply missing; numbers stay those of the sheet).
 *
 * Two passes over the file: the first reads only the shared strings, styles (which cells are
 * dates) and the sheet list; the second streams the sheet. exceljs on its own copies every
 * sheet met before the shared strings — in files saved by Excel, all of them — to a temporary
 * file: customer data in clear on disk, which Custos never leaves there. Seeding the state
 * makes it parse the sheet straight from the archive instead.
 */
export async function* xlsxRows(open: () => NodeJS.ReadableStream): AsyncGenerator<ExcelJS.Row[]> {
  const first = readable(open());
  let state: ReaderState;
  try {
    state = reader(first, { worksheets: 'ignore', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
    // Set before the archive's own entries are met (workbook.xml may come last): sheets are then drained, not copied.
    state.sharedStrings = [];
    state.workbookRels = [];
    state.model = { sheets: [] };
    for await (const _event of state.parse()) continue;
  } finally {
    first.destroy();
  }

  const firstSheet = state.model?.sheets?.[0]?.name;
  const second = readable(open());
  try {
    const streaming = reader(second, { worksheets: 'emit', sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
    streaming.sharedStrings = state.sharedStrings;
    streaming.workbookRels = state.workbookRels;
    streaming.styles = state.styles;
    streaming.properties = state.properties;
    streaming.model = state.model;
    for await (const sheet of streaming) {
      if (firstSheet !== undefined && sheet.name !== undefined && sheet.name !== firstSheet) continue;
      for await (const events of sheet.parse()) {
        const rows = events.filter((event) => event.eventType === 'row').map((event) => event.value as ExcelJS.Row);
        if (rows.length > 0) yield rows;
      }
      return;
    }
  } finally {
    second.destroy();
  }
}

/** A row's cells as text, from column A to its last cell. */
export function rowCells(row: ExcelJS.Row): string[] {
  const values = row.values as unknown[];
  const cells: string[] = [];
  for (let column = 1; column < values.length; column++) cells.push(cellText(values[column]));
  return cells;
}

/**
 * One cell as the text a user would have typed: dates as ISO 8601, numbers in full (an 11-digit
 * phone or a long id never as `1.38e+10`), rich text joined, a formula as its last result.
 * An error value (`#N/A`) is no value.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : '')).join('');
    if ('result' in value) return cellText(value.result);
    if ('formula' in value || 'sharedFormula' in value || 'error' in value) return '';
    if ('text' in value) return cellText(value.text);
  }
  return '';
}

/** A finite number without exponent notation: `13800138000`, `0.000001`, `1e21` → `1000000000000000000000`. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exponent] = match;
  const digits = lead! + fraction;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A date cell, which the sheet holds as a wall-clock serial (exceljs hands it over as if it were
 * UTC): the date alone at midnight, with the time otherwise; a time with no date as the time.
 */
function isoDate(date: Date): string {
  const at = new Date(Math.round(date.getTime() / 1000) * 1000);
  if (Number.isNaN(at.getTime())) return '';
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  // Serials below 1 are times of day: they fall on Excel's day zero, 1899-12-30.
  if (at.getUTCFullYear() === 1899 && at.getUTCMonth() === 11 && at.getUTCDate() === 30) return time;
  const day = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  return time === '00:00:00' ? day : `${day}T${time}`;
}
