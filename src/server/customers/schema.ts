import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS, FIELD_TYPES, SENSITIVITY_CLASSES } from '../../shared/fields.js';
import { Id, StringEnum, Time } from '../http/schemas.js';

/**
 * Field values travel by field key at the top level. Which keys exist is workspace data (the
 * field registry), so the gateway — not this schema — refuses unknown keys, naming them.
 */
export const CustomerInput = Type.Object({ kind: StringEnum(CUSTOMER_KINDS) }, { additionalProperties: true, maxProperties: 100 });
export const CustomerChanges = Type.Object({}, { additionalProperties: true, maxProperties: 100 });
export const CustomerRecord = Type.Object({ id: Type.String(), kind: Type.String(), createdAt: Time, updatedAt: Time }, { additionalProperties: true });
export const CustomerPage = Type.Object({ items: Type.Array(CustomerRecord), nextCursor: Type.Union([Type.String(), Type.Null()]) });
/** One customer answered on its own (read, create, change, restore, reassign): with what the caller may do to it, so the app offers only that. */
export const CustomerDetail = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    createdAt: Time,
    updatedAt: Time,
    allowed: Type.Object({ update: Type.Boolean(), delete: Type.Boolean(), reassign: Type.Boolean(), reveal: Type.Boolean() }),
  },
  { additionalProperties: true },
);

export const CustomerQuery = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    nationalId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'One search box: an email, phone or ID number is looked up exactly; other text matches names and plain values.' })),
    kind: Type.Optional(StringEnum(CUSTOMER_KINDS)),
    filter: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 300 }), {
        maxItems: 20,
        description: 'key:op:value on public or internal fields, createdAt, updatedAt, ownerId; op one of eq, ne, in (values split by |), contains, gt, gte, lt, lte, empty, notEmpty.',
      }),
    ),
    sort: Type.Optional(Type.String({ pattern: '^-?[A-Za-z][A-Za-z0-9_]{0,40}$', description: 'A field key, ascending; -key descending. Default -createdAt.' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'nextCursor of the previous page.' })),
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
export const EraseBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });
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
  archived: Type.Optional(Type.Boolean()),
  unique: Type.Optional(Type.Boolean()),
  validation: Type.Optional(Type.Object({ minLength: Type.Optional(Type.Integer()), maxLength: Type.Optional(Type.Integer()), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) })),
  retentionDays: Type.Optional(Type.Integer()),
});

const Labels = Type.Object({ en: Type.String({ minLength: 1, maxLength: 80 }), 'zh-CN': Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false });
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { minItems: 1, maxItems: 200 });
const Purposes = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 });
const Validation = Type.Object(
  {
    minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, minProperties: 1, description: 'Lengths for text, email and URL fields; min and max for number and money (minor units) fields.' },
);
const RetentionDays = Type.Integer({ minimum: 1, maximum: 36_500, description: 'Values of customers not updated for this many days are cleared by the retention job.' });
export const NewFieldBody = Type.Object(
  {
    kind: StringEnum(CUSTOMER_KINDS),
    key: Type.String({ minLength: 2, maxLength: 41 }),
    type: StringEnum(FIELD_TYPES),
    labels: Labels,
    sensitivity: StringEnum(SENSITIVITY_CLASSES),
    required: Type.Optional(Type.Boolean()),
    lookup: Type.Optional(StringEnum(['none', 'exact'] as const)),
    options: Type.Optional(Options),
    purposes: Type.Optional(Purposes),
    unique: Type.Optional(Type.Boolean({ description: 'No two live customers share a value; makes the field an exact-lookup field (text, email, phone, ID and card types).' })),
    validation: Type.Optional(Validation),
    retentionDays: Type.Optional(RetentionDays),
  },
  { additionalProperties: false },
);
export const FieldChangesBody = Type.Object(
  {
    labels: Type.Optional(Labels),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Options),
    purposes: Type.Optional(Purposes),
    archived: Type.Optional(Type.Boolean()),
    unique: Type.Optional(Type.Boolean()),
    validation: Type.Optional(Type.Union([Validation, Type.Null()])),
    retentionDays: Type.Optional(Type.Union([RetentionDays, Type.Null()])),
  },
  { additionalProperties: false },
);
export const FieldParams = Type.Object({ kind: StringEnum(CUSTOMER_KINDS), key: Type.String({ minLength: 2, maxLength: 41 }) }, { additionalProperties: false });
export const ReclassifyBody = Type.Object(
  { sensitivity: StringEnum(SENSITIVITY_CLASSES), reason: Type.String({ minLength: 5, maxLength: 500 }) },
  { additionalProperties: false },
);
export const ReclassifyResult = Type.Object({ field: FieldDefinitionSchema, moved: Type.Integer({ description: 'Customers whose stored value was re-encrypted or decrypted.' }) });
export const FieldList = Type.Object({ items: Type.Array(FieldDefinitionSchema) });

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
const LineItem = Type.Object(
  {
    sku: Type.Optional(Type.String({ maxLength: 100 })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unitAmountMinor: Type.Integer(),
  },
  { additionalProperties: false },
);
export const TransactionBody = Type.Object(
  {
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    occurredAt: Type.String({ format: 'date-time' }),
    amountMinor: Type.Integer({ description: 'Integer minor units (fen, cents)' }),
    currency: Currency,
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    status: StringEnum(['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const),
    lineItems: Type.Optional(Type.Array(LineItem, { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export const TransactionSchema = Type.Object({
  id: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  occurredAt: Time,
  amountMinor: Type.Integer(),
  currency: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  lineItems: Type.Array(Type.Unknown()),
});
export const TransactionList = Type.Object({
  items: Type.Array(TransactionSchema),
  totals: Type.Array(Type.Object({ currency: Type.String(), amountMinor: Type.Integer(), count: Type.Integer() })),
});

export const MAX_EVENTS_PER_BATCH = 1_000;
export const EventBatch = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          customerId: Id,
          type: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.:-]*$' }),
          occurredAt: Type.String({ format: 'date-time' }),
          properties: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_EVENTS_PER_BATCH },
    ),
  },
  { additionalProperties: false },
);
export const EventBatchResult = Type.Object({
  accepted: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), field: Type.String() })),
});
export const EventSchema = Type.Object({ id: Type.String(), type: Type.String(), occurredAt: Time, properties: Type.Record(Type.String(), Type.Unknown()) });
export const EventPage = Type.Object({ items: Type.Array(EventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const EventQuery = Type.Object(
  { cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

export const NoteBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false });
export const NoteSchema = Type.Object({ id: Type.String(), body: Type.String(), authorId: Type.Union([Type.String(), Type.Null()]), createdAt: Time });
export const NoteList = Type.Object({ items: Type.Array(NoteSchema) });
export const NoteParams = Type.Object({ id: Id, noteId: Id }, { additionalProperties: false });

export const ContactPointBody = Type.Object(
  {
    type: StringEnum(['email', 'phone', 'im'] as const),
    channel: Type.Optional(StringEnum(['wechat', 'whatsapp', 'qq', 'line', 'telegram', 'skype', 'dingtalk', 'other'] as const)),
    label: Type.Optional(Type.String({ maxLength: 40 })),
    value: Type.String({ minLength: 1, maxLength: 254 }),
  },
  { additionalProperties: false },
);
export const ContactPointSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()]),
  label: Type.Union([Type.String(), Type.Null()]),
  value: Type.String(),
  primary: Type.Boolean(),
});
export const ContactPointList = Type.Object({ items: Type.Array(ContactPointSchema) });
export const ContactPointParams = Type.Object({ id: Id, contactPointId: Id }, { additionalProperties: false });
