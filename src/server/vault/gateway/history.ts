import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind, FieldDefinition, Sensitivity } from '../../../shared/fields.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../../db/mapping.js';
import { AppError, badRequest } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { findUser } from '../../users/store.js';
import { decryptField, encryptField, type FieldContext } from '../crypto/field-cipher.js';
import { authorizeCustomers, visibilityOf } from '../policy.js';
import { maskValue } from '../standardize/index.js';
import { fieldsWithHistory, historyValuesOfField, insertHistoryRows, listHistory, newestHistoryId, updateHistoryValues, type HistoryRow } from '../history-store.js';
import { SUBJECT_KEY_VERSION, isBundled, maskKindOf, type GatewayContext } from './context.js';

/**
 * How a field changed: set (a value put in, first or instead of another), cleared (by someone),
 * retention (cleared by the retention job), reclassified (the field's class changed: the
 * entry holds the classes before and after, no value).
 */
export const HISTORY_CHANGES = ['set', 'cleared', 'retention', 'reclassified'] as const;
export type HistoryChange = (typeof HISTORY_CHANGES)[number];

/** One field of one write: its value before and after (null or undefined: none). */
export interface FieldChange {
  field: FieldDefinition;
  old: unknown;
  new: unknown;
}

/** What a history row holds, as JSON: absent values left out. */
interface Values {
  old?: unknown;
  new?: unknown;
}

export interface HistoryItem extends Values {
  id: string;
  at: string;
  field: string;
  kind: HistoryChange;
  actor: { type: 'user' | 'system'; id: string | null; name: string | null };
}

const RECLASSIFY_PAGE = 500;

/** A sealed row's place (AAD): workspace, the history table, the row and the field, so its ciphertext opens nowhere else. */
const historyPlace = (row: Pick<HistoryRow, 'workspace_id' | 'id' | 'field_key'>): FieldContext => ({
  workspaceId: row.workspace_id,
  table: 'customer_field_history',
  recordId: row.id,
  field: row.field_key,
});

const valuesJson = (old: unknown, next: unknown) => toDbJson({ ...(old == null ? {} : { old }), ...(next == null ? {} : { new: next }) });
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const who = (actor: Actor) => (actor.kind === 'user' ? { actor_type: 'user', actor_id: actor.userId } : { actor_type: 'system', actor_id: actor.name });

/** The milliseconds of a UUIDv7: its first 48 bits. */
const idTime = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

/**
 * A new row's id: time-ordered like every id, and after the customer's newest history row even
 * when the clock has not moved on (two changes in one millisecond, another server's clock a
 * little ahead) — a customer's history reads back in the order it was written.
 */
function idAfter(now: number, after: string | null): string {
  const id = newId(now);
  return after === null || id > after ? id : newId(idTime(after) + 1);
}

/** A customer's new rows, their ids after the customer's newest; `seal` makes an entry's JSON ciphertext (null: it stays JSON). */
async function historyRows(
  trx: Kysely<DB>,
  actor: Actor,
  customerId: string,
  at: number,
  entries: readonly { fieldKey: string; change: HistoryChange; json: string; seal: ((row: HistoryRow) => Buffer) | null }[],
): Promise<HistoryRow[]> {
  let last = await newestHistoryId(trx, actor.workspaceId, customerId);
  return entries.map((entry) => {
    last = idAfter(at, last);
    const row: HistoryRow = { workspace_id: actor.workspaceId, id: last, customer_id: customerId, field_key: entry.fieldKey, at, ...who(actor), change: entry.change, values_plain: entry.json, values_sealed: null };
    return entry.seal ? { ...row, values_plain: null, values_sealed: entry.seal(row) } : row;
  });
}

/**
 * One history row per field whose value changed, in the caller's transaction and after the
 * customer row was written (in PostgreSQL its lock orders concurrent writers of the customer).
 * Personal and sensitive values are sealed under the customer's subject key, as the
 * customer's own values are; public and internal ones are JSON.
 */
export async function recordFieldChanges(
  ctx: GatewayContext,
  trx: Kysely<DB>,
  actor: Actor,
  customerId: string,
  subjectKey: Buffer,
  changes: readonly FieldChange[],
  cause?: 'retention',
): Promise<void> {
  const changed = changes.filter((change) => !sameValue(change.old, change.new));
  if (changed.length === 0) return;
  const entries = changed.map((change) => {
    const json = valuesJson(change.old, change.new);
    return {
      fieldKey: change.field.key,
      change: change.new == null ? (cause ?? 'cleared') : ('set' as HistoryChange),
      json,
      seal: isBundled(change.field.sensitivity) ? (row: HistoryRow) => encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(json, 'utf8'), historyPlace(row)) : null,
    };
  });
  await insertHistoryRows(trx, await historyRows(trx, actor, customerId, toDbTime(ctx.clock.now()), entries));
}

/** A field's class changed on a customer who has a value of it: the classes before and after, no value. */
export async function recordReclassified(ctx: GatewayContext, trx: Kysely<DB>, actor: Actor, customerId: string, key: string, from: Sensitivity, to: Sensitivity): Promise<void> {
  const entry = { fieldKey: key, change: 'reclassified' as const, json: valuesJson(from, to), seal: null };
  await insertHistoryRows(trx, await historyRows(trx, actor, customerId, toDbTime(ctx.clock.now()), [entry]));
}

/**
 * Moves a field's history values with its class, in the reclassification's transaction: into
 * ciphertext under each customer's subject key when raised to personal or sensitive, back
 * into JSON when lowered. Between personal and sensitive nothing moves: same key, same place.
 */
export async function moveFieldHistory(ctx: GatewayContext, trx: Kysely<DB>, workspaceId: string, field: { kind: CustomerKind; key: string }, from: Sensitivity, to: Sensitivity): Promise<void> {
  if (isBundled(from) === isBundled(to)) return;
  const stored = isBundled(from) ? 'sealed' : 'plain';
  for (let after: string | null = null; ; ) {
    const rows = await historyValuesOfField(trx, workspaceId, field, stored, after, RECLASSIFY_PAGE);
    for (const row of rows) {
      const subjectKey = await ctx.keyring.subjectKey(trx, workspaceId, row.customer_id);
      // Without a key the customer is being erased: their rows go with them.
      if (!subjectKey) continue;
      await updateHistoryValues(
        trx,
        workspaceId,
        row.id,
        stored === 'sealed'
          ? { values_plain: decryptField(subjectKey, Buffer.from(row.values_sealed!), historyPlace(row)).toString('utf8'), values_sealed: null }
          : { values_plain: null, values_sealed: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(row.values_plain!, 'utf8'), historyPlace(row)) },
      );
    }
    if (rows.length < RECLASSIFY_PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Reading a customer's field history: who changed which field when, old → new — each value
 * shown at the reader's level for that field on this customer now, as the customer's own read
 * shows it (masked, or in clear; sensitive values never in clear). A field the reader may not
 * see is left out altogether, entries and name.
 */
export function customerHistory(ctx: GatewayContext) {
  const { db, audit, keyring, fields, loadRow, relationOf } = ctx;

  /** The names of the users who made these changes (system changes are named by their job). */
  async function actorNames(workspaceId: string, rows: readonly HistoryRow[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(rows.filter((row) => row.actor_type === 'user' && row.actor_id).map((row) => row.actor_id!))) {
      const user = await findUser(db, workspaceId, id);
      if (user) names.set(id, user.display_name);
    }
    return names;
  }

  return {
    async history(actor: Actor, customerId: string, options: { field?: string; cursor?: string; limit: number }): Promise<{ items: HistoryItem[]; fields: string[]; nextCursor: string | null }> {
      const row = await loadRow(actor, customerId, authorizeCustomers(actor, 'read'));
      const kind = row.kind as CustomerKind;
      const registry = await fields.load(actor.workspaceId);
      const relation = await relationOf(actor, row);
      const visible = new Map<string, { field: FieldDefinition; visibility: 'clear' | 'masked' }>();
      for (const field of registry.of(kind)) {
        const visibility = visibilityOf(actor, field, relation);
        if (visibility !== 'hidden') visible.set(field.key, { field, visibility });
      }
      if (options.field !== undefined) {
        const field = registry.find(kind, options.field);
        if (!field) throw badRequest('unknown_field', `There is no field "${options.field}" for a ${kind}.`, 'field');
        if (!visible.has(field.key)) throw new AppError(403, 'field_hidden', `Your role may not see ${field.labels.en}.`, 'field');
      }
      const keys = options.field !== undefined ? [options.field] : [...visible.keys()];
      const rows = await listHistory(db, actor.workspaceId, customerId, { fieldKeys: keys, before: options.cursor ?? null, limit: options.limit + 1 });
      const page = rows.slice(0, options.limit);
      const subjectKey = page.some((each) => each.values_sealed) ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
      const names = await actorNames(actor.workspaceId, page);
      const shown: Record<string, 'clear' | 'masked'> = {};

      const items = page.map((each): HistoryItem => {
        const { field, visibility } = visible.get(each.field_key)!;
        const item: HistoryItem = {
          id: each.id,
          at: isoFromDb(each.at)!,
          field: each.field_key,
          kind: each.change as HistoryChange,
          actor: { type: each.actor_type === 'user' ? 'user' : 'system', id: each.actor_id, name: each.actor_type === 'user' ? (names.get(each.actor_id ?? '') ?? null) : each.actor_id },
        };
        // A reclassification's entry holds the classes: no customer data.
        if (each.change === 'reclassified') return { ...item, ...fromDbJson<Values>(each.values_plain) };
        const values: Values = each.values_sealed
          ? subjectKey
            ? JSON.parse(decryptField(subjectKey, Buffer.from(each.values_sealed), historyPlace(each)).toString('utf8'))
            : {}
          : (fromDbJson<Values>(each.values_plain) ?? {});
        const show = (value: unknown) => (visibility === 'clear' ? value : maskValue(maskKindOf(field), typeof value === 'string' ? value : JSON.stringify(value)));
        if (values.old !== undefined || values.new !== undefined) shown[field.key] = shown[field.key] === 'clear' ? 'clear' : visibility;
        return { ...item, ...(values.old !== undefined ? { old: show(values.old) } : {}), ...(values.new !== undefined ? { new: show(values.new) } : {}) };
      });

      await audit.recordRead(actor, { action: 'customer.history_viewed', outcome: 'success', metadata: { fields: shown, count: items.length }, object: { type: 'customer', id: customerId } });
      const last = page[page.length - 1];
      return { items, fields: await fieldsWithHistory(db, actor.workspaceId, customerId, [...visible.keys()]), nextCursor: rows.length > options.limit && last ? last.id : null };
    },
  };
}
