import { fromMinor } from '../money.js';
import { UNCOUNTED_STATUSES, type CurrencyTotal, type Transaction } from '../sections-api.js';

/** The chart shows a year at most: enough to see a customer's rhythm, small enough for a phone. */
export const CHART_MONTHS = 12;

/** The currency most of the customer's counted transactions are in; on a tie, the first (the server sends them by code). */
export function mainCurrency(totals: readonly CurrencyTotal[]): string | null {
  let best: CurrencyTotal | null = null;
  for (const total of totals) if (total.count > 0 && (!best || total.count > best.count)) best = total;
  return best?.currency ?? null;
}

/** `2026-03` in the viewer's own time zone: a purchase late on the 31st belongs to the month they lived it in. */
export function monthKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

function previousMonths(latest: string, count: number): string[] {
  const [year, month] = latest.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, index) => monthKey(new Date(year, month - 1 - (count - 1 - index), 1)));
}

/**
 * The amount per month in one currency (major units), counted the way the server's totals are
 * (cancelled and refunded left out), for the months up to the latest transaction's, empty
 * months included so the bars keep their distance.
 */
export function monthlyAmounts(items: readonly Transaction[], currency: string, months = CHART_MONTHS): { month: string; amount: number }[] {
  const sums = new Map<string, number>();
  for (const item of items) {
    if (item.currency !== currency || UNCOUNTED_STATUSES.has(item.status)) continue;
    const key = monthKey(new Date(item.occurredAt));
    sums.set(key, (sums.get(key) ?? 0) + item.amountMinor);
  }
  if (sums.size === 0) return [];
  const latest = [...sums.keys()].sort().at(-1)!;
  const earliest = [...sums.keys()].sort()[0]!;
  return previousMonths(latest, months)
    .filter((month) => month >= earliest)
    .map((month) => ({ month, amount: fromMinor({ amount: sums.get(month) ?? 0, currency }) }));
}
