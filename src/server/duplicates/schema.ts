import { Type } from '@sinclair/typebox';
import { Body, Id, NullableTime, StringEnum, Time } from '../http/schemas.js';
import { CustomerRecord } from '../customers/schema.js';

const STATUSES = ['open', 'dismissed', 'merged'] as const;
const REASONS = ['email', 'phone', 'nationalId', 'name', 'name_sound', 'company', 'city'] as const;
const SIDES = ['survivor', 'merged'] as const;
/** A field key, as the registry names them (custom fields included). */
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$', maxLength: 64 });

export const DuplicateQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(STATUSES)),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const DuplicatePair = Type.Object({
  id: Type.String(),
  score: Type.Integer(),
  reasons: Type.Array(StringEnum(REASONS)),
  status: StringEnum(STATUSES),
  createdAt: Time,
  resolvedAt: NullableTime,
  customers: Type.Array(CustomerRecord, { minItems: 2, maxItems: 2 }),
});

export const DuplicatePage = Type.Object({ items: Type.Array(DuplicatePair), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const ScanProgress = Type.Object({
  status: StringEnum(['idle', 'running', 'completed', 'failed'] as const),
  done: Type.Integer(),
  total: Type.Integer(),
  flagged: Type.Integer(),
  startedAt: NullableTime,
  finishedAt: NullableTime,
});

export const MergeBody = Body({
  survivorId: Id,
  mergedId: Id,
  fields: Type.Record(FieldKey, StringEnum(SIDES), { maxProperties: 200 }),
});

export const MergeResult = Type.Object({ mergeId: Type.String(), survivor: CustomerRecord });

export const MergeList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      createdAt: Time,
      fields: Type.Record(Type.String(), StringEnum(SIDES)),
      survivor: CustomerRecord,
      merged: CustomerRecord,
    }),
  ),
});

export const UnmergeResult = Type.Object({ survivor: CustomerRecord, merged: CustomerRecord });
