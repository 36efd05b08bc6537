import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import { authorizeCapability } from '../../auth/context.js';
import { objectEventSeqs } from '../../audit/object-index.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind } from '../../../shared/fields.js';
import { fromDbJson } from '../../db/mapping.js';
import { conflict, notFound } from '../../http/errors.js';
import type { KeyProvider } from '../../keys/key-provider.js';
import { createKeyring } from '../keyring.js';
import { authorizeCustomers, authorizeWrite, reaches } from '../policy.js';
import { findCustomer, type CustomerRow } from '../store.js';
import { writeCustomerValues } from './customer-values.js';
import { tiesOf, type GatewayContext, type StandardValue } from './context.js';

/** A backup restored into a temporary database, and the master key it was sealed under. */
export interface BackupSource {
  db: Kysely<DB>;
  keys: KeyProvider;
  /** When the backup was made (its manifest), for the audit event. */
  createdAt: string;
}

/** A customer of a recovery: the fields whose values differ from the backup's (and were set back, unless a dry run). */
export interface RecoveredCustomer {
  id: string;
  fields: string[];
}

export const MAX_RECOVER_BATCH = 500;

/** Every value a customer row holds, plain and sealed, by field key: where a field sat in the backup may differ from today's class. */
function valuesOf(ctx: GatewayContext, subjectKey: Buffer, row: CustomerRow): Record<string, unknown> {
  const bundles = ctx.openBundles(subjectKey, row);
  return { ...(fromDbJson<Record<string, unknown>>(row.plain_values) ?? {}), ...bundles.personal, ...bundles.sensitive };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Recovery of single customers from a backup (issue 6, item 5): a customer's field values are
 * set back to what the backup held, through the same write as an edit (standardized, re-sealed,
 * re-indexed, field history), to undo a bad bulk edit. Only customers that still live here: a
 * soft-deleted one is restored first (`restore`), and an erased one never comes back — its
 * erasure was a promise, and the backup still holds its key.
 */
export function customerRecovery(ctx: GatewayContext) {
  const { db, audit, fields } = ctx;

  /** The live customer to recover, in the actor's scope, or why not (404 when out of scope: existence does not leak). */
  async function liveRow(actor: Actor, scope: ReturnType<typeof authorizeCustomers>, source: BackupSource, id: string): Promise<CustomerRow> {
    const live = await findCustomer(db, actor.workspaceId, id);
    if (live) {
      if (!reaches(actor, scope, tiesOf(live))) throw notFound('customer_not_found', 'No such customer.');
      return live;
    }
    const deleted = await findCustomer(db, actor.workspaceId, id, { deleted: true });
    const known = deleted ?? (await findCustomer(source.db, actor.workspaceId, id)) ?? (await findCustomer(source.db, actor.workspaceId, id, { deleted: true }));
    if (!known || !reaches(actor, scope, tiesOf(known))) throw notFound('customer_not_found', 'No such customer.');
    if (deleted) throw conflict('customer_deleted', 'This customer is deleted: restore them first, then recover their values.');
    const erased = await db
      .selectFrom('audit_events')
      .select('seq')
      .where('workspace_id', '=', actor.workspaceId)
      .where('action', '=', 'customer.erased')
      .where('seq', 'in', objectEventSeqs(db, actor.workspaceId, id))
      .executeTakeFirst();
    if (erased) throw conflict('customer_erased', 'This customer was erased: their data does not come back from a backup.');
    throw notFound('customer_not_found', 'No such customer.');
  }

  return {
    /**
     * Sets the given customers' fields back to the backup's values, all in one transaction with
     * a `customer.recovered` event each; a dry run only says which fields would change. Every
     * customer is checked before anything is written: one refusal refuses the whole request.
     */
    async recoverCustomers(actor: Actor, source: BackupSource, ids: readonly string[], options: { dryRun?: boolean } = {}): Promise<RecoveredCustomer[]> {
      authorizeCapability(actor, 'manageSettings');
      const scope = authorizeCustomers(actor, 'update');
      const registry = await fields.load(actor.workspaceId);
      const region = await ctx.phoneRegion(actor.workspaceId);
      // A keyring of its own over the backup's keys: the live one caches the live installation's.
      const keyring = createKeyring({ keys: source.keys, clock: ctx.clock });
      const planned: { id: string; changes: StandardValue[] }[] = [];
      for (const id of new Set(ids)) {
        const live = await liveRow(actor, scope, source, id);
        const old = (await findCustomer(source.db, actor.workspaceId, id)) ?? (await findCustomer(source.db, actor.workspaceId, id, { deleted: true }));
        const oldKey = old ? await keyring.subjectKey(source.db, actor.workspaceId, id) : null;
        if (!old || !oldKey) throw conflict('not_in_backup', 'This customer is not in the backup (created after it was made).');
        const before = valuesOf(ctx, oldKey, old);
        const now = valuesOf(ctx, await ctx.requireSubjectKey(db, actor.workspaceId, id), live);
        const kind = live.kind as CustomerKind;
        const differing = registry.of(kind).filter((field) => !same(before[field.key], now[field.key]));
        const changes = ctx.standardizeInput(registry, kind, Object.fromEntries(differing.map((field) => [field.key, before[field.key] ?? null])), region);
        const relation = await ctx.relationOf(actor, live);
        for (const change of changes) authorizeWrite(actor, change.field, relation);
        planned.push({ id, changes });
      }
      const results = planned.map(({ id, changes }) => ({ id, fields: changes.map((c) => c.field.key) }));
      if (options.dryRun) return results;
      await db.transaction().execute(async (trx) => {
        for (const { id, changes } of planned) {
          if (changes.length > 0) await writeCustomerValues(ctx, trx, actor, id, changes);
          await audit.record(actor, { action: 'customer.recovered', outcome: 'success', metadata: { backupCreatedAt: source.createdAt, fields: changes.map((c) => c.field.key) }, object: { type: 'customer', id } }, trx);
        }
      });
      return results;
    },
  };
}
