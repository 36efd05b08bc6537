import { Type } from '@sinclair/typebox';
import { Id, Nullable, NullableString, StringEnum, Time } from '../http/schemas.js';
import { EXPOSURE_LEVELS } from './exposure.js';

/** How much one request returns: a JSON page, a file, an exposure answer's list. */
export const SEARCH_LIMITS = { page: 200, defaultPage: 50, exportRows: 100_000, exposureList: 5_000, defaultExposureList: 500, exposureEvents: 500_000 } as const;

export const OUTCOMES = ['success', 'failure', 'denied'] as const;
export const FORMATS = ['json', 'ndjson', 'csv'] as const;

const ActorParam = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
  description: 'A user id (everything they did, by session or token), a token id (what that token did), or a system job (cli, purge, retention…).',
});
const ActionParam = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z_]*(\\.[a-z_]+)*(\\.\\*)?$', description: 'An action (customer.viewed), or an area with `.*` (customer.*).' });
const TimeParam = (edge: 'from' | 'to') =>
  Type.String({
    minLength: 10,
    maxLength: 35,
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    description: edge === 'from' ? 'ISO 8601, inclusive; a date alone is the start of that UTC day.' : 'ISO 8601, inclusive; a date alone is the whole of that UTC day.',
  });
const Cursor = Type.String({ minLength: 1, maxLength: 64, description: 'nextCursor of the previous page (or the x-next-cursor header of a cut-short file).' });

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(ActorParam),
    customerId: Type.Optional({ ...Id, description: 'Events about the customer: their record, or a list page or lookup that showed them.' }),
    action: Type.Optional(ActionParam),
    from: Type.Optional(TimeParam('from')),
    to: Type.Optional(TimeParam('to')),
    outcome: Type.Optional(StringEnum(OUTCOMES)),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.page, description: `Events of a JSON page, default ${SEARCH_LIMITS.defaultPage}; files ignore it.` })),
    format: Type.Optional({ ...StringEnum(FORMATS), description: 'json (a page), ndjson or csv (a file of every match, up to 100,000 rows).' }),
  },
  { additionalProperties: false },
);

export const ExposureQuery = Type.Object(
  {
    actor: Type.Optional(ActorParam),
    customerId: Type.Optional(Id),
    from: Type.Optional(TimeParam('from')),
    to: Type.Optional(TimeParam('to')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.exposureList, description: `Entries of the JSON answer, default ${SEARCH_LIMITS.defaultExposureList}; the CSV holds them all.` })),
    format: Type.Optional(StringEnum(['json', 'csv'] as const)),
  },
  { additionalProperties: false },
);

const ActorSchema = Type.Object({
  type: Type.String({ description: 'user, system or anonymous (a failed sign-in: the account tried, if it exists)' }),
  id: NullableString,
  /** A user's display name, a system job's name. */
  name: NullableString,
  email: NullableString,
});

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'Position in the workspace’s hash chain.' }),
  at: Time,
  actor: ActorSchema,
  sessionId: NullableString,
  tokenId: NullableString,
  ip: NullableString,
  userAgent: NullableString,
  action: Type.String(),
  object: Nullable<{ type: string; id: string }>({ type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } }, required: ['type', 'id'] }),
  outcome: Type.String(),
  metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'Ids, counts, field keys and reasons — never a personal value.' }),
});

export const AuditPage = Type.Object({ items: Type.Array(AuditEventSchema), nextCursor: Nullable<string>({ type: 'string' }) });

const Levels = Type.Record(Type.String(), StringEnum(EXPOSURE_LEVELS), { description: 'Field key → the highest level it was shown at: masked, clear, revealed.' });
const Seen = {
  firstSeen: Time,
  lastSeen: Time,
  events: Type.Integer(),
  fields: Levels,
  activity: Type.Array(Type.String(), { description: 'Records beside the fields (notes, transactions, …), or `exported`.' }),
  tokenIds: Type.Array(Type.String(), { description: 'The API tokens it was done with (none: in the browser).' }),
};

export const ExposureAnswer = Type.Object({
  /** Asked about an actor: the customers they saw. */
  customers: Type.Optional(Type.Array(Type.Object({ customerId: Type.String(), ...Seen }))),
  totalCustomers: Type.Optional(Type.Integer()),
  /** Asked about a customer: who saw them, and with which tokens. */
  actors: Type.Optional(Type.Array(Type.Object({ actor: ActorSchema, ...Seen }))),
  totalActors: Type.Optional(Type.Integer()),
  /** Asked about an actor: exports whose events say how many rows left but not which customers. */
  unnamedExports: Type.Optional(Type.Object({ events: Type.Integer(), rows: Type.Integer() })),
  /** Exposing events in the range, and per UTC day. */
  events: Type.Integer(),
  days: Type.Array(Type.Object({ day: Type.String(), events: Type.Integer() })),
});

export const AuditActors = Type.Object({
  users: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), email: Type.String(), status: Type.String() })),
  tokens: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), userId: Type.String(), createdAt: Time, expiresAt: Time, revokedAt: Nullable<string>({ type: 'string', format: 'date-time' }) })),
});
