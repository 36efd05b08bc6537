import type { Address } from '../sections-api.js';

/** Countries whose addresses are written from the largest place to the smallest: 省 市 区 街道. */
const LARGEST_FIRST: ReadonlySet<string> = new Set(['CN']);

const present = (part: string | null | undefined): part is string => typeof part === 'string' && part.trim() !== '';

/**
 * An address on one line, in the order its country writes it: `中国 广东省深圳市南山区科技园路1号
 * 518057` for China (a municipality's repeated 北京市 once, as the server writes the customer's
 * `address` field); `1 Main St, Springfield, IL 62701, United States` elsewhere. Masked parts
 * (`***`) keep their place, spaced apart so a masked address still reads as one.
 */
export function formatAddressLine(address: Pick<Address, 'country' | 'region' | 'city' | 'district' | 'street' | 'postalCode'>, countryName: string): string {
  const { region, city, district, street, postalCode } = address;
  if (LARGEST_FIRST.has(address.country)) {
    const places = [region, city, district, street].filter(present);
    const joined = places.some(isMaskedText) ? places.join(' ') : places.filter((part, index) => part !== places[index - 1]).join('');
    return [countryName, joined, postalCode].filter(present).join(' ');
  }
  const regionAndCode = [region, postalCode].filter(present).join(' ');
  return [street, district, city, regionAndCode, countryName].filter(present).join(', ');
}

/** A value the server masked for a viewer without clearance (`***`, `138****8000`). */
export function isMaskedText(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.includes('***');
}

/** The primary address first, the others in the order they came. */
export function primaryFirst(addresses: readonly Address[]): Address[] {
  return [...addresses].sort((a, b) => Number(b.primary) - Number(a.primary));
}
