import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { compiledInsert } from '../db/compiled-query.js';
import type { CustomerLookupTable, CustomersTable, DB } from '../db/schema.js';
import type { Cursor, Filter, FilterValue, Sort, Target } from './gateway/list-query.js';

// The customer tables' SQL. Only the records gateway (gateway.ts) may import this file:
// vault/architecture.test.ts fails the build otherwise.

export type CustomerRow = Selectable<CustomersTable>;

/** 12 columns a row; 500 rows a statement stay under the bound-parameter limits. */
export async function insertCustomers(db: Kysely<DB>, rows: CustomerRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('customers').values(rows.slice(i, i + 500)).execute();
}

export function findCustomer(db: Kysely<DB>, workspaceId: string, id: string, options: { deleted?: boolean } = {}): Promise<CustomerRow | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', options.deleted ? 'is not' : 'is', null)
    .executeTakeFirst();
}

/** Every customer of a kind, deleted ones too, in id order from `after`: for whole-workspace passes like a reclassification. */
export function customersOfKind(db: Kysely<DB>, workspaceId: string, kind: string, after: string | null, limit: number): Promise<CustomerRow[]> {
  let query = db.selectFrom('customers').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', kind);
  if (after) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
}

/**
 * Live customers of a kind not updated since `before`, in id order from `after`; with
 * `plainKey`, only those holding a plain value under it (encrypted values are checked by the caller).
 */
export function staleCustomers(
  db: Kysely<DB>,
  workspaceId: string,
  options: { kind: string; before: number; after: string | null; limit: number; plainKey: string | null },
): Promise<CustomerRow[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let query = db
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', options.kind)
    .where('deleted_at', 'is', null)
    .where('updated_at', '<', options.before);
  if (options.plainKey) query = query.where(sql<boolean>`${valueExpression({ kind: 'json', key: options.plainKey, path: null, valueType: 'text', nullable: true }, postgres)} is not null`);
  if (options.after) query = query.where('id', '>', options.after);
  return query.orderBy('id').limit(options.limit).execute();
}

/** The first of these blind-indexed fields in which another live customer has one of this customer's values (or null). */
export async function sharedLookupField(db: Kysely<DB>, workspaceId: string, customerId: string, fields: string[]): Promise<string | null> {
  if (fields.length === 0) return null;
  const row = await db
    .selectFrom('customer_lookup as mine')
    .innerJoin('customer_lookup as theirs', (join) =>
      join.onRef('theirs.workspace_id', '=', 'mine.workspace_id').onRef('theirs.field', '=', 'mine.field').onRef('theirs.token', '=', 'mine.token'),
    )
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'theirs.workspace_id').onRef('customers.id', '=', 'theirs.customer_id'))
    .select('mine.field')
    .where('mine.workspace_id', '=', workspaceId)
    .where('mine.customer_id', '=', customerId)
    .where('mine.field', 'in', fields)
    .where('theirs.customer_id', '<>', customerId)
    .where('customers.deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row?.field ?? null;
}

/** Which of these ids are live companies of the workspace. */
export async function existingCompanyIds(db: Kysely<DB>, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .where('kind', '=', 'company')
    .where('deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((row) => row.id));
}

export function updateCustomer(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  changes: Partial<Pick<CustomerRow, 'plain_values' | 'personal_values' | 'sensitive_values' | 'updated_at' | 'deleted_at'>>,
): Promise<unknown> {
  return db.updateTable('customers').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/**
 * Hands customers to a new owner and owning team. `updated_at` stays: no value changed, and
 * retention counts from the last change of values — a change of hands must not extend it.
 */
export function reassignCustomers(db: Kysely<DB>, workspaceId: string, ids: readonly string[], owner: { ownerId: string; teamId: string | null }): Promise<unknown> {
  return db.updateTable('customers').set({ owner_user_id: owner.ownerId, team_id: owner.teamId }).where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute();
}

export function deleteLookupTokens(db: Kysely<DB>, workspaceId: string, customerId: string, field: string): Promise<unknown> {
  return db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).where('field', '=', field).execute();
}

export type LookupRow = Selectable<CustomerLookupTable>;

/** 4 columns a row; 2,000 rows a statement stay under the bound-parameter limits. */
const insertLookup = compiledInsert('customer_lookup', ['workspace_id', 'field', 'token', 'customer_id'], { sizes: [2000, 200, 20, 1], ignoreConflicts: true });

/**
 * Inserts blind-index rows in primary-key order: tokens are random, so a batch in the order it
 * was made would touch the index's pages at random, each many times; sorted, it visits each
 * page once, in order.
 */
export function insertLookupRows(db: Kysely<DB>, rows: LookupRow[]): Promise<void> {
  return insertLookup(db, rows.length < 2 ? rows : inKeyOrder(rows));
}

/**
 * The rows by workspace and field, then by token (its leading bits, read big-endian: the order
 * of its bytes). Each row's sort key packs those bits with the row's index into one float, so
 * a native numeric sort does the work: a bulk write sorts tens of thousands of rows a batch.
 */
function inKeyOrder(rows: LookupRow[]): LookupRow[] {
  const groups = new Map<string, Map<string, LookupRow[]>>();
  for (const row of rows) {
    let fields = groups.get(row.workspace_id);
    if (!fields) groups.set(row.workspace_id, (fields = new Map()));
    const group = fields.get(row.field);
    if (group) group.push(row);
    else fields.set(row.field, [row]);
  }
  const sorted: LookupRow[] = [];
  const byText = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  for (const [, fields] of [...groups].sort(byText)) {
    for (const [, group] of [...fields].sort(byText)) {
      const indexBits = Math.max(1, Math.ceil(Math.log2(group.length)));
      const slots = 2 ** indexBits;
      const drop = 2 ** (48 - (53 - indexBits));
      const keys = new Float64Array(group.length);
      for (let i = 0; i < group.length; i++) keys[i] = Math.floor(group[i]!.token.readUIntBE(0, 6) / drop) * slots + i;
      keys.sort();
      for (const key of keys) sorted.push(group[key % slots]!);
    }
  }
  return sorted;
}

/** Customers whose `field` has every one of `tokens` (one token: exact lookup; several: name search). */
export async function findCustomerIdsByTokens(db: Kysely<DB>, workspaceId: string, field: string, tokens: Buffer[], limit: number): Promise<string[]> {
  if (tokens.length === 0) return [];
  let query = db
    .selectFrom('customer_lookup')
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
    .select('customer_lookup.customer_id')
    .where('customer_lookup.workspace_id', '=', workspaceId)
    .where('customer_lookup.field', '=', field)
    .where('customers.deleted_at', 'is', null);
  // One token: the primary key holds each customer once, so nothing needs grouping.
  query =
    tokens.length === 1
      ? query.where('customer_lookup.token', '=', tokens[0]!)
      : query
          .where('customer_lookup.token', 'in', tokens)
          .groupBy('customer_lookup.customer_id')
          .having((eb) => eb.fn.count('customer_lookup.token'), '=', tokens.length);
  const rows = await query.orderBy('customer_lookup.customer_id').limit(limit).execute();
  return rows.map((row) => row.customer_id);
}

/**
 * Customers that have any of these tokens in any of these fields: an exact lookup across every
 * field a value may be in (a primary email and further emails), in one query. A token of one
 * field never turns up in another (each field has its own HMAC key), so crossing them costs
 * nothing, and `field IN … AND token IN …` is a handful of primary-key probes whatever the
 * planner knows. No ORDER BY: it could lead SQLite to walk a whole index in customer order;
 * the few matches are ordered here.
 */
export async function findCustomerIdsByAnyToken(db: Kysely<DB>, workspaceId: string, tokens: readonly { field: string; token: Buffer }[], limit: number): Promise<string[]> {
  if (tokens.length === 0) return [];
  const rows = await db
    .selectFrom('customer_lookup')
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
    .select('customer_lookup.customer_id')
    .where('customer_lookup.workspace_id', '=', workspaceId)
    .where('customer_lookup.field', 'in', [...new Set(tokens.map((t) => t.field))])
    .where('customer_lookup.token', 'in', tokens.map((t) => t.token))
    .where('customers.deleted_at', 'is', null)
    .limit(limit)
    .execute();
  return [...new Set(rows.map((row) => row.customer_id))].sort();
}

export function deleteLookupToken(db: Kysely<DB>, row: LookupRow): Promise<unknown> {
  return db
    .deleteFrom('customer_lookup')
    .where('workspace_id', '=', row.workspace_id)
    .where('field', '=', row.field)
    .where('token', '=', row.token)
    .where('customer_id', '=', row.customer_id)
    .execute();
}

/** Customers soft-deleted before `before`, oldest first. */
export async function deletedBefore(db: Kysely<DB>, workspaceId: string | null, before: number, limit: number): Promise<{ workspace_id: string; id: string }[]> {
  let query = db.selectFrom('customers').select(['workspace_id', 'id']).where('deleted_at', 'is not', null).where('deleted_at', '<', before);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.orderBy('deleted_at').limit(limit).execute();
}

/**
 * Erases a customer for good: the subject key first (crypto-shredding: whatever copy of the
 * ciphertext survives, in a backup or a disk image, cannot be read any more), then the
 * lookup rows and events (no foreign key: they are the biggest tables), then the customer
 * row, whose foreign keys take notes, contact points and transactions with it.
 */
export async function eraseCustomer(db: Kysely<DB>, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('subject_keys').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_lookup').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customer_events').where('workspace_id', '=', workspaceId).where('customer_id', '=', id).execute();
  await db.deleteFrom('customers').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export interface CustomerQuerySpec {
  kind?: string;
  filters: Filter[];
  sort: Sort;
  after: Cursor | null;
  /** A search: customers whose ids a blind-index lookup found, or (when `text` is set) whose plain values contain it. */
  search?: { ids: string[]; text: string | null };
  /** The caller's scope: customers they own or of these teams; absent or null for all. */
  reach?: { userId: string; teamIds: string[] } | null;
  limit: number;
}

/**
 * One page of the customers list: filtered, sorted and keyset-paged in SQL, on plain values
 * only (the gateway refuses encrypted fields before this). Every value is a bound parameter;
 * JSON paths are built from registry keys and bound too.
 */
export function queryCustomers(db: Kysely<DB>, workspaceId: string, spec: CustomerQuerySpec): Promise<CustomerRow[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const expr = (target: Target) => valueExpression(target, postgres);
  const bind = (value: FilterValue) => (typeof value === 'boolean' ? (postgres ? String(value) : Number(value)) : value);
  let query = matchingCustomers(db, workspaceId, spec).selectAll();

  const { target, direction } = spec.sort;
  const value = expr(target);
  const id: RawBuilder<unknown> = sql`${sql.ref('id')}`;
  if (spec.after) {
    const { value: last, id: lastId } = spec.after;
    const beyond = direction === 'desc' ? 'lt' : 'gt';
    const beyondOrAt = direction === 'desc' ? 'lte' : 'gte';
    const idBeyond = compare(id, beyond, lastId);
    if (!target.nullable) {
      // `value <= last and (...)` lets the index on the sort column bound the scan.
      query = query.where(sql<boolean>`${compare(value, beyondOrAt, bind(last!))} and (${compare(value, beyond, bind(last!))} or ${idBeyond})`);
    } else if (last === null) {
      // Rows without a value come last, in id order among themselves.
      query = query.where(sql<boolean>`${value} is null and ${idBeyond}`);
    } else {
      query = query.where(
        sql<boolean>`(${value} is null or (${compare(value, beyondOrAt, bind(last))} and (${compare(value, beyond, bind(last))} or ${idBeyond})))`,
      );
    }
  }
  if (target.nullable) query = query.orderBy(sql`${value} is null`);
  if (target.kind !== 'column' || target.column !== 'id') query = query.orderBy(value, direction);
  return query.orderBy('id', direction).limit(spec.limit).execute();
}

/** How many customers the list's query matches, over all its pages (an export counts them before it starts). */
export async function countCustomers(db: Kysely<DB>, workspaceId: string, spec: Pick<CustomerQuerySpec, 'kind' | 'filters' | 'search' | 'reach'>): Promise<number> {
  const { count } = await matchingCustomers(db, workspaceId, spec).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}

/** The customers the list's query matches (kind, scope, filters, search), before sort and paging. */
function matchingCustomers(db: Kysely<DB>, workspaceId: string, spec: Pick<CustomerQuerySpec, 'kind' | 'filters' | 'search' | 'reach'>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bind = (value: FilterValue) => (typeof value === 'boolean' ? (postgres ? String(value) : Number(value)) : value);
  let query = db.selectFrom('customers').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null);
  if (spec.kind) query = query.where('kind', '=', spec.kind);
  if (spec.reach) {
    const { userId, teamIds } = spec.reach;
    query = query.where((eb) => eb.or([eb('owner_user_id', '=', userId), ...(teamIds.length > 0 ? [eb('team_id', 'in', teamIds)] : [])]));
  }
  for (const filter of spec.filters) query = query.where(filterCondition(filter, valueExpression(filter.target, postgres), bind, postgres));
  if (spec.search) {
    const { ids, text } = spec.search;
    const byIds = ids.length > 0 ? sql<boolean>`${sql.ref('id')} in (${sql.join(ids)})` : sql<boolean>`1 = 0`;
    query = query.where(text === null ? byIds : sql<boolean>`(${byIds} or ${plainTextContains(text, postgres)})`);
  }
  return query;
}

/** A target's value in SQL: a column, or a plain JSON value (numbers as numbers on PostgreSQL too). */
function valueExpression(target: Target, postgres: boolean): RawBuilder<unknown> {
  if (target.kind === 'column') return sql.ref(target.column);
  if (!postgres) return sql`json_extract(${sql.ref('plain_values')}, ${`$.${target.key}${target.path ? `.${target.path}` : ''}`})`;
  const text = target.path
    ? sql`(${sql.ref('plain_values')}::jsonb -> ${target.key}::text ->> ${target.path}::text)`
    : sql`(${sql.ref('plain_values')}::jsonb ->> ${target.key}::text)`;
  return target.valueType === 'number' ? sql`(${text})::numeric` : text;
}

/** The items of a tags or multi-select value, one row each, compared case-insensitively. */
function arrayHas(target: Target, values: FilterValue[], postgres: boolean): RawBuilder<boolean> {
  const wanted = sql.join(values.map((v) => sql`lower(${String(v)})`));
  if (target.kind !== 'json') throw new Error('only plain field values hold arrays');
  return postgres
    ? sql<boolean>`exists (select 1 from jsonb_array_elements_text(coalesce(${sql.ref('plain_values')}::jsonb -> ${target.key}::text, '[]'::jsonb)) as item(value) where lower(item.value) in (${wanted}))`
    : sql<boolean>`exists (select 1 from json_each(${sql.ref('plain_values')}, ${`$.${target.key}`}) as item where lower(item.value) in (${wanted}))`;
}

function filterCondition(filter: Filter, value: RawBuilder<unknown>, bind: (v: FilterValue) => unknown, postgres: boolean): RawBuilder<boolean> {
  const [first] = filter.values;
  const array = filter.target.valueType === 'array';
  switch (filter.op) {
    case 'empty':
      return array ? sql<boolean>`(${value} is null or not ${arrayNonEmpty(filter.target, postgres)})` : sql<boolean>`${value} is null`;
    case 'notEmpty':
      return array ? arrayNonEmpty(filter.target, postgres) : sql<boolean>`${value} is not null`;
    case 'contains':
      if (array) return arrayHas(filter.target, filter.values, postgres);
      return postgres ? sql<boolean>`strpos(lower(${value}), lower(${first})) > 0` : sql<boolean>`instr(lower(${value}), lower(${first})) > 0`;
    case 'in':
      if (array) return arrayHas(filter.target, filter.values, postgres);
      return sql<boolean>`${value} in (${sql.join(filter.values.map(bind))})`;
    case 'eq':
      return sql<boolean>`${value} = ${bind(first!)}`;
    case 'ne':
      // "Is not X" includes the customers with no value at all.
      return sql<boolean>`(${value} is null or ${value} <> ${bind(first!)})`;
    default:
      return compare(value, filter.op, bind(first!));
  }
}

/** An ordering comparison; each operator spelled out, as operators cannot be bound parameters. */
function compare(left: RawBuilder<unknown>, op: 'gt' | 'gte' | 'lt' | 'lte', right: unknown): RawBuilder<boolean> {
  switch (op) {
    case 'gt':
      return sql<boolean>`${left} > ${right}`;
    case 'gte':
      return sql<boolean>`${left} >= ${right}`;
    case 'lt':
      return sql<boolean>`${left} < ${right}`;
    case 'lte':
      return sql<boolean>`${left} <= ${right}`;
  }
}

function arrayNonEmpty(target: Target, postgres: boolean): RawBuilder<boolean> {
  if (target.kind !== 'json') throw new Error('only plain field values hold arrays');
  return postgres
    ? sql<boolean>`coalesce(jsonb_array_length(${sql.ref('plain_values')}::jsonb -> ${target.key}::text), 0) > 0`
    : sql<boolean>`coalesce(json_array_length(${sql.ref('plain_values')}, ${`$.${target.key}`}), 0) > 0`;
}

/** Any plain text value (tags included) containing the text, case-insensitively. */
function plainTextContains(text: string, postgres: boolean): RawBuilder<boolean> {
  return postgres
    ? sql<boolean>`exists (select 1 from jsonb_each_text(${sql.ref('plain_values')}::jsonb) as plain(key, value) where strpos(lower(plain.value), lower(${text})) > 0)`
    : // The instr over the whole JSON text is a cheap first pass; json_each then keeps keys and syntax out of the match.
      sql<boolean>`(instr(lower(${sql.ref('plain_values')}), lower(${text})) > 0 and exists (select 1 from json_each(${sql.ref('plain_values')}) as plain where plain.type in ('text', 'array') and instr(lower(plain.value), lower(${text})) > 0))`;
}
