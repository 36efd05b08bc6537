import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Actor } from '../../actor.js';
import { fromDbJson } from '../../db/mapping.js';
import { AppError, forbidden } from '../../http/errors.js';
import type { CustomerKind, FieldDefinition } from '../../../shared/fields.js';
import { DUPLICATE_BANDS, duplicateBandOf, mayReadQualityWith, MONTHS_HORIZON, staleFrom, type QualityField, type QualityResult, type StaleMonths } from '../../../shared/quality.js';
import { standardizeValue } from '../field-values.js';
import { levelOf } from '../policy.js';
import { countLiveCustomers, latestActivity, liveCustomersAfter, openDuplicateScores } from '../quality-store.js';
import { isBundled, type Bundle, type GatewayContext } from './context.js';

export const QUALITY_BATCH = 1_000;
const YIELD_EVERY = 200;

/** Thrown when the report's signal aborts between batches: nothing is kept. */
export class QualityReportCancelled extends Error {
  constructor() {
    super('quality report cancelled');
    this.name = 'QualityReportCancelled';
  }
}

/** Who may see the data-quality report (the rule: shared/quality.ts); system actors (jobs, the CLI) may. */
function mayReadQuality(actor: Actor): boolean {
  return actor.kind === 'system' || mayReadQualityWith(actor.access.permissions);
}

export function authorizeQuality(actor: Actor): void {
  if (!mayReadQuality(actor)) throw forbidden('forbidden', 'Your role does not allow this.');
}

/** The report's field rows the actor may see: not those of fields hidden from them on others' customers (e.g. sensitive ones for an analyst). */
export function qualityFieldsFor(actor: Actor, fields: readonly QualityField[]): QualityField[] {
  return fields.filter((field) => levelOf(actor, field, 'other') !== 'hidden');
}

/** `now` minus `months` calendar months (UTC), the day kept where the month has it (31 March − 1 month = 28/29 February). */
export function monthsBefore(now: Date, months: number): number {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
}

interface Tally {
  field: FieldDefinition;
  filled: number;
  invalid: Map<string, number>;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The data-quality report (issue 7): every live customer of the workspace read once, a batch of
 * a thousand at a time in id order, its encrypted values opened and counted — per field in use
 * (built-in and custom), filled or empty, and whether today's rules for the field still accept
 * the stored value —, its latest activity placed on a histogram of months, and the open
 * duplicate candidates by score band. Only counts leave: no value, no customer id. Recorded as
 * `customers.quality_report` however it ends (values were opened either way).
 */
export function customerQuality(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, openBundles } = ctx;

  return {
    async qualityReport(
      actor: Actor,
      options: {
        staleMonths: StaleMonths;
        /** Told after each batch (awaited): a job keeps its progress with it. */
        onProgress?: (progress: { done: number; total: number }) => Promise<void> | void;
        /** Checked between batches. */
        signal?: AbortSignal;
        batchSize?: number;
      },
    ): Promise<QualityResult> {
      authorizeQuality(actor);
      const { workspaceId } = actor;
      const batchSize = options.batchSize ?? QUALITY_BATCH;
      const now = clock.now();
      const region = await ctx.phoneRegion(workspaceId);
      const registry = await fields.load(workspaceId);
      const byKind: Record<CustomerKind, Tally[]> = {
        person: registry.of('person').map((field) => ({ field, filled: 0, invalid: new Map() })),
        company: registry.of('company').map((field) => ({ field, filled: 0, invalid: new Map() })),
      };
      const bundlesOf: Record<CustomerKind, Set<Bundle>> = {
        person: new Set(registry.of('person').flatMap((f) => (isBundled(f.sensitivity) ? [f.sensitivity] : []))),
        company: new Set(registry.of('company').flatMap((f) => (isBundled(f.sensitivity) ? [f.sensitivity] : []))),
      };
      // cutoffs[m - 1]: the moment m months ago; a customer last active before it is m months stale or more.
      const cutoffs = Array.from({ length: MONTHS_HORIZON }, (_, i) => monthsBefore(now, i + 1));
      const byMonths = new Array<number>(MONTHS_HORIZON + 1).fill(0);
      const customers = { person: 0, company: 0 };
      let unreadable = 0;
      let done = 0;
      let completed = false;
      const total = await countLiveCustomers(db, workspaceId);

      const record = (result: Pick<QualityResult, 'fields' | 'stale' | 'duplicates'> | null, outcome: 'success' | 'failure' = 'success') =>
        audit.record(actor, {
          action: 'customers.quality_report',
          outcome,
          metadata: {
            staleMonths: options.staleMonths,
            customers: done,
            completed,
            fields: result?.fields.length ?? 0,
            invalid: result?.fields.reduce((sum, f) => sum + f.invalid.reduce((n, i) => n + i.count, 0), 0) ?? 0,
            stale: result?.stale.count ?? 0,
            duplicateCandidates: result?.duplicates.open ?? 0,
          },
          object: { type: 'workspace', id: workspaceId },
        });

      try {
        await options.onProgress?.({ done, total });
        for (let after: string | null = null; ; ) {
          if (options.signal?.aborted) throw new QualityReportCancelled();
          const rows = await liveCustomersAfter(db, workspaceId, after, batchSize);
          if (rows.length === 0) break;
          const last = rows[rows.length - 1]!.id;
          const activity = await latestActivity(db, workspaceId, after, last);
          // The batch's subject keys in one query, kept out of the cache requests use.
          const subjectKeys = await keyring.subjectKeys(db, workspaceId, rows.filter((row) => row.personal_values || row.sensitive_values).map((row) => row.id));
          for (const [index, row] of rows.entries()) {
            // SQLite answers synchronously and a customer costs about a tenth of a millisecond:
            // every few hundred, the requests waiting meanwhile get their turn.
            if (index > 0 && index % YIELD_EVERY === 0) await nextTurn();
            const kind = row.kind as CustomerKind;
            const tallies = byKind[kind];
            if (!tallies) continue;
            customers[kind]++;
            const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
            let bundles: Record<Bundle, Record<string, unknown>> = { personal: {}, sensitive: {} };
            if (bundlesOf[kind].size > 0 && (row.personal_values || row.sensitive_values)) {
              try {
                const subjectKey = subjectKeys.get(row.id) ?? null;
                if (!subjectKey) unreadable++;
                bundles = openBundles(subjectKey, row, bundlesOf[kind]);
              } catch {
                // A ciphertext that no longer opens is a finding of the report, not the end of it.
                unreadable++;
              }
            }
            for (const tally of tallies) {
              const { field } = tally;
              const value = isBundled(field.sensitivity) ? bundles[field.sensitivity][field.key] : plain[field.key];
              if (isEmpty(value)) continue;
              tally.filled++;
              const problem = refusal(field, value, region);
              if (problem) tally.invalid.set(problem, (tally.invalid.get(problem) ?? 0) + 1);
            }
            const lastActive = Math.max(Number(row.updated_at), activity.get(row.id) ?? -Infinity);
            let months = 0;
            while (months < MONTHS_HORIZON && lastActive < cutoffs[months]!) months++;
            byMonths[months]!++;
          }
          done += rows.length;
          after = last;
          await options.onProgress?.({ done, total: Math.max(total, done) });
          await nextTurn();
        }
      } catch (error) {
        // Cut short: what was opened until then is recorded all the same.
        await record(null, error instanceof QualityReportCancelled ? 'success' : 'failure').catch(() => undefined);
        throw error;
      }

      const counted: QualityField[] = [];
      for (const kind of ['person', 'company'] as const) {
        for (const { field, filled, invalid } of byKind[kind]) {
          counted.push({
            kind,
            key: field.key,
            type: field.type,
            sensitivity: field.sensitivity,
            labels: field.labels,
            builtIn: field.builtIn,
            required: field.required,
            filled,
            empty: customers[kind] - filled,
            invalid: [...invalid].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
          });
        }
      }
      const bands = new Map(DUPLICATE_BANDS.map((band) => [band, 0]));
      for (const { score, count } of await openDuplicateScores(db, workspaceId)) bands.set(duplicateBandOf(score), bands.get(duplicateBandOf(score))! + count);
      const result: QualityResult = {
        asOf: now.toISOString(),
        customers,
        unreadable,
        fields: counted,
        stale: { months: options.staleMonths, count: staleFrom(byMonths, options.staleMonths), byMonths },
        duplicates: { open: [...bands.values()].reduce((a, b) => a + b, 0), bands: [...bands].map(([band, count]) => ({ band, count })) },
      };
      completed = true;
      await record(result);
      return result;
    },
  };
}

/** The reason code today's rules refuse a stored value with, or null when they accept it (the value never leaves here). */
function refusal(field: FieldDefinition, value: unknown, region: Parameters<typeof standardizeValue>[2]): string | null {
  try {
    standardizeValue(field, value, region);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}
