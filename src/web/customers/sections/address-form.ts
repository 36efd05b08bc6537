import { ADDRESS_PARTS, type Address, type AddressChanges, type AddressInput, type AddressPart, type AddressType } from '../sections-api.js';
import { DEFAULT_COUNTRY } from './countries.js';
import { isMaskedText } from './address-format.js';

/** What the address form holds while the user types. */
export interface AddressFormValues extends Record<AddressPart, string> {
  type: AddressType;
  country: string;
  primary: boolean;
}

export const emptyAddressForm = (primary: boolean): AddressFormValues => ({
  type: 'home',
  country: DEFAULT_COUNTRY,
  primary,
  ...(Object.fromEntries(ADDRESS_PARTS.map((part) => [part, ''])) as Record<AddressPart, string>),
});

/** Parts that came masked: their inputs start empty (write-only), and empty means "keep". */
export function maskedParts(address: Address): Set<AddressPart> {
  return new Set(ADDRESS_PARTS.filter((part) => isMaskedText(address[part])));
}

export function addressFormOf(address: Address): AddressFormValues {
  const masked = maskedParts(address);
  const parts = Object.fromEntries(ADDRESS_PARTS.map((part) => [part, masked.has(part) ? '' : (address[part] ?? '')])) as Record<AddressPart, string>;
  return { type: address.type, country: address.country, primary: address.primary, ...parts };
}

/** The body of `POST …/addresses`: every filled-in part, trimmed. */
export function addressInput(values: AddressFormValues): AddressInput {
  const input: AddressInput = { type: values.type, country: values.country, street: values.street.trim(), primary: values.primary };
  for (const part of ADDRESS_PARTS) {
    const text = values[part].trim();
    if (part !== 'street' && text) input[part] = text;
  }
  return input;
}

/**
 * The body of `PATCH …/addresses/:id`: only what changed; `null` clears an optional part. An
 * empty masked input keeps the stored value, which the form never had.
 */
export function addressChanges(address: Address, values: AddressFormValues): AddressChanges {
  const masked = maskedParts(address);
  const changes: AddressChanges = {};
  if (values.type !== address.type) changes.type = values.type;
  if (values.country !== address.country) changes.country = values.country;
  if (values.primary && !address.primary) changes.primary = true;
  for (const part of ADDRESS_PARTS) {
    const text = values[part].trim();
    if (masked.has(part) && !text) continue;
    if (text === (address[part] ?? '')) continue;
    if (part === 'street') changes.street = text;
    else changes[part] = text || null;
  }
  return changes;
}

/** The street is the one part every address needs; a masked one may stay as it is. */
export function streetMissing(values: AddressFormValues, editing: Address | null): boolean {
  return !values.street.trim() && !(editing && isMaskedText(editing.street));
}
