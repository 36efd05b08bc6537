import type { FilterOperator } from '../search-query.js';
import type { ValueInput } from './list-fields.js';

/** A filter value in the server's words has at most this many characters. */
export const MAX_FILTER_VALUE = 200;

export const needsValue = (op: FilterOperator) => op !== 'empty' && op !== 'notEmpty';

/**
 * The value a filter sends, from what the builder's inputs hold; null when it is not one.
 * Money is typed in the currency's main unit and sent in minor units (two decimals, as
 * CNY, USD and EUR have); a day for the record's times is that day's start, here.
 */
export function filterValue(input: ValueInput, op: FilterOperator, typed: string, chosen: readonly string[]): string | null {
  if (!needsValue(op)) return '';
  if (op === 'in') return chosen.length > 0 ? chosen.join('|') : null;
  const text = typed.trim();
  if (!text || text.length > MAX_FILTER_VALUE) return null;
  switch (input) {
    case 'number':
      return Number.isFinite(Number(text)) ? String(Number(text)) : null;
    case 'money': {
      const amount = Number(text);
      return Number.isFinite(amount) ? String(Math.round(amount * 100)) : null;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
    case 'instant': {
      const start = new Date(`${text}T00:00:00`);
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(start.getTime()) ? start.toISOString() : null;
    }
    case 'boolean':
      return text === 'true' || text === 'false' ? text : null;
    default:
      return text;
  }
}
