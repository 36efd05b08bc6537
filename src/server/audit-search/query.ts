import { badRequest } from '../http/errors.js';

/**
 * The audit search's parameters as the store takes them, read from the query string: times to
 * epoch milliseconds, `customer.*` to a prefix, the cursor opened. Bad input is a 400 naming
 * the parameter.
 */

export type ActionMatch = { exact: string } | { prefix: string };

/** An event's place in the newest-first order: its time, then its chain position. */
export interface Position {
  at: number;
  seq: number;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An ISO 8601 date or date-time as epoch milliseconds. A date alone is that UTC day: its start
 * as `from`, its end as `to` (so `to=2026-11-30` takes the whole of the 30th).
 */
export function parseTime(text: string, edge: 'from' | 'to'): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !isCalendarDate(text.slice(0, 10))) {
    throw badRequest('invalid_time', `"${edge}" is not a date or time in ISO 8601 (2026-11-30 or 2026-11-30T09:00:00Z).`, edge);
  }
  return DATE_ONLY.test(text) && edge === 'to' ? ms + DAY_MS - 1 : ms;
}

/** Date.parse rolls 2026-02-30 over into March: the day must exist in its month. */
function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

/** `from` and `to` as an inclusive range of epoch milliseconds; `to` before `from` is refused. */
export function parseRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const range = { ...(from ? { from: parseTime(from, 'from') } : {}), ...(to ? { to: parseTime(to, 'to') } : {}) };
  if (range.from !== undefined && range.to !== undefined && range.to < range.from) throw badRequest('invalid_range', '"to" is before "from".', 'to');
  return range;
}

/** `customer.viewed` matches itself; `customer.*` every action of the area (prefix `customer.`). */
export function parseAction(text: string): ActionMatch {
  return text.endsWith('.*') ? { prefix: text.slice(0, -1) } : { exact: text };
}

/** Cursors are opaque to clients: base64url of the last event's time and chain position. */
export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at}.${position.seq}`).toString('base64url');
}

export function decodeCursor(text: string): Position {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw badRequest('invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.', 'cursor');
  return { at: Number(match[1]), seq: Number(match[2]) };
}

/**
 * Which filters a search used, by name — what its own audit event keeps (never the values: a
 * search for one customer must not become a record of interest in them anyone can read).
 */
export function filterShape(query: { actor?: string; customerId?: string; action?: string; from?: string; to?: string; outcome?: string }): string[] {
  const shape: string[] = [];
  if (query.actor) shape.push('actor');
  if (query.customerId) shape.push('customerId');
  if (query.action) shape.push(query.action.endsWith('.*') ? 'action.*' : 'action');
  if (query.from) shape.push('from');
  if (query.to) shape.push('to');
  if (query.outcome) shape.push('outcome');
  return shape;
}
