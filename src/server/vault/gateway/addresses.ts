import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind, Visibility } from '../../../shared/fields.js';
import { fromDbBool, isoFromDb, toDbBool, toDbTime } from '../../db/mapping.js';
import { badRequest, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { decryptField, encryptField } from '../crypto/field-cipher.js';
import { authorize, visibilityOf } from '../policy.js';
import { maskValue, normalizeCountry, STANDARDIZE_MESSAGES } from '../standardize/index.js';
import { toHalfWidth } from '../standardize/half-width.js';
import type { CustomerRow } from '../store.js';
import { clearPrimaryAddress, deleteAddress, insertAddress, listAddresses, updateAddress, type AddressRow } from '../address-store.js';
import { SUBJECT_KEY_VERSION, rowPlace, type GatewayContext } from './context.js';
import { writeCustomerValues } from './customer-values.js';

export const ADDRESS_TYPES = ['home', 'work', 'billing', 'shipping', 'other'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

/** The most characters each part keeps after trimming (the HTTP schema has the same bounds). */
export const ADDRESS_LIMITS = { label: 40, region: 100, city: 100, district: 100, street: 300, postalCode: 20 } as const;
type Part = keyof typeof ADDRESS_LIMITS;
const OPTIONAL_PARTS = ['label', 'region', 'city', 'district', 'postalCode'] as const;
type OptionalPart = (typeof OPTIONAL_PARTS)[number];

export type AddressInput = { type: AddressType; country: string; street: string; primary?: boolean } & Partial<Record<OptionalPart, string | null>>;
/** Only what changes; null clears an optional part. */
export type AddressChanges = Partial<{ type: AddressType; country: string; street: string; primary: boolean } & Record<OptionalPart, string | null>>;

/** The sealed parts of an address: everything but its type and country (kept plain for filters and data quality). */
type AddressParts = { street: string } & Record<OptionalPart, string | null>;

/** Letters, digits, spaces and hyphens: 100044, SW1A 1AA, 94043-1351. */
const POSTAL_CODE = /^[A-Z0-9][A-Z0-9 -]*$/;
const addressPlace = rowPlace('customer_addresses', 'value');

/** A part trimmed, inner runs of white space made one space (an address is shown on one line); empty is null. */
function cleanPart(part: Part, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const folded = part === 'postalCode' ? toHalfWidth(raw).toUpperCase() : raw;
  const value = folded.trim().replace(/\s+/g, ' ');
  if (value === '') return null;
  if (value.length > ADDRESS_LIMITS[part]) throw badRequest('too_long', `${part}: at most ${ADDRESS_LIMITS[part]} characters.`, part);
  if (part === 'postalCode' && !POSTAL_CODE.test(value)) throw badRequest('invalid_postal_code', 'postalCode: letters, digits, spaces and hyphens only.', part);
  return value;
}

function cleanStreet(raw: string): string {
  const street = cleanPart('street', raw);
  if (street === null) throw badRequest('required', 'street: a street address is required.', 'street');
  return street;
}

function cleanType(raw: string): AddressType {
  if (!(ADDRESS_TYPES as readonly string[]).includes(raw)) throw badRequest('invalid_value', `type: choose one of ${ADDRESS_TYPES.join(', ')}.`, 'type');
  return raw as AddressType;
}

/** ISO 3166-1 alpha-2, from a code in any case or a country's name (`cn`, `China`, `中国` → `CN`). */
function cleanCountry(raw: string): string {
  const country = normalizeCountry(raw);
  if (!country.ok) throw badRequest(country.reason === 'empty' ? 'required' : country.reason, `country: ${STANDARDIZE_MESSAGES[country.reason]}`, 'country');
  return country.value;
}

let countryNames: Intl.DisplayNames | undefined;
const countryName = (code: string) => (countryNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' })).of(code) ?? code;

/**
 * An address on one line, as the customer's `address` field shows it: Chinese order for China
 * (省市区 then the street, no separators, a municipality's repeated 北京市 once), otherwise
 * street, district, city, region, postal code, country.
 */
export function addressLine(country: string, parts: AddressParts): string {
  if (country === 'CN') {
    const ordered = [parts.region, parts.city, parts.district, parts.street].filter((part): part is string => part !== null);
    return ordered.filter((part, i) => part !== ordered[i - 1]).join('');
  }
  return [parts.street, parts.district, parts.city, parts.region, parts.postalCode, countryName(country)].filter((part) => part !== null).join(', ');
}

/** A customer's postal addresses: sealed under their subject key, one primary, which the customer's `address` field follows. */
export function customerAddresses(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, loadRow, requireSubjectKey, relationOf } = ctx;

  /** Addresses are shown as the customer's `address` field is, to this actor on this customer. */
  const addressVisibility = async (actor: Actor, customer: CustomerRow): Promise<Visibility> =>
    visibilityOf(actor, { kind: customer.kind as CustomerKind, key: 'address', sensitivity: 'personal' }, await relationOf(actor, customer));

  const seal = (subjectKey: Buffer, row: { workspace_id: string; id: string }, parts: AddressParts) =>
    encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(JSON.stringify(parts), 'utf8'), addressPlace(row));
  const open = (subjectKey: Buffer, row: AddressRow): AddressParts => JSON.parse(decryptField(subjectKey, Buffer.from(row.value), addressPlace(row)).toString('utf8'));

  function present(row: AddressRow, parts: AddressParts, visibility: Visibility) {
    const shown = (value: string | null) => (value === null || visibility === 'clear' ? value : maskValue('text', value));
    return {
      id: row.id,
      type: row.type as AddressType,
      label: shown(parts.label),
      country: row.country,
      region: shown(parts.region),
      city: shown(parts.city),
      district: shown(parts.district),
      street: shown(parts.street)!,
      postalCode: shown(parts.postalCode),
      primary: fromDbBool(row.is_primary),
      createdAt: isoFromDb(row.created_at)!,
      updatedAt: isoFromDb(row.updated_at)!,
    };
  }

  /** Sets the customer's `address` field to the primary address on one line, or clears it (no primary left). */
  async function followPrimary(trx: Kysely<DB>, actor: Actor, customerId: string, kind: CustomerKind, primary: { country: string; parts: AddressParts } | null) {
    const field = (await fields.load(actor.workspaceId)).find(kind, 'address');
    if (!field) return;
    await writeCustomerValues(ctx, trx, actor, customerId, [{ field, value: primary ? addressLine(primary.country, primary.parts) : null, lookupKey: null }]);
  }

  async function findAddress(trx: Kysely<DB>, workspaceId: string, customerId: string, addressId: string) {
    const rows = await listAddresses(trx, workspaceId, customerId);
    const target = rows.find((row) => row.id === addressId);
    if (!target) throw notFound('address_not_found', 'No such address.');
    return { rows, target };
  }

  return {
    /** A new address; the customer's first one, or one marked `primary`, becomes the primary one. */
    async addAddress(actor: Actor, customerId: string, input: AddressInput) {
      const customer = await loadRow(actor, customerId, authorize(actor, 'addresses', 'create'));
      const type = cleanType(input.type);
      const country = cleanCountry(input.country);
      const parts: AddressParts = {
        label: cleanPart('label', input.label),
        region: cleanPart('region', input.region),
        city: cleanPart('city', input.city),
        district: cleanPart('district', input.district),
        street: cleanStreet(input.street),
        postalCode: cleanPart('postalCode', input.postalCode),
      };
      const subjectKey = await requireSubjectKey(db, actor.workspaceId, customerId);
      const now = toDbTime(clock.now());
      const base = { workspace_id: actor.workspaceId, id: newId() };
      const row = await db.transaction().execute(async (trx) => {
        const primary = input.primary === true || (await listAddresses(trx, actor.workspaceId, customerId)).length === 0;
        if (primary) await clearPrimaryAddress(trx, actor.workspaceId, customerId);
        const added: AddressRow = { ...base, customer_id: customerId, type, country, value: seal(subjectKey, base, parts), is_primary: toDbBool(primary), created_at: now, updated_at: now };
        await insertAddress(trx, added);
        if (primary) await followPrimary(trx, actor, customerId, customer.kind as CustomerKind, { country, parts });
        await audit.record(actor, { action: 'address.added', outcome: 'success', metadata: { customerId, type, primary }, object: { type: 'address', id: added.id } }, trx);
        return added;
      });
      return present(row, parts, await addressVisibility(actor, customer));
    },

    /** A customer's addresses, primary first. */
    async addresses(actor: Actor, customerId: string) {
      const customer = await loadRow(actor, customerId, authorize(actor, 'addresses', 'read'));
      const rows = await listAddresses(db, actor.workspaceId, customerId);
      const visibility = await addressVisibility(actor, customer);
      if (visibility === 'hidden') return { items: [] };
      const subjectKey = rows.length ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
      const items = subjectKey ? rows.map((row) => present(row, open(subjectKey, row), visibility)) : [];
      await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'addresses', count: items.length }, object: { type: 'customer', id: customerId } });
      return { items };
    },

    /**
     * Changes an address. `primary: true` makes it the primary one (the others lose the mark);
     * the primary one cannot just be unmarked — another is made primary instead.
     */
    async updateAddress(actor: Actor, customerId: string, addressId: string, changes: AddressChanges) {
      const customer = await loadRow(actor, customerId, authorize(actor, 'addresses', 'update'));
      const type = changes.type === undefined ? undefined : cleanType(changes.type);
      const country = changes.country === undefined ? undefined : cleanCountry(changes.country);
      const street = changes.street === undefined ? undefined : cleanStreet(changes.street);
      const optional = OPTIONAL_PARTS.filter((part) => changes[part] !== undefined).map((part) => [part, cleanPart(part, changes[part])] as const);
      const subjectKey = await requireSubjectKey(db, actor.workspaceId, customerId);
      const { row, parts } = await db.transaction().execute(async (trx) => {
        const { target } = await findAddress(trx, actor.workspaceId, customerId, addressId);
        const wasPrimary = fromDbBool(target.is_primary);
        if (changes.primary === false && wasPrimary) {
          throw badRequest('primary_required', 'primary: a customer with addresses has a primary one; make another address primary instead.', 'primary');
        }
        const before = open(subjectKey, target);
        const after: AddressParts = { ...before, ...(street === undefined ? {} : { street }), ...Object.fromEntries(optional) };
        const primary = wasPrimary || changes.primary === true;
        if (primary && !wasPrimary) await clearPrimaryAddress(trx, actor.workspaceId, customerId);
        const updated: AddressRow = {
          ...target,
          type: type ?? target.type,
          country: country ?? target.country,
          value: seal(subjectKey, target, after),
          is_primary: toDbBool(primary),
          updated_at: toDbTime(clock.now()),
        };
        await updateAddress(trx, actor.workspaceId, addressId, { type: updated.type, country: updated.country, value: updated.value, is_primary: updated.is_primary, updated_at: updated.updated_at });
        const line = addressLine(updated.country, after);
        if (primary && (!wasPrimary || line !== addressLine(target.country, before))) {
          await followPrimary(trx, actor, customerId, customer.kind as CustomerKind, { country: updated.country, parts: after });
        }
        const changed = Object.keys(changes).filter((key) => changes[key as keyof AddressChanges] !== undefined);
        await audit.record(actor, { action: 'address.updated', outcome: 'success', metadata: { customerId, fields: changed, primary }, object: { type: 'address', id: addressId } }, trx);
        return { row: updated, parts: after };
      });
      return present(row, parts, await addressVisibility(actor, customer));
    },

    /** Removes an address; when it was the primary one, the oldest left takes over (and the `address` field with it). */
    async removeAddress(actor: Actor, customerId: string, addressId: string): Promise<void> {
      const customer = await loadRow(actor, customerId, authorize(actor, 'addresses', 'delete'));
      await db.transaction().execute(async (trx) => {
        const { rows, target } = await findAddress(trx, actor.workspaceId, customerId, addressId);
        const wasPrimary = fromDbBool(target.is_primary);
        await deleteAddress(trx, actor.workspaceId, addressId);
        if (wasPrimary) {
          // Rows come primary first, then oldest first: the first one left is the oldest.
          const next = rows.find((row) => row.id !== addressId);
          if (next) await updateAddress(trx, actor.workspaceId, next.id, { is_primary: toDbBool(true) });
          const promoted = next ? { country: next.country, parts: open(await requireSubjectKey(trx, actor.workspaceId, customerId), next) } : null;
          await followPrimary(trx, actor, customerId, customer.kind as CustomerKind, promoted);
        }
        await audit.record(actor, { action: 'address.removed', outcome: 'success', metadata: { customerId, primary: wasPrimary }, object: { type: 'address', id: addressId } }, trx);
      });
    },
  };
}
