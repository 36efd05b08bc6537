import { useMemo } from 'react';
import { useCodeOptions } from './display-names.js';

/** Offered first in the currency select: the renminbi, then the currencies Chinese trade meets most. */
const USUAL_CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'JPY', 'GBP'];
export const DEFAULT_CURRENCY = USUAL_CURRENCIES[0]!;

/** The ISO 4217 codes this browser knows, plus the usual ones should it know none. */
const CURRENCY_CODES: readonly string[] = (() => {
  try {
    return [...new Set([...USUAL_CURRENCIES, ...Intl.supportedValuesOf('currency')])];
  } catch {
    return USUAL_CURRENCIES;
  }
})();

/** The currency select's choices; `extra` adds codes already in use that the browser may not list. */
export function useCurrencyOptions(extra: readonly string[]): { value: string; label: string }[] {
  const unknown = extra.filter((code) => !CURRENCY_CODES.includes(code)).join(' ');
  const codes = useMemo(() => (unknown ? [...CURRENCY_CODES, ...unknown.split(' ')] : CURRENCY_CODES), [unknown]);
  return useCodeOptions('currency', codes, USUAL_CURRENCIES);
}
