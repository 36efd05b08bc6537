import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../../actor.js';
import type { Clock } from '../../clock.js';
import type { DB } from '../../db/schema.js';
import type { AuditService } from '../../audit/service.js';
import type { CustomerKind, FieldDefinition, Sensitivity, Visibility } from '../../../shared/fields.js';
import { fromDbJson, isoFromDb } from '../../db/mapping.js';
import { badRequest, notFound } from '../../http/errors.js';
import type { FieldRegistry, Registry } from '../field-registry.js';
import { blindIndex } from '../crypto/blind-index.js';
import { decryptField, encryptField } from '../crypto/field-cipher.js';
import { standardizeValue } from '../field-values.js';
import type { Keyring } from '../keyring.js';
import { casesMatter, reaches, relationTo, visibilityOf } from '../policy.js';
import { openCaseOwners as openCaseOwnersOf } from '../case-store.js';
import type { Relation, Scope } from '../../../shared/permissions.js';
import { maskValue, nameTokens, type MaskKind } from '../standardize/index.js';
import { findCustomer, type CustomerRow } from '../store.js';

// What every part of the records gateway shares: its dependencies, the customer row's
// sealed bundles, presenting a row to an actor, and the checks on input values.

export interface GatewayDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record' | 'recordMany' | 'recordRead'>;
  keyring: Keyring;
  fields: Pick<FieldRegistry, 'load' | 'setSensitivity' | 'invalidate'>;
  /** The workspace's region for phone numbers without a country code. */
  phoneRegion?: (workspaceId: string) => Promise<CountryCode>;
}

/** Until workspaces choose theirs: numbers without a country code are read as Chinese. */
export const DEFAULT_PHONE_REGION: CountryCode = 'CN';
export const SUBJECT_KEY_VERSION = 1;
export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export type CustomerRecord = { id: string; kind: CustomerKind; createdAt: string; updatedAt: string; ownerId: string | null } & Record<string, unknown>;

/** Blind-index tokens a bulk write already computed, by workspace and field, then by value. */
export type TokenMemo = Map<string, Map<string, Buffer>>;

/** A standardized input value, with the normalized form its blind index is computed over. */
export interface StandardValue {
  field: FieldDefinition;
  value: unknown;
  lookupKey: string | null;
}

/** Personal and sensitive values are sealed per customer and class: one ciphertext each. */
export type Bundle = 'personal' | 'sensitive';
export const BUNDLES: readonly Bundle[] = ['personal', 'sensitive'];
export const isBundled = (sensitivity: Sensitivity): sensitivity is Bundle => sensitivity === 'personal' || sensitivity === 'sensitive';
export const bundlePlace = (workspaceId: string, customerId: string, bundle: Bundle) => ({ workspaceId, table: 'customers', recordId: customerId, field: bundle });

/** What the policy engine needs to know of a customer: who owns it and which team. */
export const tiesOf = (row: Pick<CustomerRow, 'owner_user_id' | 'team_id'>) => ({ ownerId: row.owner_user_id, teamId: row.team_id });

/** The place (AAD) of a ciphertext kept in its own row, e.g. a note's body or a contact point's value. */
export const rowPlace = (table: string, field: string) => (row: { workspace_id: string; id: string }) => ({ workspaceId: row.workspace_id, table, recordId: row.id, field });

export function maskKindOf(field: Pick<FieldDefinition, 'type' | 'lookup'>): MaskKind {
  switch (field.type) {
    case 'phone':
      return 'phone';
    case 'email':
      return 'email';
    case 'national_id':
      return 'national_id';
    case 'bank_card':
      return 'bank_card';
    default:
      return field.lookup === 'name' ? 'name' : 'text';
  }
}

export function definitionOf(registry: Registry, kind: CustomerKind, key: string): FieldDefinition {
  const field = registry.find(kind, key);
  if (!field) throw badRequest('unknown_field', `There is no field "${key}" for a ${kind}.`, key);
  return field;
}

export function createGatewayContext(deps: GatewayDeps) {
  const { db, keyring, fields } = deps;
  const phoneRegion = deps.phoneRegion ?? (async () => DEFAULT_PHONE_REGION);

  /** Opens a row's sealed bundles that `wanted` names (null key: erased, nothing opens). */
  function openBundles(subjectKey: Buffer | null, row: CustomerRow, wanted: ReadonlySet<Bundle> = new Set(BUNDLES)) {
    const bundles: Record<Bundle, Record<string, unknown>> = { personal: {}, sensitive: {} };
    if (!subjectKey) return bundles;
    for (const bundle of BUNDLES) {
      const sealed = bundle === 'personal' ? row.personal_values : row.sensitive_values;
      if (!wanted.has(bundle) || !sealed) continue;
      bundles[bundle] = JSON.parse(decryptField(subjectKey, Buffer.from(sealed), bundlePlace(row.workspace_id, row.id, bundle)).toString('utf8'));
    }
    return bundles;
  }

  /** The actor's relation to a customer: owner, team, open case (looked up only when the actor's rules depend on it), other. */
  async function relationOf(actor: Actor, row: CustomerRow): Promise<Relation> {
    const openCaseOwners = casesMatter(actor) ? ((await openCaseOwnersOf(db, row.workspace_id, [row.id])).get(row.id) ?? []) : [];
    return relationTo(actor, { ...tiesOf(row), openCaseOwners });
  }

  return {
    ...deps,
    phoneRegion,
    openBundles,
    relationOf,

    /**
     * The blind-index rows of one stored value. A bulk write passes a `memo` of its own: names
     * share most of their tokens (surnames, common syllables), so a batch computes each token
     * once instead of once per customer; the memo is dropped with the batch.
     */
    async lookupTokens(executor: Kysely<DB>, workspaceId: string, field: FieldDefinition, stored: unknown, lookupKey: string | null, memo?: TokenMemo) {
      if (field.lookup === 'none') return [];
      const indexField = `${field.kind}.${field.key}`;
      const indexKey = await keyring.fieldIndexKey(executor, workspaceId, indexField);
      const values = field.lookup === 'name' ? nameTokens(String(stored)) : lookupKey ? [lookupKey] : [];
      if (!memo) return values.map((value) => ({ field: indexField, token: blindIndex(indexKey, value) }));
      let known = memo.get(`${workspaceId}:${indexField}`);
      if (!known) memo.set(`${workspaceId}:${indexField}`, (known = new Map()));
      return values.map((value) => {
        let token = known.get(value);
        if (!token) known.set(value, (token = blindIndex(indexKey, value)));
        return { field: indexField, token };
      });
    },

    /** Decrypts what the actor may see of a row and shapes it; returns what was shown, for the audit event. */
    async present(actor: Actor, row: CustomerRow, reveal: ReadonlySet<string> = new Set(), known?: Relation) {
      const relation = known ?? (await relationOf(actor, row));
      const visibilityFor = (field: FieldDefinition) => visibilityOf(actor, field, relation);
      const kind = row.kind as CustomerKind;
      const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
      const shown: Record<string, Visibility> = {};
      const record: CustomerRecord = {
        id: row.id,
        kind,
        createdAt: isoFromDb(row.created_at)!,
        updatedAt: isoFromDb(row.updated_at)!,
        ownerId: row.owner_user_id,
      };
      const shownFields = (await fields.load(row.workspace_id)).of(kind);
      const needed = new Set(shownFields.filter((f) => isBundled(f.sensitivity) && (reveal.has(f.key) || visibilityFor(f) !== 'hidden')).map((f) => f.sensitivity as Bundle));
      const bundles = needed.size > 0 ? openBundles(await keyring.subjectKey(db, row.workspace_id, row.id), row, needed) : null;
      for (const field of shownFields) {
        const value = isBundled(field.sensitivity) ? bundles?.[field.sensitivity][field.key] : plain[field.key];
        if (value === undefined || value === null) continue;
        const visibility = reveal.has(field.key) ? 'clear' : visibilityFor(field);
        if (visibility === 'hidden') continue;
        record[field.key] = visibility === 'clear' ? value : maskValue(maskKindOf(field), typeof value === 'string' ? value : JSON.stringify(value));
        shown[field.key] = visibility;
      }
      return { record, shown };
    },

    /** Standardizes every given value (null clears); refuses unknown keys, naming them. */
    standardizeInput(registry: Registry, kind: CustomerKind, input: Record<string, unknown>, region: CountryCode): StandardValue[] {
      const values: StandardValue[] = [];
      for (const [key, raw] of Object.entries(input)) {
        if (key === 'kind') continue;
        const field = definitionOf(registry, kind, key);
        if (raw === null || raw === undefined || raw === '') values.push({ field, value: null, lookupKey: null });
        else values.push({ field, ...standardizeValue(field, raw, region) });
      }
      return values;
    },

    sealBundle(subjectKey: Buffer, workspaceId: string, id: string, bundle: Bundle, values: Record<string, unknown>): Buffer | null {
      if (Object.keys(values).length === 0) return null;
      return encryptField(subjectKey, SUBJECT_KEY_VERSION, Buffer.from(JSON.stringify(values)), bundlePlace(workspaceId, id, bundle));
    },

    /**
     * The live customer row within the actor's scope, or a 404 whether it does not exist,
     * belongs to another workspace or lies outside the scope: existence does not leak.
     */
    async loadRow(actor: Actor, id: string, scope: Scope): Promise<CustomerRow> {
      const row = await findCustomer(db, actor.workspaceId, id);
      if (!row || !reaches(actor, scope, tiesOf(row))) throw notFound('customer_not_found', 'No such customer.');
      return row;
    },

    /** The customer's subject key, or a 404 when the customer was erased meanwhile. */
    async requireSubjectKey(executor: Kysely<DB>, workspaceId: string, customerId: string): Promise<Buffer> {
      const key = await keyring.subjectKey(executor, workspaceId, customerId);
      if (!key) throw notFound('customer_not_found', 'No such customer.');
      return key;
    },
  };
}

export type GatewayContext = ReturnType<typeof createGatewayContext>;
