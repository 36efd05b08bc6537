import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind, FieldDefinition } from '../../../shared/fields.js';
import type { Relation } from '../../../shared/permissions.js';
import { fromDbBool, fromDbJson, isoFromDb, toDbBool, toDbJson, toDbTime } from '../../db/mapping.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { blindIndex } from '../crypto/blind-index.js';
import { decryptField, encryptField } from '../crypto/field-cipher.js';
import { standardizeValue } from '../field-values.js';
import { authorizeCustomers, authorizeWrite, reaches } from '../policy.js';
import { findCustomer, insertLookupRows, sharedLookupField, updateCustomer, type CustomerRow } from '../store.js';
import { insertContactPoint } from '../activity-store.js';
import {
  PLAIN_CHILD_TABLES,
  addressesOf,
  childIds,
  contactPointsOf,
  deleteContactPoints,
  deleteLookupRows,
  lookupRowsOf,
  findMerge,
  findPair,
  historyOf,
  insertMerge,
  markMergeUndone,
  moveChildRows,
  moveHistoryRow,
  moveSealedRow,
  notesOf,
  recentMerges,
  takeLookupRows,
  resolveCandidate,
  type PlainChildTable,
} from '../duplicate-store.js';
import { RESTORE_WINDOW_MS, SUBJECT_KEY_VERSION, isBundled, rowPlace, tiesOf, type CustomerRecord, type GatewayContext, type StandardValue } from './context.js';
import { writeCustomerValues } from './customer-values.js';
import { customerDuplicates } from './duplicates.js';

export type MergeSide = 'survivor' | 'merged';
export interface MergeInput {
  survivorId: string;
  mergedId: string;
  /** Per field key, whose value the survivor keeps; a field left out keeps the survivor's value, or takes the merged one's when the survivor has none. */
  fields: Record<string, MergeSide>;
}

/** What undoing a merge needs besides the values: the rows moved and the contact points added, by id. */
interface Moved {
  notes: string[];
  contactPoints: { id: string; primary: boolean }[];
  addresses: { id: string; primary: boolean }[];
  history: string[];
  plain: Record<PlainChildTable, string[]>;
  /** Contact points the merge made of values the survivor would otherwise lose (a primary email that differed). */
  added: string[];
  /** Contact-point index rows handed to the survivor that it did not have (base64 tokens, by field). */
  lookups: { field: string; token: string }[];
  /** The survivor's `updated_at` right after the merge: a later one means its values changed since. */
  survivorUpdatedAt: number;
}

type Values = { plain: Record<string, unknown>; personal: Record<string, unknown>; sensitive: Record<string, unknown> };

const notePlace = rowPlace('customer_notes', 'body');
const contactPointPlace = rowPlace('customer_contact_points', 'value');
const addressPlace = rowPlace('customer_addresses', 'value');
const historyPlace = (row: { workspace_id: string; id: string; field_key: string }) => ({ workspaceId: row.workspace_id, table: 'customer_field_history', recordId: row.id, field: row.field_key });
const snapshotPlace = (workspaceId: string, mergeId: string, side: MergeSide) => ({ workspaceId, table: 'customer_merges', recordId: mergeId, field: side });
const CONTACT_FIELDS = ['contact.email', 'contact.phone'];
const PRIMARY_CONTACTS = ['email', 'phone'] as const;
const PROFILE_FIELDS = ['name', 'companyName', 'city', 'email', 'phone', 'nationalId'];

const empty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
/** Whether the role may write the field (a default choice the role may not make is skipped, not refused). */
function mayWrite(actor: Actor, field: FieldDefinition, relation: Relation): boolean {
  try {
    authorizeWrite(actor, field, relation);
    return true;
  } catch {
    return false;
  }
}
const by = (actor: Actor) => (actor.kind === 'user' ? actor.userId : actor.name);

/** Merging two customers into one, field by field, and undoing it within 30 days. */
export function customerMerges(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, phoneRegion, openBundles, present, requireSubjectKey, relationOf } = ctx;

  const valuesOf = (key: Buffer, row: CustomerRow): Values => ({ plain: fromDbJson<Record<string, unknown>>(row.plain_values) ?? {}, ...openBundles(key, row) });
  const valueIn = (values: Values, field: FieldDefinition) => (isBundled(field.sensitivity) ? values[field.sensitivity] : values.plain)[field.key];

  /** A stored value as the standardized input `writeCustomerValues` takes (its blind index recomputed). */
  function restandardize(field: FieldDefinition, value: unknown, region: CountryCode): StandardValue {
    if (empty(value)) return { field, value: null, lookupKey: null };
    return { field, ...standardizeValue(field, value, region) };
  }

  /** Both customers, within the actor's update and delete scopes (404 otherwise, as for one customer). */
  async function loadPair(actor: Actor, survivorId: string, mergedId: string, options: { mergedDeleted: boolean }) {
    const update = authorizeCustomers(actor, 'update');
    const remove = authorizeCustomers(actor, 'delete');
    const survivor = await findCustomer(db, actor.workspaceId, survivorId);
    const merged = await findCustomer(db, actor.workspaceId, mergedId, { deleted: options.mergedDeleted });
    for (const row of [survivor, merged]) {
      if (!row || !reaches(actor, update, tiesOf(row)) || !reaches(actor, remove, tiesOf(row))) throw notFound('customer_not_found', 'No such customer.');
    }
    return { survivor: survivor!, merged: merged! };
  }

  /** The contact index rows of these contact points (sealed under `key`), for `customerId`. */
  async function contactLookupRows(trx: Kysely<DB>, workspaceId: string, customerId: string, points: readonly { workspace_id: string; id: string; type: string; value: Buffer }[], key: Buffer, region: CountryCode) {
    const rows = [];
    for (const point of points) {
      if (point.type !== 'email' && point.type !== 'phone') continue;
      const field = `contact.${point.type}`;
      const value = decryptField(key, Buffer.from(point.value), contactPointPlace(point)).toString('utf8');
      rows.push({ workspace_id: workspaceId, field, token: blindIndex(await keyring.fieldIndexKey(trx, workspaceId, field), lookupKeyOf(point.type, value, region)), customer_id: customerId });
    }
    return rows;
  }

  /** A contact point's value, for comparisons: its index form (emails and phones) or the text. */
  function lookupKeyOf(type: string, value: string, region: CountryCode): string {
    try {
      const field = { key: 'value', kind: 'person', type, labels: { en: type, 'zh-CN': type }, sensitivity: 'personal', required: true, lookup: 'exact', purposes: [], builtIn: true } as FieldDefinition;
      return standardizeValue(field, value, region).lookupKey ?? value;
    } catch {
      return value;
    }
  }

  return {
    /**
     * Makes two customers one: the survivor keeps, per field, the value chosen (re-encrypted under
     * its key, indexed, its history written), gains every row of the merged customer (notes,
     * contact points, addresses — sealed again under its key — transactions, events, cases, field
     * history) and, as further contact points, the emails and phones it would otherwise lose. The
     * merged customer is soft-deleted; the merge record points to the survivor and keeps what
     * undoing needs for 30 days. One transaction, audit event included.
     */
    async merge(actor: Actor, input: MergeInput): Promise<{ mergeId: string; survivor: CustomerRecord }> {
      if (input.survivorId === input.mergedId) throw badRequest('same_customer', 'Choose two different customers.', 'mergedId');
      const { survivor, merged } = await loadPair(actor, input.survivorId, input.mergedId, { mergedDeleted: false });
      if (survivor.kind !== merged.kind) throw badRequest('kind_mismatch', 'A person and a company cannot be merged.', 'mergedId');
      const kind = survivor.kind as CustomerKind;
      const registry = await fields.load(actor.workspaceId);
      for (const key of Object.keys(input.fields)) if (!registry.find(kind, key)) throw badRequest('unknown_field', `There is no field "${key}" for a ${kind}.`, key);
      const region = await phoneRegion(actor.workspaceId);
      const relation = await relationOf(actor, survivor);
      const workspaceId = actor.workspaceId;
      const mergeId = newId();
      const now = toDbTime(clock.now());

      const result = await db.transaction().execute(async (trx) => {
        const survivorKey = await requireSubjectKey(trx, workspaceId, survivor.id);
        const mergedKey = await requireSubjectKey(trx, workspaceId, merged.id);
        const before = valuesOf(survivorKey, survivor);
        const theirs = valuesOf(mergedKey, merged);

        // Field by field: the choice made, or the survivor's value unless it has none.
        const choices: Record<string, MergeSide> = {};
        const changes: StandardValue[] = [];
        for (const field of registry.of(kind)) {
          const mine = valueIn(before, field);
          const other = valueIn(theirs, field);
          if (empty(mine) && empty(other)) continue;
          const side = input.fields[field.key] ?? (empty(mine) ? 'merged' : 'survivor');
          choices[field.key] = side;
          if (side === 'survivor' || same(mine, other)) continue;
          // Taking the merged customer's value writes the survivor's field: the role must allow it.
          if (input.fields[field.key]) authorizeWrite(actor, field, relation);
          else if (!mayWrite(actor, field, relation)) continue;
          changes.push(restandardize(field, other, region));
        }

        // The merged customer leaves first: its unique values (an external ID) may pass to the survivor.
        await updateCustomer(trx, workspaceId, merged.id, { deleted_at: now });
        if (changes.length > 0) await writeCustomerValues(ctx, trx, actor, survivor.id, changes);

        const moved: Moved = { notes: [], contactPoints: [], addresses: [], history: [], plain: { customer_transactions: [], customer_events: [], support_cases: [] }, added: [], lookups: [], survivorUpdatedAt: 0 };
        const reseal = (sealed: Buffer, place: ReturnType<typeof notePlace>) => encryptField(survivorKey, SUBJECT_KEY_VERSION, decryptField(mergedKey, Buffer.from(sealed), place), place);
        for (const note of await notesOf(trx, workspaceId, merged.id)) {
          await moveSealedRow(trx, 'customer_notes', workspaceId, note.id, survivor.id, reseal(note.body, notePlace(note)));
          moved.notes.push(note.id);
        }
        const survivorPoints = await contactPointsOf(trx, workspaceId, survivor.id);
        for (const point of await contactPointsOf(trx, workspaceId, merged.id)) {
          // A messaging app's primary handle stays the survivor's when it has one.
          const primary = fromDbBool(point.is_primary) && !survivorPoints.some((p) => p.type === point.type && p.channel === point.channel && fromDbBool(p.is_primary));
          await moveSealedRow(trx, 'customer_contact_points', workspaceId, point.id, survivor.id, reseal(point.value, contactPointPlace(point)), { is_primary: toDbBool(primary) });
          moved.contactPoints.push({ id: point.id, primary: fromDbBool(point.is_primary) });
        }
        const survivorHasPrimaryAddress = (await addressesOf(trx, workspaceId, survivor.id)).some((a) => fromDbBool(a.is_primary));
        for (const address of await addressesOf(trx, workspaceId, merged.id)) {
          const primary = fromDbBool(address.is_primary) && !survivorHasPrimaryAddress;
          await moveSealedRow(trx, 'customer_addresses', workspaceId, address.id, survivor.id, reseal(address.value, addressPlace(address)), { is_primary: toDbBool(primary) });
          moved.addresses.push({ id: address.id, primary: fromDbBool(address.is_primary) });
        }
        for (const entry of await historyOf(trx, workspaceId, merged.id)) {
          await moveHistoryRow(trx, workspaceId, entry.id, survivor.id, entry.values_sealed ? reseal(entry.values_sealed, historyPlace(entry)) : null);
          moved.history.push(entry.id);
        }
        for (const table of PLAIN_CHILD_TABLES) {
          const ids = await childIds(trx, table, workspaceId, merged.id);
          await moveChildRows(trx, table, workspaceId, ids, merged.id, survivor.id);
          moved.plain[table] = ids;
        }
        // Contact points' index rows follow them; those the survivor already had stay its own.
        const had = new Set((await lookupRowsOf(trx, workspaceId, survivor.id, CONTACT_FIELDS)).map((r) => `${r.field}|${r.token.toString('base64')}`));
        const handed = (await takeLookupRows(trx, workspaceId, CONTACT_FIELDS, merged.id)).filter((r) => !had.has(`${r.field}|${r.token.toString('base64')}`));
        await insertLookupRows(trx, handed.map((r) => ({ workspace_id: workspaceId, field: r.field, token: r.token, customer_id: survivor.id })));
        moved.lookups = handed.map((r) => ({ field: r.field, token: r.token.toString('base64') }));

        // Every email and phone either customer had stays reachable: a primary not kept becomes a contact point.
        const written = (await findCustomer(trx, workspaceId, survivor.id))!;
        moved.survivorUpdatedAt = Number(written.updated_at);
        const after = valuesOf(survivorKey, written);
        const points = await contactPointsOf(trx, workspaceId, survivor.id);
        for (const type of PRIMARY_CONTACTS) {
          const field = registry.find(kind, type);
          if (!field) continue;
          const known = new Set<string>(points.filter((p) => p.type === type).map((p) => lookupKeyOf(type, decryptField(survivorKey, Buffer.from(p.value), contactPointPlace(p)).toString('utf8'), region)));
          const kept = valueIn(after, field);
          if (typeof kept === 'string') known.add(lookupKeyOf(type, kept, region));
          for (const value of [valueIn(before, field), valueIn(theirs, field)]) {
            if (typeof value !== 'string' || known.has(lookupKeyOf(type, value, region))) continue;
            known.add(lookupKeyOf(type, value, region));
            const base = { workspace_id: workspaceId, id: newId(), customer_id: survivor.id };
            await insertContactPoint(trx, { ...base, type, channel: null, label: null, value: encryptField(survivorKey, SUBJECT_KEY_VERSION, Buffer.from(value, 'utf8'), contactPointPlace(base)), is_primary: toDbBool(false), created_at: now });
            const indexField = `contact.${type}`;
            const token = blindIndex(await keyring.fieldIndexKey(trx, workspaceId, indexField), lookupKeyOf(type, value, region));
            if (!had.has(`${indexField}|${token.toString('base64')}`) && !handed.some((r) => r.field === indexField && r.token.equals(token))) {
              await insertLookupRows(trx, [{ workspace_id: workspaceId, field: indexField, token, customer_id: survivor.id }]);
              moved.lookups.push({ field: indexField, token: token.toString('base64') });
            }
            moved.added.push(base.id);
          }
        }

        // The survivor's blocks follow its new values; it may now look like a third customer.
        const profile = registry.of(kind).filter((field) => PROFILE_FIELDS.includes(field.key) && !empty(valueIn(after, field)));
        const values = profile.flatMap((field) => {
          try {
            return [restandardize(field, valueIn(after, field), region)];
          } catch {
            return []; // A value kept from before a stricter rule identifies nothing.
          }
        });
        await customerDuplicates(ctx).flagDuplicates(trx, actor, [{ id: survivor.id, values }], { registry, region });

        await insertMerge(trx, {
          workspace_id: workspaceId,
          id: mergeId,
          survivor_id: survivor.id,
          merged_id: merged.id,
          fields: toDbJson(choices),
          survivor_snapshot: encryptField(survivorKey, SUBJECT_KEY_VERSION, Buffer.from(JSON.stringify(before), 'utf8'), snapshotPlace(workspaceId, mergeId, 'survivor')),
          merged_snapshot: encryptField(mergedKey, SUBJECT_KEY_VERSION, Buffer.from(JSON.stringify(theirs), 'utf8'), snapshotPlace(workspaceId, mergeId, 'merged')),
          moved: toDbJson(moved),
          created_by: by(actor),
          created_at: now,
          undone_at: null,
          undone_by: null,
        });
        const candidate = await findPair(trx, workspaceId, survivor.id, merged.id);
        if (candidate) await resolveCandidate(trx, workspaceId, candidate.id, { status: 'merged', resolved_by: by(actor), resolved_at: now });
        await audit.record(
          actor,
          {
            action: 'customer.merged',
            outcome: 'success',
            metadata: { customerIds: [survivor.id, merged.id], survivorId: survivor.id, mergedId: merged.id, mergeId, fields: choices },
            object: { type: 'customer', id: survivor.id },
          },
          trx,
        );
        return (await findCustomer(trx, workspaceId, survivor.id))!;
      });
      return { mergeId, survivor: (await present(actor, result, undefined, relation)).record };
    },

    /**
     * Undoes a merge made less than 30 days ago: both customers get their values back as they
     * were, the merged customer is live again and takes back every row the merge moved (sealed
     * again under its own key); contact points the merge added go. Rows deleted since stay
     * deleted; rows added to the survivor since stay with it. Refused (409) when the survivor's
     * values changed after the merge (undoing would silently drop that change), when either
     * customer was erased or deleted, or when another customer has since taken one of the
     * merged customer's unique values.
     */
    async unmerge(actor: Actor, mergeId: string): Promise<{ survivor: CustomerRecord; merged: CustomerRecord }> {
      const update = authorizeCustomers(actor, 'update');
      const remove = authorizeCustomers(actor, 'delete');
      const record = await findMerge(db, actor.workspaceId, mergeId);
      if (!record || record.undone_at !== null) throw notFound('merge_not_found', 'No such merge to undo.');
      if (clock.now().getTime() - Number(record.created_at) > RESTORE_WINDOW_MS) throw conflict('undo_expired', 'A merge can be undone for 30 days only.');
      const survivor = (await findCustomer(db, actor.workspaceId, record.survivor_id)) ?? (await findCustomer(db, actor.workspaceId, record.survivor_id, { deleted: true }));
      const merged = (await findCustomer(db, actor.workspaceId, record.merged_id, { deleted: true })) ?? (await findCustomer(db, actor.workspaceId, record.merged_id));
      if (!survivor || !merged) throw conflict('undo_blocked', 'One of the two customers was erased since the merge.');
      if (![survivor, merged].every((row) => reaches(actor, update, tiesOf(row)) && reaches(actor, remove, tiesOf(row)))) throw notFound('merge_not_found', 'No such merge to undo.');
      if (survivor.deleted_at !== null) throw conflict('undo_blocked', 'The surviving customer was deleted after the merge: restore it first.');
      if (merged.deleted_at === null) throw conflict('undo_blocked', 'The merged customer was restored already.');
      const moved = fromDbJson<Moved>(record.moved)!;
      if (Number(survivor.updated_at) !== moved.survivorUpdatedAt) throw conflict('undo_blocked', 'The surviving customer was changed after the merge: undoing would lose that change.');
      const workspaceId = actor.workspaceId;
      const registry = await fields.load(workspaceId);
      const kind = survivor.kind as CustomerKind;
      const region = await phoneRegion(workspaceId);
      const now = toDbTime(clock.now());

      await db.transaction().execute(async (trx) => {
        const survivorKey = await requireSubjectKey(trx, workspaceId, survivor.id);
        const mergedKey = await keyring.subjectKey(trx, workspaceId, merged.id);
        if (!mergedKey) throw conflict('undo_blocked', 'The merged customer was erased since the merge.');
        const before = JSON.parse(decryptField(survivorKey, Buffer.from(record.survivor_snapshot), snapshotPlace(workspaceId, mergeId, 'survivor')).toString('utf8')) as Values;
        const current = valuesOf(survivorKey, survivor);
        const changes = registry
          .of(kind)
          .filter((field) => !same(valueIn(current, field), valueIn(before, field)))
          .map((field) => restandardize(field, valueIn(before, field), region));
        if (changes.length > 0) await writeCustomerValues(ctx, trx, actor, survivor.id, changes, { keepUpdatedAt: false });

        await deleteContactPoints(trx, workspaceId, moved.added);
        await deleteLookupRows(trx, workspaceId, survivor.id, moved.lookups.map((l) => ({ field: l.field, token: Buffer.from(l.token, 'base64') })));
        // The merged customer's own contact index rows came back with its contact points (added ones were the survivor's values).
        const added = new Set(moved.added);
        const returning = await contactPointsOf(trx, workspaceId, survivor.id, moved.contactPoints.map((p) => p.id));
        await insertLookupRows(trx, await contactLookupRows(trx, workspaceId, merged.id, returning.filter((p) => !added.has(p.id)), survivorKey, region));
        const reseal = (sealed: Buffer, place: ReturnType<typeof notePlace>) => encryptField(mergedKey, SUBJECT_KEY_VERSION, decryptField(survivorKey, Buffer.from(sealed), place), place);
        for (const note of await notesOf(trx, workspaceId, survivor.id, moved.notes)) await moveSealedRow(trx, 'customer_notes', workspaceId, note.id, merged.id, reseal(note.body, notePlace(note)));
        const pointPrimary = new Map(moved.contactPoints.map((p) => [p.id, p.primary]));
        for (const point of await contactPointsOf(trx, workspaceId, survivor.id, [...pointPrimary.keys()])) {
          await moveSealedRow(trx, 'customer_contact_points', workspaceId, point.id, merged.id, reseal(point.value, contactPointPlace(point)), { is_primary: toDbBool(pointPrimary.get(point.id)!) });
        }
        const addressPrimary = new Map(moved.addresses.map((a) => [a.id, a.primary]));
        for (const address of await addressesOf(trx, workspaceId, survivor.id, [...addressPrimary.keys()])) {
          await moveSealedRow(trx, 'customer_addresses', workspaceId, address.id, merged.id, reseal(address.value, addressPlace(address)), { is_primary: toDbBool(addressPrimary.get(address.id)!) });
        }
        for (const entry of await historyOf(trx, workspaceId, survivor.id, moved.history)) {
          await moveHistoryRow(trx, workspaceId, entry.id, merged.id, entry.values_sealed ? reseal(entry.values_sealed, historyPlace(entry)) : null);
        }
        for (const table of PLAIN_CHILD_TABLES) await moveChildRows(trx, table, workspaceId, moved.plain[table], survivor.id, merged.id);

        // While merged, another customer may have taken one of its unique values.
        const unique = registry.of(kind).filter((f) => f.unique);
        const taken = await sharedLookupField(trx, workspaceId, merged.id, unique.map((f) => `${f.kind}.${f.key}`));
        if (taken) throw conflict('undo_blocked', `${unique.find((f) => `${f.kind}.${f.key}` === taken)!.labels.en}: another customer has the merged customer's value now.`, taken);
        await updateCustomer(trx, workspaceId, merged.id, { deleted_at: null });
        const candidate = await findPair(trx, workspaceId, survivor.id, merged.id);
        if (candidate) await resolveCandidate(trx, workspaceId, candidate.id, { status: 'open', resolved_by: null, resolved_at: null });
        await markMergeUndone(trx, workspaceId, mergeId, now, by(actor));
        await audit.record(
          actor,
          { action: 'customer.unmerged', outcome: 'success', metadata: { customerIds: [survivor.id, merged.id], survivorId: survivor.id, mergedId: merged.id, mergeId }, object: { type: 'customer', id: survivor.id } },
          trx,
        );
      });
      const [s, m] = await Promise.all([findCustomer(db, workspaceId, survivor.id), findCustomer(db, workspaceId, merged.id)]);
      return { survivor: (await present(actor, s!)).record, merged: (await present(actor, m!)).record };
    },

    /** Merges of the last 30 days not undone, newest first, whose customers the actor may both update and delete. */
    async recentMerges(actor: Actor, limit = 50): Promise<{ items: { id: string; createdAt: string; fields: Record<string, MergeSide>; survivor: CustomerRecord; merged: CustomerRecord }[] }> {
      const update = authorizeCustomers(actor, 'update');
      const remove = authorizeCustomers(actor, 'delete');
      const rows = await recentMerges(db, actor.workspaceId, clock.now().getTime() - RESTORE_WINDOW_MS, limit);
      const items = [];
      for (const row of rows) {
        const survivor = await findCustomer(db, actor.workspaceId, row.survivor_id);
        const merged = await findCustomer(db, actor.workspaceId, row.merged_id, { deleted: true });
        if (!survivor || !merged || ![survivor, merged].every((r) => reaches(actor, update, tiesOf(r)) && reaches(actor, remove, tiesOf(r)))) continue;
        items.push({ id: row.id, createdAt: isoFromDb(row.created_at)!, fields: fromDbJson<Record<string, MergeSide>>(row.fields) ?? {}, survivor: (await present(actor, survivor)).record, merged: (await present(actor, merged)).record });
      }
      await audit.recordRead(actor, { action: 'duplicates.listed', outcome: 'success', metadata: { customerIds: items.flatMap((i) => [i.survivor.id, i.merged.id]), count: items.length } });
      return { items };
    },
  };
}

