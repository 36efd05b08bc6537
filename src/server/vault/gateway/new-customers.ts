import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import { CUSTOMER_KINDS, type CustomerKind, type FieldDefinition } from '../../../shared/fields.js';
import { toDbJson, toDbTime } from '../../db/mapping.js';
import { badRequest } from '../../http/errors.js';
import { newId } from '../../ids.js';
import type { Registry } from '../field-registry.js';
import { existingCompanyIds, insertCustomers, insertLookupRows, type CustomerRow, type LookupRow } from '../store.js';
import { isBundled, type Bundle, type GatewayContext, type StandardValue, type TokenMemo } from './context.js';

/** A new customer, checked and standardized, with its id drawn: what `persistNew` writes. */
export interface PreparedCustomer {
  id: string;
  kind: CustomerKind;
  values: StandardValue[];
}

/**
 * Making customers, shared by the records' `create`/`createMany` and the import: checking a
 * new customer's input, checking its company links, and writing prepared customers — rows with
 * sealed bundles, subject keys, blind-index rows, and (unless the caller records its own) one
 * `customer.created` event each.
 */
export function newCustomers(ctx: GatewayContext) {
  const { db, clock, audit, keyring, lookupTokens, standardizeInput, sealBundle } = ctx;

  return {
    /** Checks and standardizes a new customer's input; throws a 400 naming the field. */
    prepareNew(registry: Registry, input: Record<string, unknown>, region: CountryCode): PreparedCustomer {
      const kind = input.kind;
      if (typeof kind !== 'string' || !(CUSTOMER_KINDS as readonly string[]).includes(kind)) {
        throw badRequest('invalid_kind', 'kind must be "person" or "company".', 'kind');
      }
      const customerKind = kind as CustomerKind;
      const values = standardizeInput(registry, customerKind, input, region).filter((v) => v.value !== null);
      for (const field of registry.of(customerKind)) {
        if (field.required && !values.some((v) => v.field.key === field.key)) throw badRequest('required', `${field.labels.en} is required.`, field.key);
      }
      return { id: newId(), kind: customerKind, values };
    },

    /** Company links must name a live company of the workspace: per customer, the first link that does not (or null). */
    async brokenCompanyLinks(workspaceId: string, customers: readonly StandardValue[][]): Promise<(FieldDefinition | null)[]> {
      const links = customers.map((values) => values.filter((v) => v.field.type === 'company' && v.value !== null));
      const known = await existingCompanyIds(db, workspaceId, [...new Set(links.flat().map((v) => String(v.value)))]);
      return links.map((values) => values.find((v) => !known.has(String(v.value)))?.field ?? null);
    },

    /**
     * Writes prepared customers: rows with sealed bundles, their subject keys, lookup rows (and
     * the caller's `extraLookups`), and one `customer.created` event each unless `events` is
     * 'caller' (the import records one event per batch naming every customer it wrote).
     */
    async persistNew(
      trx: Kysely<DB>,
      actor: Actor,
      prepared: readonly PreparedCustomer[],
      options: { events?: 'each' | 'caller'; extraLookups?: readonly LookupRow[] } = {},
    ): Promise<CustomerRow[]> {
      const workspaceId = actor.workspaceId;
      const now = toDbTime(clock.now());
      const { keys, rows: keyRows } = await keyring.newSubjectKeys(trx, workspaceId, prepared.map((p) => p.id));
      const rows: CustomerRow[] = [];
      const lookupRows: LookupRow[] = [...(options.extraLookups ?? [])];
      const tokenMemo: TokenMemo = new Map();
      for (const [i, customer] of prepared.entries()) {
        const plain: Record<string, unknown> = {};
        const bundled: Record<Bundle, Record<string, unknown>> = { personal: {}, sensitive: {} };
        for (const { field, value } of customer.values) {
          if (isBundled(field.sensitivity)) bundled[field.sensitivity][field.key] = value;
          else plain[field.key] = value;
        }
        rows.push({
          workspace_id: workspaceId,
          id: customer.id,
          kind: customer.kind,
          owner_user_id: actor.kind === 'user' ? actor.userId : null,
          plain_values: toDbJson(plain),
          personal_values: sealBundle(keys[i]!, workspaceId, customer.id, 'personal', bundled.personal),
          sensitive_values: sealBundle(keys[i]!, workspaceId, customer.id, 'sensitive', bundled.sensitive),
          created_by: actor.kind === 'user' ? actor.userId : actor.name,
          created_at: now,
          updated_at: now,
          deleted_at: null,
          team_id: actor.kind === 'user' ? actor.access.teamId : null,
        });
        for (const v of customer.values) {
          for (const token of await lookupTokens(trx, workspaceId, v.field, v.value, v.lookupKey, tokenMemo)) lookupRows.push({ workspace_id: workspaceId, customer_id: customer.id, ...token });
        }
      }
      // Customer rows first: subject keys and lookup rows reference them.
      await insertCustomers(trx, rows);
      await keyring.storeSubjectKeys(trx, keyRows);
      await insertLookupRows(trx, lookupRows);
      if (options.events !== 'caller') {
        await audit.recordMany(
          actor,
          prepared.map((customer) => ({
            action: 'customer.created' as const,
            outcome: 'success' as const,
            metadata: { kind: customer.kind, fields: customer.values.map((v) => v.field.key) },
            object: { type: 'customer', id: customer.id },
          })),
          trx,
        );
      }
      return rows;
    },
  };
}
