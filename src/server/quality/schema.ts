import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS, FIELD_TYPES, SENSITIVITY_CLASSES } from '../../shared/fields.js';
import { DUPLICATE_BANDS, QUALITY_REPORT_STATUSES, STALE_MONTHS, type StaleMonths } from '../../shared/quality.js';
import { Body, Nullable, NullableTime, StringEnum, Time } from '../http/schemas.js';

// Request and response schemas of the data-quality reports (also their OpenAPI description).

const StaleMonthsSchema = Type.Unsafe<StaleMonths>({ type: 'integer', enum: [...STALE_MONTHS], description: 'Months without activity that make a customer stale' });

export const NewReportBody = Body({ staleMonths: Type.Optional(StaleMonthsSchema) });

const Count = Type.Integer({ minimum: 0 });

const QualityFieldSchema = Type.Object({
  kind: StringEnum(CUSTOMER_KINDS),
  key: Type.String(),
  type: StringEnum(FIELD_TYPES),
  sensitivity: StringEnum(SENSITIVITY_CLASSES),
  labels: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  builtIn: Type.Boolean(),
  required: Type.Boolean(),
  filled: Count,
  empty: Count,
  invalid: Type.Array(Type.Object({ code: Type.String({ description: 'The reason code the field refuses the value with today' }), count: Count })),
});

const QualityResultSchema = Type.Object({
  asOf: Time,
  customers: Type.Object({ person: Count, company: Count }),
  unreadable: Count,
  fields: Type.Array(QualityFieldSchema),
  stale: Type.Object({
    months: StaleMonthsSchema,
    count: Count,
    byMonths: Type.Array(Count, { description: 'Index m: customers last active m to m+1 months ago; the last: that many months or more' }),
  }),
  duplicates: Type.Object({ open: Count, bands: Type.Array(Type.Object({ band: StringEnum(DUPLICATE_BANDS), count: Count })) }),
});

export const QualityReportSchema = Type.Object({
  id: Type.String(),
  status: StringEnum(QUALITY_REPORT_STATUSES),
  staleMonths: StaleMonthsSchema,
  progress: Type.Object({
    done: Count,
    total: Count,
    /** Customers per second. */
    rate: Type.Number(),
    /** Seconds left at that rate; null while unknown. */
    eta: Nullable<number>({ type: 'number' }),
  }),
  createdAt: Time,
  finishedAt: NullableTime,
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  result: Type.Union([QualityResultSchema, Type.Null()]),
});

export const LatestReports = Type.Object({
  /** The newest report, whatever its state (a running one shows its progress). */
  latest: Type.Union([QualityReportSchema, Type.Null()]),
  /** The newest completed report: the figures to show meanwhile. */
  completed: Type.Union([QualityReportSchema, Type.Null()]),
});
