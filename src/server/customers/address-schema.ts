import { Type } from '@sinclair/typebox';
import { Id, Nullable, NullableString, StringEnum, Time } from '../http/schemas.js';
import { ADDRESS_LIMITS, ADDRESS_TYPES, PREFERENCE_CHANNELS, PREFERENCE_LANGUAGES } from '../vault/gateway.js';

// Addresses, preferences and making a contact point primary: the customer page's further sections.

/** A country code or name (`CN`, `China`, `中国`); the gateway standardizes it to ISO 3166-1 alpha-2. */
const Country = Type.String({ minLength: 1, maxLength: 60 });
const Part = (max: number) => Type.String({ maxLength: max });
const NullablePart = (max: number) => Nullable<string>({ type: 'string', maxLength: max });

export const AddressBody = Type.Object(
  {
    type: StringEnum(ADDRESS_TYPES),
    label: Type.Optional(Part(ADDRESS_LIMITS.label)),
    country: Country,
    region: Type.Optional(Part(ADDRESS_LIMITS.region)),
    city: Type.Optional(Part(ADDRESS_LIMITS.city)),
    district: Type.Optional(Part(ADDRESS_LIMITS.district)),
    street: Type.String({ minLength: 1, maxLength: ADDRESS_LIMITS.street }),
    postalCode: Type.Optional(Part(ADDRESS_LIMITS.postalCode)),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Only what changes; null clears an optional part. */
export const AddressChangesBody = Type.Object(
  {
    type: Type.Optional(StringEnum(ADDRESS_TYPES)),
    label: Type.Optional(NullablePart(ADDRESS_LIMITS.label)),
    country: Type.Optional(Country),
    region: Type.Optional(NullablePart(ADDRESS_LIMITS.region)),
    city: Type.Optional(NullablePart(ADDRESS_LIMITS.city)),
    district: Type.Optional(NullablePart(ADDRESS_LIMITS.district)),
    street: Type.Optional(Type.String({ minLength: 1, maxLength: ADDRESS_LIMITS.street })),
    postalCode: Type.Optional(NullablePart(ADDRESS_LIMITS.postalCode)),
    primary: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AddressSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  label: NullableString,
  country: Type.String(),
  region: NullableString,
  city: NullableString,
  district: NullableString,
  street: Type.String(),
  postalCode: NullableString,
  primary: Type.Boolean(),
  createdAt: Time,
  updatedAt: Time,
});
export const AddressList = Type.Object({ items: Type.Array(AddressSchema) });
export const AddressParams = Type.Object({ id: Id, addressId: Id }, { additionalProperties: false });

export const PreferencesSchema = Type.Object(
  {
    channels: Type.Array(StringEnum(PREFERENCE_CHANNELS), { maxItems: PREFERENCE_CHANNELS.length, uniqueItems: true }),
    language: Nullable<(typeof PREFERENCE_LANGUAGES)[number]>({ type: 'string', enum: [...PREFERENCE_LANGUAGES, null] }),
    topics: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 }),
    doNotContact: Type.Boolean(),
  },
  { additionalProperties: false },
);
