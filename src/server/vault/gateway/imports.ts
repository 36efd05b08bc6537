import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import type { CustomerKind } from '../../../shared/fields.js';
import type { ImportMatchKey, ImportOnMatch } from '../../../shared/imports.js';
import { fromDbJson } from '../../db/mapping.js';
import { AppError } from '../../http/errors.js';
import { blindIndex } from '../crypto/blind-index.js';
import type { Registry } from '../field-registry.js';
import { authorizeCustomers, authorizeWrite, reaches } from '../policy.js';
import { findCustomer, insertLookupRows, type LookupRow } from '../store.js';
import { newId } from '../../ids.js';
import { tokenHolders, type TokenHolder } from '../import-store.js';
import { CONTACT_LOOKUP_FIELDS } from './contact-points.js';
import { isBundled, tiesOf, type GatewayContext, type StandardValue } from './context.js';
import { duplicateValue, uniqueClashes, writeCustomerValues } from './customer-values.js';
import { newCustomers, type PreparedCustomer } from './new-customers.js';

export { IMPORT_MATCH_KEYS, IMPORT_ON_MATCH, type ImportMatchKey, type ImportOnMatch } from '../../../shared/imports.js';

/** One data row of the file, as the mapping turned it into field values (cells not given are absent). */
export interface ImportRow {
  row: number;
  input: Record<string, unknown>;
}

export interface ImportReason {
  code: string;
  field: string | null;
  message: string;
}

export type ImportOutcome =
  | { row: number; outcome: 'imported' | 'updated' | 'unchanged'; customerId: string }
  | { row: number; outcome: 'rejected'; reasons: ImportReason[] };

export interface ImportBatchOptions {
  jobId: string;
  kind: CustomerKind;
  matchBy: ImportMatchKey;
  onMatch: ImportOnMatch;
  dryRun: boolean;
  /**
   * The job's memory of the rows it already wrote, by match or fingerprint token: a later row
   * with the same key repeats an earlier row of the file and counts as `updated` (a dry run,
   * which writes nothing, finds its repeats only here).
   */
  seen: Set<string>;
  /** Runs in the batch's transaction after its writes (the job moves its progress there). */
  inTransaction?: (trx: Kysely<DB>, result: ImportBatchResult) => Promise<void>;
}

export interface ImportBatchResult {
  outcomes: ImportOutcome[];
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
}

/** Flags possible duplicates among customers just written (the duplicates part); answers how many pairs. */
export type DuplicateFlagger = (trx: Kysely<DB>, actor: Actor, customers: readonly { id: string; values: readonly StandardValue[] }[], known: { registry: Registry; region: CountryCode }) => Promise<number>;

/** The index field of an import's fingerprint: the blind index of a row's standardized values, per customer it wrote. */
const FINGERPRINT_FIELD = 'import.row';

/** Where a match value may be held: the customer field, and for emails and phones the further contact points too. */
function matchFields(kind: CustomerKind, matchBy: ImportMatchKey): string[] {
  const contact = CONTACT_LOOKUP_FIELDS[matchBy];
  return [`${kind}.${matchBy}`, ...(contact ? [contact.key] : [])];
}

/** A stable text of a row's standardized values: equal rows give equal fingerprints. */
function canonical(kind: CustomerKind, values: readonly StandardValue[]): string {
  const pairs = values.map((v) => [v.field.key, v.lookupKey ?? JSON.stringify(v.value)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([kind, pairs]);
}

const rejection = (error: unknown): ImportReason => {
  if (!(error instanceof AppError)) throw error;
  return { code: error.code, field: error.field ?? null, message: error.message };
};

/** Thrown inside a dry run's transaction to roll back what it wrote. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportBatchResult) {
    super('dry run');
  }
}

interface Group {
  /** The rows of the batch that share the key, in file order; the first decides. */
  rows: { row: number; values: StandardValue[] }[];
  key: string;
  /** The match value's tokens: in the customer field, and (emails, phones) among further contact points. */
  matchTokens: Buffer[];
  fingerprint: Buffer;
  /** Live customers holding the match value, and those an earlier import wrote from the very same row. */
  holders: TokenHolder[];
  sameRow: TokenHolder[];
}

/**
 * The import's way in (issue 7): a batch of mapped rows standardized, matched to existing
 * customers by the chosen key (or, lacking it, by the row's fingerprint, so a file imported
 * twice creates nobody twice), then created, updated or left alone — in one transaction with
 * one audit event naming every customer the batch wrote, and the job's own bookkeeping.
 */
export function customerImports(ctx: GatewayContext, flagDuplicates: DuplicateFlagger | null) {
  const { db, audit, keyring, fields, phoneRegion, standardizeInput, openBundles } = ctx;
  const { persistNew, brokenCompanyLinks } = newCustomers(ctx);

  /** Standardizes one row's values, refusing fields the actor may not write on their own new records. */
  function standardizeRow(actor: Actor, registry: Registry, kind: CustomerKind, input: Record<string, unknown>, region: CountryCode): StandardValue[] {
    const values = standardizeInput(registry, kind, input, region).filter((v) => v.value !== null);
    for (const { field } of values) authorizeWrite(actor, field, 'own');
    return values;
  }

  /** What a matched customer would become: the changes the row asks for that differ from what it holds. */
  async function changesFor(trx: Kysely<DB>, actor: Actor, customerId: string, values: readonly StandardValue[], onMatch: ImportOnMatch): Promise<StandardValue[]> {
    const row = await findCustomer(trx, actor.workspaceId, customerId);
    if (!row) return [];
    const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
    const bundles = openBundles(await keyring.subjectKey(trx, actor.workspaceId, customerId), row);
    return values.filter(({ field, value }) => {
      const current = (isBundled(field.sensitivity) ? bundles[field.sensitivity] : plain)[field.key];
      if (onMatch === 'fillEmpty' && current !== undefined && current !== null && current !== '') return false;
      return JSON.stringify(current) !== JSON.stringify(value);
    });
  }

  async function writeBatch(trx: Kysely<DB>, actor: Actor, groups: Group[], options: ImportBatchOptions, outcomes: ImportOutcome[], registry: Registry, region: CountryCode): Promise<ImportBatchResult> {
    const workspaceId = actor.workspaceId;
    const scope = authorizeCustomers(actor, 'import');
    const reached = (holders: readonly TokenHolder[]) => new Set(holders.filter((h) => reaches(actor, scope, tiesOf(h))).map((h) => h.customer_id));
    const created: PreparedCustomer[] = [];
    const createdGroups: Group[] = [];
    const fingerprints: LookupRow[] = [];
    const written: string[] = [];
    let updated = 0;
    let unchanged = 0;

    const reject = (rows: readonly { row: number }[], reason: ImportReason) => {
      for (const { row } of rows) outcomes.push({ row, outcome: 'rejected', reasons: [reason] });
    };

    for (const group of groups) {
      const [first, ...repeats] = group.rows;
      const repeated = options.seen.has(group.key);
      // Out of the actor's import scope, a customer is not theirs to change: the row makes a new
      // customer (a possible duplicate for whoever may see both), and nobody learns who holds the value.
      const matches = [...reached(group.holders)];
      const sameRow = reached(group.sameRow);
      const existing = matches.length === 1 ? matches[0]! : matches.length === 0 && group.matchTokens.length === 0 && sameRow.size === 1 ? [...sameRow][0]! : null;
      if (matches.length > 1) {
        reject(group.rows, { code: 'ambiguous_match', field: options.matchBy, message: `${matches.length} customers have this ${options.matchBy}: the row cannot tell which one to update.` });
        continue;
      }
      if (existing === null) {
        // A new customer: the group's rows fold into one, later cells over earlier ones.
        const merged = new Map<string, StandardValue>();
        for (const { values } of group.rows) for (const v of values) merged.set(v.field.key, v);
        const missing = registry.of(options.kind).find((field) => field.required && !merged.has(field.key));
        if (missing) reject(group.rows, { code: 'required', field: missing.key, message: `${missing.labels.en} is required.` });
        else {
          created.push({ id: newId(), kind: options.kind, values: [...merged.values()] });
          createdGroups.push(group);
        }
        continue;
      }
      const outcomeOfFirst = repeated ? 'updated' : 'unchanged';
      if (options.onMatch === 'skip' || (sameRow.has(existing) && repeats.length === 0)) {
        outcomes.push({ row: first!.row, outcome: outcomeOfFirst, customerId: existing });
        for (const { row } of repeats) outcomes.push({ row, outcome: 'updated', customerId: existing });
        if (outcomeOfFirst === 'updated') updated++;
        else unchanged++;
        updated += repeats.length;
        continue;
      }
      try {
        const merged = new Map<string, StandardValue>();
        for (const { values } of group.rows) for (const v of values) merged.set(v.field.key, v);
        const changes = await changesFor(trx, actor, existing, [...merged.values()], options.onMatch);
        if (changes.length > 0) {
          const row = await findCustomer(trx, workspaceId, existing);
          const relation = await ctx.relationOf(actor, row!);
          for (const change of changes) authorizeWrite(actor, change.field, relation);
          await writeCustomerValues(ctx, trx, actor, existing, changes);
          written.push(existing);
        }
        const changed = changes.length > 0 || repeated;
        outcomes.push({ row: first!.row, outcome: changed ? 'updated' : 'unchanged', customerId: existing });
        for (const { row } of repeats) outcomes.push({ row, outcome: 'updated', customerId: existing });
        if (changed) updated++;
        else unchanged++;
        updated += repeats.length;
        if (!sameRow.has(existing)) fingerprints.push({ workspace_id: workspaceId, field: FINGERPRINT_FIELD, token: group.fingerprint, customer_id: existing });
      } catch (error) {
        reject(group.rows, rejection(error));
      }
    }

    // New customers: company links and unique values checked for the whole batch, then written at once.
    const broken = await brokenCompanyLinks(workspaceId, created.map((c) => c.values));
    const clashes = await uniqueClashes(ctx, trx, workspaceId, created);
    const toWrite: PreparedCustomer[] = [];
    created.forEach((customer, i) => {
      const group = createdGroups[i]!;
      const brokenField = broken[i];
      const clash = clashes[i];
      if (brokenField) return reject(group.rows, { code: 'company_not_found', field: brokenField.key, message: `${brokenField.labels.en}: there is no such company.` });
      if (clash) return reject(group.rows, rejection(duplicateValue(clash)));
      toWrite.push(customer);
      fingerprints.push({ workspace_id: workspaceId, field: FINGERPRINT_FIELD, token: group.fingerprint, customer_id: customer.id });
      const [first, ...repeats] = group.rows;
      outcomes.push({ row: first!.row, outcome: 'imported', customerId: customer.id });
      for (const { row } of repeats) outcomes.push({ row, outcome: 'updated', customerId: customer.id });
      updated += repeats.length;
    });
    if (toWrite.length > 0) await persistNew(trx, actor, toWrite, { events: 'caller', extraLookups: fingerprints.filter((f) => toWrite.some((c) => c.id === f.customer_id)) });
    const others = fingerprints.filter((f) => !toWrite.some((c) => c.id === f.customer_id));
    if (others.length > 0) await insertLookupRows(trx, others);
    const duplicates = toWrite.length > 0 && flagDuplicates ? await flagDuplicates(trx, actor, toWrite, { registry, region }) : 0;

    for (const group of groups) options.seen.add(group.key);
    outcomes.sort((a, b) => a.row - b.row);
    const rejected = outcomes.filter((o) => o.outcome === 'rejected').length;
    const result: ImportBatchResult = { outcomes, imported: toWrite.length, updated, unchanged, rejected, duplicates };
    const customerIds = [...toWrite.map((c) => c.id), ...written];
    await audit.record(
      actor,
      {
        action: 'customers.imported',
        outcome: 'success',
        metadata: { jobId: options.jobId, rows: outcomes.length, created: toWrite.length, updated, unchanged, rejected, duplicates, customerIds },
        object: { type: 'import', id: options.jobId },
      },
      trx,
    );
    await options.inTransaction?.(trx, result);
    return result;
  }

  return {
    /** Refuses (403) an actor whose role may not import customers: uploads and jobs ask before they hold anything. */
    authorizeImport(actor: Actor): void {
      authorizeCustomers(actor, 'import');
    },

    /**
     * Imports one batch of rows (at most a few thousand) in one transaction; a dry run does the
     * same work and rolls it back. Rows are refused one by one (with their reasons), never the batch.
     */
    async importBatch(actor: Actor, rows: readonly ImportRow[], options: ImportBatchOptions): Promise<ImportBatchResult> {
      authorizeCustomers(actor, 'import');
      const workspaceId = actor.workspaceId;
      const registry = await fields.load(workspaceId);
      const region = await phoneRegion(workspaceId);
      const outcomes: ImportOutcome[] = [];
      const [matchField, contactField] = matchFields(options.kind, options.matchBy);
      const keyOf = (field: string) => keyring.fieldIndexKey(db, workspaceId, field);
      const matchKeys = [await keyOf(matchField!), ...(contactField ? [await keyOf(contactField)] : [])];
      const fingerprintKey = await keyOf(FINGERPRINT_FIELD);

      // Standardize every row, then fold rows that share a key (the same match value, or without one the same values).
      const groups = new Map<string, Group>();
      for (const { row, input } of rows) {
        let values: StandardValue[];
        try {
          values = standardizeRow(actor, registry, options.kind, input, region);
        } catch (error) {
          outcomes.push({ row, outcome: 'rejected', reasons: [rejection(error)] });
          continue;
        }
        if (values.length === 0) {
          outcomes.push({ row, outcome: 'rejected', reasons: [{ code: 'empty_row', field: null, message: 'The row has no value in any imported column.' }] });
          continue;
        }
        const match = values.find((v) => v.field.key === options.matchBy)?.lookupKey ?? null;
        const fingerprint = blindIndex(fingerprintKey, canonical(options.kind, values));
        const matchTokens = match === null ? [] : matchKeys.map((key) => blindIndex(key, match));
        // 96 bits of the token name the row in the job's memory (`seen` holds one per row of the file: a million, compactly).
        const key = match === null ? `f:${fingerprint.subarray(0, 12).toString('base64')}` : `m:${matchTokens[0]!.subarray(0, 12).toString('base64')}`;
        const group = groups.get(key);
        if (group) group.rows.push({ row, values });
        else groups.set(key, { rows: [{ row, values }], key, matchTokens, fingerprint, holders: [], sameRow: [] });
      }
      const all = [...groups.values()];
      // One query finds every live customer holding a batch's match values or fingerprints.
      const byToken = new Map<string, { group: Group; as: 'match' | 'fingerprint' }>();
      for (const group of all) {
        for (const token of group.matchTokens) byToken.set(token.toString('base64'), { group, as: 'match' });
        byToken.set(group.fingerprint.toString('base64'), { group, as: 'fingerprint' });
      }
      const tokens = all.flatMap((g) => [...g.matchTokens, g.fingerprint]);
      for (const holder of await tokenHolders(db, workspaceId, [matchField!, ...(contactField ? [contactField] : []), FINGERPRINT_FIELD], tokens)) {
        const found = byToken.get(holder.token.toString('base64'));
        if (!found) continue;
        if (found.as === 'match' && holder.field !== FINGERPRINT_FIELD) found.group.holders.push(holder);
        if (found.as === 'fingerprint' && holder.field === FINGERPRINT_FIELD) found.group.sameRow.push(holder);
      }

      const run = (trx: Kysely<DB>) => writeBatch(trx, actor, all, options, outcomes, registry, region);
      if (!options.dryRun) return db.transaction().execute(run);
      try {
        await db.transaction().execute(async (trx) => {
          throw new DryRunRollback(await run(trx));
        });
      } catch (error) {
        if (error instanceof DryRunRollback) return error.result;
        throw error;
      }
      throw new Error('unreachable: a dry run always rolls back');
    },
  };
}
