/** Money travels as integer minor units and an ISO 4217 code (DESIGN.md, "API conventions"). */
export interface Money {
  amount: number;
  currency: string;
}

export function isMoney(value: unknown): value is Money {
  if (!value || typeof value !== 'object') return false;
  const money = value as Record<string, unknown>;
  return typeof money.amount === 'number' && typeof money.currency === 'string';
}

/** How many minor units a currency has (2 for CNY, 0 for JPY); 2 for codes the browser does not know. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function fromMinor(money: Money): number {
  return money.amount / 10 ** minorDigits(money.currency);
}

/** `"12.5"` CNY → 1250; null when the amount has more decimals than the currency allows or is not a number. */
export function toMinor(amount: string, currency: string): number | null {
  const text = amount.trim().replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  const digits = minorDigits(currency);
  const [, decimals = ''] = text.split('.');
  if (decimals.length > digits) return null;
  const minor = Math.round(Number(text) * 10 ** digits);
  return Number.isSafeInteger(minor) ? minor : null;
}

export function formatMoney(money: Money, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency: money.currency }).format(fromMinor(money));
  } catch {
    return `${fromMinor(money)} ${money.currency}`;
  }
}
