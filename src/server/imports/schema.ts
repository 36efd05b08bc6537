import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS } from '../../shared/fields.js';
import { IMPORT_MATCH_KEYS, IMPORT_ON_MATCH } from '../vault/gateway.js';
import { Nullable, NullableTime, StringEnum, Time } from '../http/schemas.js';

// Request and answer shapes of the import API (issue 7).

const Column = Nullable<string>({ type: 'string', maxLength: 100, pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$', description: 'The field key the column fills, or null: not imported.' });
const Mapping = Type.Array(Column, { maxItems: 500 });
const STATUSES = ['uploaded', 'running', 'cancelled', 'completed', 'failed'] as const;

export const UploadQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255, description: 'The file’s name (its extension helps tell an .xlsx apart).' }) }, { additionalProperties: false });

export const StartBody = Type.Object(
  {
    kind: StringEnum(CUSTOMER_KINDS),
    mapping: Mapping,
    matchBy: StringEnum(IMPORT_MATCH_KEYS),
    onMatch: StringEnum(IMPORT_ON_MATCH),
    dryRun: Type.Boolean(),
  },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });

export const ImportJobSchema = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  status: StringEnum(STATUSES),
  dryRun: Type.Boolean(),
  kind: StringEnum(CUSTOMER_KINDS),
  matchBy: StringEnum(IMPORT_MATCH_KEYS),
  onMatch: StringEnum(IMPORT_ON_MATCH),
  mapping: Mapping,
  headers: Type.Array(Type.String()),
  progress: Type.Object({
    done: Count,
    total: Nullable<number>({ type: 'integer', description: 'Data rows in the file, once counted.' }),
    rate: Type.Number({ description: 'Rows per second since the job (re)started.' }),
    eta: Nullable<number>({ type: 'integer', description: 'Seconds left.' }),
  }),
  summary: Type.Object({ imported: Count, updated: Count, unchanged: Count, rejected: Count, duplicates: Count }),
  createdAt: Time,
  startedAt: NullableTime,
  finishedAt: NullableTime,
  error: Nullable<{ code: string; message: string }>({ type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] }),
  preview: Type.Optional(
    Type.Object({
      format: Type.String(),
      encoding: Nullable<string>({ type: 'string' }),
      delimiter: Nullable<string>({ type: 'string' }),
      headers: Type.Array(Type.String()),
      sample: Type.Array(Type.Array(Type.String()), { description: 'The first rows of the file, as they are (shown to whoever uploaded it).' }),
      mapping: Mapping,
    }),
  ),
});

export const ImportList = Type.Object({ items: Type.Array(ImportJobSchema) });
