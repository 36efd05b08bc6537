import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS } from '../../shared/fields.js';
import { Id, StringEnum, Time } from '../http/schemas.js';

/**
 * Field values travel by field key at the top level. Which keys exist is workspace data (the
 * field registry), so the gateway — not this schema — refuses unknown keys, naming them.
 */
export const CustomerInput = Type.Object({ kind: StringEnum(CUSTOMER_KINDS) }, { additionalProperties: true, maxProperties: 100 });
export const CustomerChanges = Type.Object({}, { additionalProperties: true, maxProperties: 100 });
export const CustomerRecord = Type.Object({ id: Type.String(), kind: Type.String(), createdAt: Time, updatedAt: Time }, { additionalProperties: true });
export const CustomerPage = Type.Object({ items: Type.Array(CustomerRecord), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const CustomerQuery = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    nationalId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const RevealBody = Type.Object(
  {
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20, uniqueItems: true }),
    reason: Type.String({ minLength: 5, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export const RevealResponse = Type.Record(Type.String(), Type.Unknown());

export const FieldDefinitionSchema = Type.Object({
  key: Type.String(),
  kind: Type.String(),
  type: Type.String(),
  labels: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  sensitivity: Type.String(),
  required: Type.Boolean(),
  lookup: Type.String(),
  options: Type.Optional(Type.Array(Type.String())),
  purposes: Type.Array(Type.String()),
  builtIn: Type.Boolean(),
});
export const FieldList = Type.Object({ items: Type.Array(FieldDefinitionSchema) });
