/**
 * Audit rows as files: JSON lines and CSV. A spreadsheet runs a cell that starts with = + - @
 * (or a tab or carriage return, which some strip before looking) as a formula, so such a cell —
 * a user agent, an object id, a reason typed by a user — gets a leading apostrophe: what was
 * recorded is shown, never run.
 */

export type FileFormat = 'ndjson' | 'csv';

export const CONTENT_TYPES: Record<FileFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Spreadsheet programs read a CSV as UTF-8 (names in Chinese included) only when it starts with the byte-order mark. */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** `audit-events-20261129-090000.csv`: what it holds and when it was made (UTC). */
export function fileName(what: string, at: Date, format: FileFormat): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${what}-${stamp}.${format}`;
}
