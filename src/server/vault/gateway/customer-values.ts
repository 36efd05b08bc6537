import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import { fromDbJson, toDbJson, toDbTime } from '../../db/mapping.js';
import type { FieldDefinition } from '../../../shared/fields.js';
import { conflict, notFound } from '../../http/errors.js';
import { blindIndex } from '../crypto/blind-index.js';
import { deleteLookupTokens, findCustomer, insertLookupRows, updateCustomer, type CustomerRow } from '../store.js';
import { tokenHolders } from '../import-store.js';
import { isBundled, type GatewayContext, type StandardValue } from './context.js';
import { recordFieldChanges } from './history.js';

/**
 * Sets standardized values of a customer (null clears) inside the caller's transaction, so a
 * change elsewhere (the primary address, a contact point made primary) and the customer fields
 * that follow it commit together: the row is read again in the transaction, its bundles
 * re-sealed, the blind indexes of the changed fields rewritten, and the field history written.
 */
export async function writeCustomerValues(
  ctx: GatewayContext,
  trx: Kysely<DB>,
  /** Who changes them, in their workspace: the field history names them. */
  actor: Actor,
  customerId: string,
  changes: readonly StandardValue[],
  /** Housekeeping (the retention job) leaves the time of the customer's last real change alone, and says so in the history. */
  options: { keepUpdatedAt?: boolean; change?: 'retention' } = {},
): Promise<CustomerRow> {
  const workspaceId = actor.workspaceId;
  const row = await findCustomer(trx, workspaceId, customerId);
  if (!row) throw notFound('customer_not_found', 'No such customer.');
  const subjectKey = await ctx.requireSubjectKey(trx, workspaceId, customerId);
  const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
  const bundled = ctx.openBundles(subjectKey, row);
  const before = changes.map(({ field }) => (isBundled(field.sensitivity) ? bundled[field.sensitivity] : plain)[field.key]);
  for (const { field, value } of changes) {
    const target = isBundled(field.sensitivity) ? bundled[field.sensitivity] : plain;
    if (value === null) delete target[field.key];
    else target[field.key] = value;
  }
  const [clash] = await uniqueClashes(ctx, trx, workspaceId, [{ id: customerId, values: changes }]);
  if (clash) throw duplicateValue(clash);
  const next = {
    plain_values: toDbJson(plain),
    personal_values: ctx.sealBundle(subjectKey, workspaceId, customerId, 'personal', bundled.personal),
    sensitive_values: ctx.sealBundle(subjectKey, workspaceId, customerId, 'sensitive', bundled.sensitive),
    updated_at: options.keepUpdatedAt ? row.updated_at : toDbTime(ctx.clock.now()),
  };
  await updateCustomer(trx, workspaceId, customerId, next);
  await recordFieldChanges(ctx, trx, actor, customerId, subjectKey, changes.map((c, i) => ({ field: c.field, old: before[i], new: c.value })), options.change);
  for (const change of changes.filter((c) => c.field.lookup !== 'none')) {
    await deleteLookupTokens(trx, workspaceId, customerId, `${change.field.kind}.${change.field.key}`);
    if (change.value === null) continue;
    const tokens = await ctx.lookupTokens(trx, workspaceId, change.field, change.value, change.lookupKey);
    await insertLookupRows(trx, tokens.map((token) => ({ workspace_id: workspaceId, customer_id: customerId, ...token })));
  }
  return { ...row, ...next };
}

export const duplicateValue = (field: FieldDefinition) => conflict('duplicate_value', `${field.labels.en}: another customer already has this value.`, field.key);

/**
 * Per customer, the first value of a unique field that another live customer — or an earlier
 * customer of the same batch — already has (null when none). Unique fields are exact-lookup
 * fields, so this is a blind-index probe: one query for the whole batch, whatever its size. Run
 * it in the writing transaction.
 */
export async function uniqueClashes(
  ctx: GatewayContext,
  trx: Kysely<DB>,
  workspaceId: string,
  customers: readonly { id: string; values: readonly StandardValue[] }[],
): Promise<(FieldDefinition | null)[]> {
  const uniqueOf = (customer: { values: readonly StandardValue[] }) => customer.values.filter((v) => v.field.unique && v.value !== null && v.lookupKey);
  const tokens = new Map<string, Buffer>();
  const tokenKey = (field: FieldDefinition, lookupKey: string) => `${field.kind}.${field.key}\u0000${lookupKey}`;
  for (const { field, lookupKey } of customers.flatMap(uniqueOf)) {
    const key = tokenKey(field, lookupKey!);
    if (!tokens.has(key)) tokens.set(key, blindIndex(await ctx.keyring.fieldIndexKey(trx, workspaceId, `${field.kind}.${field.key}`), lookupKey!));
  }
  const fields = [...new Set([...tokens.keys()].map((key) => key.slice(0, key.indexOf('\u0000'))))];
  const held = new Map<string, string[]>();
  for (const holder of await tokenHolders(trx, workspaceId, fields, [...tokens.values()])) {
    const key = `${holder.field}\u0000${holder.token.toString('base64')}`;
    held.set(key, [...(held.get(key) ?? []), holder.customer_id]);
  }
  const holdersOf = (field: FieldDefinition, lookupKey: string) => held.get(`${field.kind}.${field.key}\u0000${tokens.get(tokenKey(field, lookupKey))!.toString('base64')}`) ?? [];

  const claimed = new Map<string, string>();
  return customers.map((customer) => {
    const unique = uniqueOf(customer);
    const clash = unique.find(({ field, lookupKey }) => {
      const earlier = claimed.get(tokenKey(field, lookupKey!));
      return (earlier !== undefined && earlier !== customer.id) || holdersOf(field, lookupKey!).some((id) => id !== customer.id);
    });
    if (!clash) for (const { field, lookupKey } of unique) claimed.set(tokenKey(field, lookupKey!), customer.id);
    return clash?.field ?? null;
  });
}
