import { Type } from '@sinclair/typebox';
import { ALERT_ACTIONS, ALERT_RULES, ALERT_SEVERITIES, ALERT_STATUSES, CLOCK_TIME_PATTERN, WEEKDAYS } from '../../shared/alert-rules.js';
import { Id, Nullable, NullableString, NullableTime, StringEnum, Time } from '../http/schemas.js';

const Person = Type.Object({ id: Type.String(), displayName: NullableString });

export const AlertSchema = Type.Object({
  id: Type.String(),
  rule: StringEnum(ALERT_RULES),
  severity: StringEnum(ALERT_SEVERITIES),
  status: StringEnum(ALERT_STATUSES),
  actor: Type.Object({ type: Type.String(), id: NullableString, displayName: NullableString, email: NullableString }),
  tokenId: NullableString,
  ip: NullableString,
  windowStart: Time,
  windowEnd: Time,
  count: Type.Integer(),
  threshold: Nullable<number>({ type: 'integer' }),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  raisedAt: Time,
  acknowledgedAt: NullableTime,
  acknowledgedBy: Type.Union([Person, Type.Null()]),
  resolvedAt: NullableTime,
  resolvedBy: Type.Union([Person, Type.Null()]),
  action: StringEnum(ALERT_ACTIONS),
  /** What the response did (alerts/responses.ts), `none` when the rule has none. */
  actionResult: Type.String(),
  /** `off`, `none`, `pending`, `sent` or `failed`. */
  mail: Type.String(),
});

const MailState = Type.Object({ enabled: Type.Boolean({ description: 'False when no SMTP server is configured: alerts are not mailed.' }) });

export const AlertPage = Type.Object({ items: Type.Array(AlertSchema), nextCursor: Nullable<string>({ type: 'string' }), mail: MailState });

export const AlertQuery = Type.Object(
  {
    /** `open`: not resolved yet (open or acknowledged); `all`: every alert. */
    status: Type.Optional(StringEnum(['open', 'all'] as const)),
    cursor: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const WorkingHoursSchema = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: WEEKDAYS[0], maximum: WEEKDAYS[6] }), { minItems: 1, maxItems: 7, description: 'ISO weekdays: 1 Monday … 7 Sunday.' }),
    start: Type.String({ pattern: CLOCK_TIME_PATTERN, maxLength: 5 }),
    end: Type.String({ pattern: CLOCK_TIME_PATTERN, maxLength: 5 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Asia/Shanghai.' }),
  },
  { additionalProperties: false },
);

export const RuleSchema = Type.Object({
  key: StringEnum(ALERT_RULES),
  enabled: Type.Boolean(),
  action: StringEnum(ALERT_ACTIONS),
  threshold: Nullable<number>({ type: 'integer' }),
  windowMinutes: Type.Integer(),
  lookbackDays: Nullable<number>({ type: 'integer' }),
  workingHours: Type.Union([WorkingHoursSchema, Type.Null()]),
  severity: StringEnum(ALERT_SEVERITIES),
  kind: StringEnum(['count', 'event'] as const),
  comparison: Type.Union([StringEnum(['more_than', 'at_least'] as const), Type.Null()]),
  actions: Type.Array(StringEnum(ALERT_ACTIONS)),
});

export const RulesResponse = Type.Object({ rules: Type.Array(RuleSchema), mail: MailState });

const RuleChangeSchema = Type.Object(
  {
    key: StringEnum(ALERT_RULES),
    enabled: Type.Optional(Type.Boolean()),
    action: Type.Optional(StringEnum(ALERT_ACTIONS)),
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    windowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 })),
    lookbackDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    workingHours: Type.Optional(WorkingHoursSchema),
  },
  { additionalProperties: false },
);

export const RulesBody = Type.Object({ rules: Type.Array(RuleChangeSchema, { minItems: 1, maxItems: ALERT_RULES.length }) }, { additionalProperties: false });
