import type { Actor } from '../../actor.js';
import type { CustomerKind } from '../../../shared/fields.js';
import { fromDbJson } from '../../db/mapping.js';
import { fieldsWithRetention } from '../field-store.js';
import { staleCustomers } from '../store.js';
import { isBundled, type GatewayContext } from './context.js';
import { writeCustomerValues } from './customer-values.js';

const DAY_MS = 86_400_000;

/**
 * Storage limitation (PIPL art. 19, GDPR art. 5(1)(e)): a field with a retention period
 * loses its value on customers not updated for that many days. Each customer's clearing is
 * its own transaction with its audit event, by the system actor `retention`.
 */
export function fieldRetention(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, openBundles } = ctx;
  /** Where the previous pass over encrypted values stopped, per workspace and field: each pass moves on. */
  const resumeAfter = new Map<string, string>();

  return {
    /** One pass of the retention job: clears up to `batchSize` expired values per field; returns how many. */
    async applyRetention(batchSize = 500): Promise<number> {
      let cleared = 0;
      for (const rule of await fieldsWithRetention(db)) {
        const field = (await fields.load(rule.workspace_id)).find(rule.kind as CustomerKind, rule.key);
        if (!field || field.retentionDays === undefined) continue;
        const system: Actor = { kind: 'system', workspaceId: rule.workspace_id, name: 'retention', ip: null, userAgent: null };
        const place = `${rule.workspace_id}:${rule.kind}.${rule.key}`;
        const encrypted = isBundled(field.sensitivity);
        const rows = await staleCustomers(db, rule.workspace_id, {
          kind: rule.kind,
          before: clock.now().getTime() - field.retentionDays * DAY_MS,
          // Plain values are selected by SQL, so every pass starts over; encrypted ones must be opened, so passes resume.
          after: encrypted ? (resumeAfter.get(place) ?? null) : null,
          limit: batchSize,
          plainKey: encrypted ? null : field.key,
        });
        if (encrypted) {
          if (rows.length < batchSize) resumeAfter.delete(place);
          else resumeAfter.set(place, rows[rows.length - 1]!.id);
        }
        for (const row of rows) {
          if (encrypted) {
            const bundles = openBundles(await keyring.subjectKey(db, row.workspace_id, row.id), row, new Set([field.sensitivity as 'personal' | 'sensitive']));
            if (!(field.key in bundles[field.sensitivity as 'personal' | 'sensitive'])) continue;
          } else if (!(field.key in (fromDbJson<Record<string, unknown>>(row.plain_values) ?? {}))) continue;
          await db.transaction().execute(async (trx) => {
            await writeCustomerValues(ctx, trx, system, row.id, [{ field, value: null, lookupKey: null }], { keepUpdatedAt: true, change: 'retention' });
            await audit.record(
              system,
              { action: 'customer.retention_cleared', outcome: 'success', metadata: { fields: [field.key], retentionDays: field.retentionDays! }, object: { type: 'customer', id: row.id } },
              trx,
            );
          });
          cleared++;
        }
      }
      return cleared;
    },
  };
}
