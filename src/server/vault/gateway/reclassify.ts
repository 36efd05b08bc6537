import type { Actor } from '../../actor.js';
import { SENSITIVITY_CLASSES, type CustomerKind, type Sensitivity } from '../../../shared/fields.js';
import { fromDbJson, toDbJson } from '../../db/mapping.js';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { authorizeCustomers } from '../policy.js';
import { customersOfKind, updateCustomer } from '../store.js';
import { isBundled, type GatewayContext } from './context.js';
import { moveFieldHistory, recordReclassified } from './history.js';

const PAGE = 500;

/**
 * Changing a custom field's sensitivity class: the explicit, audited re-encryption step.
 * Every stored value moves in one transaction — out of the plain values into the customer's
 * sealed bundle (raised to personal or sensitive), between bundles, or back into clear
 * (lowered, which needs a reason) — and the definition changes with it, so a crash leaves
 * either the old class with every value where it was, or the new class with every value moved.
 * The field's history values move the same way, and each customer's history records the change.
 * Erased customers (no subject key) have nothing left to move.
 */
export function fieldReclassification(ctx: GatewayContext) {
  const { db, audit, keyring, fields, openBundles, sealBundle } = ctx;
  return {
    async reclassifyField(actor: Actor, kind: CustomerKind, key: string, to: Sensitivity, reason: string): Promise<{ moved: number }> {
      authorizeCustomers(actor, 'update');
      if (!(SENSITIVITY_CLASSES as readonly string[]).includes(to)) throw badRequest('invalid_sensitivity', 'Unknown sensitivity class.', 'sensitivity');
      if (reason.trim().length < 5) throw badRequest('reason_required', 'Say why the class changes.', 'reason');
      const field = (await fields.load(actor.workspaceId)).all.find((f) => f.kind === kind && f.key === key);
      if (!field) throw notFound('field_not_found', 'No such field.');
      if (field.builtIn) throw conflict('built_in_field', 'Built-in fields keep their class.');
      const from = field.sensitivity;
      if (from === to) throw badRequest('same_class', `The field already is ${to}.`, 'sensitivity');

      const moved = await db.transaction().execute(async (trx) => {
        let count = 0;
        for (let after: string | null = null; ; ) {
          const rows = await customersOfKind(trx, actor.workspaceId, kind, after, PAGE);
          for (const row of rows) {
            const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
            const subjectKey = await keyring.subjectKey(trx, actor.workspaceId, row.id);
            if (!subjectKey) continue;
            const bundles = openBundles(subjectKey, row);
            const source = isBundled(from) ? bundles[from] : plain;
            if (!(key in source)) continue;
            const target = isBundled(to) ? bundles[to] : plain;
            target[key] = source[key];
            delete source[key];
            await updateCustomer(trx, actor.workspaceId, row.id, {
              plain_values: toDbJson(plain),
              personal_values: sealBundle(subjectKey, actor.workspaceId, row.id, 'personal', bundles.personal),
              sensitive_values: sealBundle(subjectKey, actor.workspaceId, row.id, 'sensitive', bundles.sensitive),
              // The customer did not change: their last-change time (and retention clock) stays.
            });
            await recordReclassified(ctx, trx, actor, row.id, key, from, to);
            count++;
          }
          if (rows.length < PAGE) break;
          after = rows[rows.length - 1]!.id;
        }
        await moveFieldHistory(ctx, trx, actor.workspaceId, { kind, key }, from, to);
        await fields.setSensitivity(trx, actor.workspaceId, kind, key, to);
        await audit.record(
          actor,
          { action: 'field.reclassified', outcome: 'success', metadata: { kind, key, from, to, reason: reason.trim(), customers: count }, object: { type: 'field', id: `${kind}.${key}` } },
          trx,
        );
        return count;
      });
      fields.invalidate(actor.workspaceId);
      return { moved };
    },
  };
}
