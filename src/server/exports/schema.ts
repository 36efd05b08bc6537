import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS } from '../../shared/fields.js';
import { Id, Nullable, NullableTime, StringEnum, Time } from '../http/schemas.js';
import { EXPORT_FORMATS } from './file-writer.js';

// Request and answer shapes of the export API. The query is the customers list's own (q, kind,
// filter, sort — see customers/schema.ts CustomerQuery), with the same bounds.

const Search = Type.String({ maxLength: 200, description: 'The list’s search box.' });
const Filters = Type.Array(Type.String({ minLength: 3, maxLength: 300 }), { maxItems: 20, description: 'key:op:value, as the list takes them.' });
const SortKey = Type.String({ pattern: '^-?[A-Za-z][A-Za-z0-9_]{0,40}$' });
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });

export const NewExportBody = Type.Object(
  {
    format: StringEnum(EXPORT_FORMATS),
    q: Type.Optional(Search),
    kind: Type.Optional(StringEnum(CUSTOMER_KINDS)),
    filters: Type.Optional(Filters),
    sort: Type.Optional(SortKey),
    columns: Type.Optional(Type.Array(FieldKey, { minItems: 1, maxItems: 200, description: 'Field keys, in order; default: every field your role may see.' })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why: needed above 1,000 rows or with a personal or sensitive column (at least 5 characters).' })),
    /** The header row's labels; absent: from Accept-Language (zh → Chinese, else English). The web app sends its own language. */
    language: Type.Optional(StringEnum(['en', 'zh-CN'] as const)),
  },
  { additionalProperties: false },
);

export const EstimateQuery = Type.Object(
  {
    q: Type.Optional(Search),
    kind: Type.Optional(StringEnum(CUSTOMER_KINDS)),
    filter: Type.Optional(Filters),
    sort: Type.Optional(SortKey),
    column: Type.Optional(Type.Array(FieldKey, { minItems: 1, maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const Estimate = Type.Object({ rows: Type.Integer(), reasonRequired: Type.Boolean() });

export const ExportParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ExportJobSchema = Type.Object({
  id: Type.String(),
  status: StringEnum(['running', 'completed', 'failed', 'cancelled'] as const),
  format: StringEnum(EXPORT_FORMATS),
  columns: Type.Array(Type.String()),
  progress: Type.Object({
    done: Type.Integer(),
    total: Type.Integer(),
    rate: Type.Number({ description: 'Rows per second.' }),
    eta: Nullable<number>({ type: 'integer', description: 'Seconds left.' }),
  }),
  rows: Type.Integer(),
  error: Nullable<{ code: string; message: string }>({ type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] }),
  createdAt: Time,
  finishedAt: NullableTime,
  expiresAt: NullableTime,
});
