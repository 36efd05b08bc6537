import { Type } from '@sinclair/typebox';
import { CUSTOMER_KINDS } from '../../shared/fields.js';
import { Body, Id, Items, StringEnum, Time } from '../http/schemas.js';
import { FILTER_OPERATORS } from '../vault/gateway/list-query.js';

/** How big a saved view may get (as much as `GET /api/customers` takes): a view is a few settings, never a data store. */
export const VIEW_LIMITS = { name: 80, q: 200, filters: 20, filter: 300, columns: 40, viewsPerUser: 100 } as const;


const KEY = '[A-Za-z][A-Za-z0-9_]{0,63}';
const FieldKey = Type.String({ minLength: 1, maxLength: 64, pattern: `^${KEY}$` });
/** `key:op:value`; the value (everything after the second colon) may hold colons itself. */
const Filter = Type.String({ minLength: 3, maxLength: VIEW_LIMITS.filter, pattern: `^${KEY}:(${FILTER_OPERATORS.join('|')})(:[\\s\\S]*)?$` });
const Sort = Type.String({ minLength: 1, maxLength: 65, pattern: `^-?${KEY}$`, description: '`key` ascending, `-key` descending' });

/** What a view reproduces: the list's search, kind, filters and sort, and the columns shown. */
export const ViewDefinition = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: VIEW_LIMITS.q })),
    kind: Type.Optional(StringEnum(CUSTOMER_KINDS)),
    filters: Type.Optional(Type.Array(Filter, { maxItems: VIEW_LIMITS.filters })),
    sort: Type.Optional(Sort),
    columns: Type.Optional(Type.Array(FieldKey, { maxItems: VIEW_LIMITS.columns, uniqueItems: true })),
  },
  { additionalProperties: false },
);

const ViewName = Type.String({ minLength: 1, maxLength: VIEW_LIMITS.name });

export const NewViewBody = Body({ name: ViewName, shared: Type.Optional(Type.Boolean()), definition: ViewDefinition });
export const ViewChangesBody = Type.Object(
  { name: Type.Optional(ViewName), shared: Type.Optional(Type.Boolean()), definition: Type.Optional(ViewDefinition) },
  { additionalProperties: false, minProperties: 1 },
);
export const ViewParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  shared: Type.Boolean(),
  ownerId: Type.String(),
  /** Whether the caller owns it; and whether they may rename, re-share, redefine or delete it. */
  mine: Type.Boolean(),
  canChange: Type.Boolean(),
  definition: ViewDefinition,
  createdAt: Time,
  updatedAt: Time,
});
export const ViewList = Items(ViewSchema);
