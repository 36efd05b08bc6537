import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind, FieldDefinition } from '../../../shared/fields.js';
import { fromDbBool, toDbBool, toDbTime } from '../../db/mapping.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { blindIndex } from '../crypto/blind-index.js';
import { decryptField, encryptField } from '../crypto/field-cipher.js';
import { standardizeValue } from '../field-values.js';
import { authorize, authorizeWrite, visibilityOf } from '../policy.js';
import { maskValue } from '../standardize/index.js';
import { deleteLookupToken, findCustomer, insertLookupRows } from '../store.js';
import { deleteContactPoint, insertContactPoint, listContactPoints, updateContactPoint, type ContactPointRow } from '../activity-store.js';
import { SUBJECT_KEY_VERSION, rowPlace, type Bundle, type GatewayContext } from './context.js';
import { writeCustomerValues } from './customer-values.js';

export const CONTACT_POINT_TYPES = ['email', 'phone', 'im'] as const;
export const IM_CHANNELS = ['wechat', 'whatsapp', 'qq', 'line', 'telegram', 'skype', 'dingtalk', 'other'] as const;
export interface ContactPointInput {
  type: (typeof CONTACT_POINT_TYPES)[number];
  channel?: (typeof IM_CHANNELS)[number];
  label?: string;
  value: string;
}

/** Field definitions a contact point's value is checked, indexed and masked as. */
const contactFieldOf = (type: 'email' | 'phone' | 'im'): FieldDefinition => ({
  key: type,
  kind: 'person',
  type: type === 'im' ? 'text' : type,
  labels: { en: type === 'im' ? 'Handle' : type === 'email' ? 'Email' : 'Phone', 'zh-CN': type === 'im' ? '账号' : type === 'email' ? '邮箱' : '电话' },
  sensitivity: 'personal',
  required: true,
  lookup: type === 'im' ? 'none' : 'exact',
  purposes: ['customer_relationship'],
  builtIn: true,
});
export const CONTACT_LOOKUP_FIELDS: Record<string, FieldDefinition> = { email: { ...contactFieldOf('email'), key: 'contact.email' }, phone: { ...contactFieldOf('phone'), key: 'contact.phone' } };
/** The blind-index field name: kind.key for customer fields, the key itself for contact points. */
export const indexFieldOf = (field: FieldDefinition) => (field.key.startsWith('contact.') ? field.key : `${field.kind}.${field.key}`);
const contactPointPlace = rowPlace('customer_contact_points', 'value');

/** A customer's further emails, phones and messaging handles. */
export function customerContactPoints(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, phoneRegion, openBundles, loadRow, requireSubjectKey, relationOf } = ctx;

  async function contactPoints(actor: Actor, customerId: string) {
    const customer = await loadRow(actor, customerId, authorize(actor, 'contact_points', 'read'));
    const relation = await relationOf(actor, customer);
    const rows = await listContactPoints(db, actor.workspaceId, customerId);
    const subjectKey = rows.length ? await keyring.subjectKey(db, actor.workspaceId, customerId) : null;
    const items = rows.flatMap((row) => {
      // A further phone is shown as the customer's phone field is (a support agent's open case included).
      const visibility = visibilityOf(actor, { kind: customer.kind as CustomerKind, key: row.type, sensitivity: 'personal' }, relation);
      if (visibility === 'hidden') return [];
      const clear = subjectKey ? decryptField(subjectKey, Buffer.from(row.value), contactPointPlace(row)).toString('utf8') : '';
      const shown = visibility === 'clear' ? clear : maskValue(row.type === 'email' ? 'email' : row.type === 'phone' ? 'phone' : 'text', clear);
      return [{ id: row.id, type: row.type, channel: row.channel, label: row.label, value: shown, primary: fromDbBool(row.is_primary) }];
    });
    await audit.record(actor, { action: 'customer.activity_viewed', outcome: 'success', metadata: { what: 'contact_points', count: items.length }, object: { type: 'customer', id: customerId } });
    return { items };
  }

  /**
   * Swaps an email or phone contact point with the customer's primary one, in the caller's
   * transaction: the customer field takes the contact point's value, and the contact point —
   * same entry, label dropped, since it named the value that left — takes the old primary
   * (or goes, when there was none). Both blind indexes follow: `person.<type>` has the new
   * primary, `contact.<type>` the further values.
   */
  async function swapWithPrimary(trx: Kysely<DB>, actor: Actor, customerId: string, kind: CustomerKind, rows: ContactPointRow[], target: ContactPointRow) {
    const type = target.type as 'email' | 'phone';
    const field = (await fields.load(actor.workspaceId)).find(kind, type);
    if (!field) throw conflict('no_primary_field', `A ${kind} has no primary ${type}.`);
    const customer = await findCustomer(trx, actor.workspaceId, customerId);
    if (!customer) throw notFound('customer_not_found', 'No such customer.');
    // The swap rewrites the customer's own email or phone: the role must be allowed to write it.
    authorizeWrite(actor, field, await relationOf(actor, customer));
    const subjectKey = await requireSubjectKey(trx, actor.workspaceId, customerId);
    const valueOf = (row: ContactPointRow) => decryptField(subjectKey, Buffer.from(row.value), contactPointPlace(row)).toString('utf8');
    const region = await phoneRegion(actor.workspaceId);
    const asContact = { ...contactFieldOf(type), key: 'value' };
    const promoted = valueOf(target);
    const bundle = field.sensitivity as Bundle; // the built-in email and phone are personal
    const demoted = openBundles(subjectKey, customer, new Set([bundle]))[bundle][field.key];

    await writeCustomerValues(ctx, trx, actor, customerId, [{ field, ...standardizeValue(field, promoted, region) }]);
    const lookupField = CONTACT_LOOKUP_FIELDS[type]!;
    const indexKey = await keyring.fieldIndexKey(trx, actor.workspaceId, lookupField.key);
    const lookupKeyOf = (value: string) => standardizeValue(asContact, value, region).lookupKey!;
    const token = (value: string) => ({ workspace_id: actor.workspaceId, field: lookupField.key, token: blindIndex(indexKey, lookupKeyOf(value)), customer_id: customerId });
    await deleteContactPoint(trx, actor.workspaceId, target.id);
    // Another contact point with the same value keeps the contact index row.
    const shared = rows.some((row) => row.id !== target.id && row.type === type && lookupKeyOf(valueOf(row)) === lookupKeyOf(promoted));
    if (!shared) await deleteLookupToken(trx, token(promoted));
    if (typeof demoted !== 'string') return;
    const demotedValue = String(standardizeValue(asContact, demoted, region).value);
    await insertContactPoint(trx, { ...target, label: null, value: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(demotedValue, 'utf8'), contactPointPlace(target)), is_primary: toDbBool(false) });
    await insertLookupRows(trx, [token(demotedValue)]);
  }

  return {
    /** A further email, phone or messaging handle: standardized, encrypted, and (emails, phones) findable by lookup. */
    async addContactPoint(actor: Actor, customerId: string, input: ContactPointInput) {
      await loadRow(actor, customerId, authorize(actor, 'contact_points', 'create'));
      if (input.type === 'im' && !input.channel) throw badRequest('channel_required', 'Say which messaging app the handle is for.', 'channel');
      const field = contactFieldOf(input.type);
      const { value, lookupKey } = standardizeValue({ ...field, key: 'value' }, input.value, await phoneRegion(actor.workspaceId));
      const subjectKey = await requireSubjectKey(db, actor.workspaceId, customerId);
      const existing = await listContactPoints(db, actor.workspaceId, customerId);
      const base = { workspace_id: actor.workspaceId, id: newId(), customer_id: customerId };
      const row: ContactPointRow = {
        ...base,
        type: input.type,
        channel: input.type === 'im' ? input.channel! : null,
        label: input.label?.trim() || null,
        value: encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(String(value), 'utf8'), contactPointPlace(base)),
        // The first handle of a messaging app is its primary one; emails and phones have theirs on the customer.
        is_primary: toDbBool(input.type === 'im' && !existing.some((cp) => cp.type === 'im' && cp.channel === input.channel)),
        created_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await insertContactPoint(trx, row);
        const lookupField = CONTACT_LOOKUP_FIELDS[input.type];
        if (lookupField && lookupKey) {
          const indexKey = await keyring.fieldIndexKey(trx, actor.workspaceId, lookupField.key);
          await insertLookupRows(trx, [{ workspace_id: actor.workspaceId, field: lookupField.key, token: blindIndex(indexKey, lookupKey), customer_id: customerId }]);
        }
        await audit.record(actor, { action: 'contact_point.added', outcome: 'success', metadata: { customerId, type: input.type }, object: { type: 'contact_point', id: row.id } }, trx);
      });
      return { id: row.id, type: row.type, channel: row.channel, label: row.label, value: String(value), primary: fromDbBool(row.is_primary) };
    },

    contactPoints,

    /** Removes a contact point; its lookup row goes too unless another contact point has the same value. */
    async removeContactPoint(actor: Actor, customerId: string, contactPointId: string): Promise<void> {
      await loadRow(actor, customerId, authorize(actor, 'contact_points', 'delete'));
      const rows = await listContactPoints(db, actor.workspaceId, customerId);
      const target = rows.find((row) => row.id === contactPointId);
      if (!target) throw notFound('contact_point_not_found', 'No such contact point.');
      const subjectKey = await keyring.subjectKey(db, actor.workspaceId, customerId);
      const valueOf = (row: ContactPointRow) => (subjectKey ? decryptField(subjectKey, Buffer.from(row.value), contactPointPlace(row)).toString('utf8') : '');
      const lookupField = CONTACT_LOOKUP_FIELDS[target.type];
      await db.transaction().execute(async (trx) => {
        await deleteContactPoint(trx, actor.workspaceId, contactPointId);
        if (lookupField) {
          const value = valueOf(target);
          const shared = rows.some((row) => row.id !== target.id && row.type === target.type && valueOf(row) === value);
          if (!shared) {
            const { lookupKey } = standardizeValue({ ...contactFieldOf(target.type as 'email' | 'phone'), key: 'value' }, value, await phoneRegion(actor.workspaceId));
            const indexKey = await keyring.fieldIndexKey(trx, actor.workspaceId, lookupField.key);
            await deleteLookupToken(trx, { workspace_id: actor.workspaceId, field: lookupField.key, token: blindIndex(indexKey, lookupKey!), customer_id: customerId });
          }
        }
        await audit.record(actor, { action: 'contact_point.removed', outcome: 'success', metadata: { customerId, type: target.type }, object: { type: 'contact_point', id: contactPointId } }, trx);
      });
    },

    /**
     * Makes a contact point the primary one: an email or phone swaps with the customer's
     * primary email or phone; a messaging handle becomes the primary one of its app. Returns
     * the contact points as they are now.
     */
    async makeContactPointPrimary(actor: Actor, customerId: string, contactPointId: string) {
      const customer = await loadRow(actor, customerId, authorize(actor, 'contact_points', 'update'));
      await db.transaction().execute(async (trx) => {
        const rows = await listContactPoints(trx, actor.workspaceId, customerId);
        const target = rows.find((row) => row.id === contactPointId);
        if (!target) throw notFound('contact_point_not_found', 'No such contact point.');
        if (target.type === 'im') {
          for (const row of rows.filter((cp) => cp.type === 'im' && cp.channel === target.channel)) {
            const primary = row.id === target.id;
            if (fromDbBool(row.is_primary) !== primary) await updateContactPoint(trx, { ...row, is_primary: toDbBool(primary) });
          }
        } else {
          await swapWithPrimary(trx, actor, customerId, customer.kind as CustomerKind, rows, target);
        }
        await audit.record(actor, { action: 'contact_point.made_primary', outcome: 'success', metadata: { customerId, type: target.type }, object: { type: 'contact_point', id: contactPointId } }, trx);
      });
      return contactPoints(actor, customerId);
    },
  };
}
