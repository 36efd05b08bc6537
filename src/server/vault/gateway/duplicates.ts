import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Actor } from '../../actor.js';
import type { DB } from '../../db/schema.js';
import { authorizeCapability } from '../../auth/context.js';
import type { CustomerKind, FieldDefinition } from '../../../shared/fields.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../../db/mapping.js';
import { badRequest, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { blindIndex } from '../crypto/blind-index.js';
import { standardizeValue } from '../field-values.js';
import type { Registry } from '../field-registry.js';
import type { DuplicatePair as SharedPair, DuplicateStatus } from '../../../shared/duplicates.js';
import { authorizeCustomers, reaches } from '../policy.js';
import { insertLookupRows, type CustomerRow, type LookupRow } from '../store.js';
import {
  candidatesPage,
  countLiveCustomers,
  customersByIds,
  deleteLookupField,
  findCandidate,
  insertCandidates,
  knownPairs,
  liveCustomers,
  liveCustomersAfter,
  resolveCandidate,
  tokenHolders,
  type CandidateRow,
} from '../duplicate-store.js';
import { blockKeys, normalizeCompany, scorePair, type DuplicateProfile, type DuplicateReason, type IdentifierReason } from '../duplicates/index.js';
import { isBundled, tiesOf, type CustomerRecord, type GatewayContext, type StandardValue } from './context.js';

/** The blind-index field of block keys: `<kind>|n:<name>|c:<city>`… under a key of their own. */
export const BLOCK_FIELD = 'dup.block';
/**
 * Pairs scoring this or more are listed: any shared identifier with names not clearly apart
 * (≥ 60), or the same name anchored by a city (70) or company (75), or names that sound alike
 * in the same city (65). The same name alone (50) is not.
 */
export const DUPLICATE_THRESHOLD = 60;

/**
 * What detection reads of the workspace, loaded by the caller before its transaction: on SQLite a
 * transaction holds the one connection, so a registry or region read from the pool inside it
 * (their caches expire every 30 s) would wait for the transaction forever.
 */
export interface Known {
  registry: Registry;
  region: CountryCode;
}
/** Existing customers compared with each new one, at most: detection stays bounded on common names. */
export const MAX_CANDIDATES = 5;
/** Holders of one token looked at, at most (a block of a frequent name in a big city is large). */
const PER_TOKEN = 8;
/**
 * A block (name sound with a city or company) that this many customers already share tells nobody
 * apart: 王伟 in 北京 is thousands of people. Such a block flags no pair on its own — a shared
 * identifier still does. Without this bound, a million-row import of Chinese names flagged half
 * its rows as possible duplicates of a namesake in the same city.
 */
export const COMMON_BLOCK = 4;
const SCAN_BATCH = 500;
export { DUPLICATE_STATUSES, type DuplicateStatus } from '../../../shared/duplicates.js';

const PROFILE_KEYS = ['name', 'companyName', 'city', 'email', 'phone', 'nationalId'] as const;
const IDENTIFIER_KEYS: readonly IdentifierReason[] = ['email', 'phone', 'nationalId'];
/** Further emails and phones are indexed apart (contact points); they identify a customer as well. */
const CONTACT_INDEX: Partial<Record<IdentifierReason, string>> = { email: 'contact.email', phone: 'contact.phone' };

interface Subject {
  id: string;
  kind: CustomerKind;
  profile: DuplicateProfile;
  /** Identifier → its normalized form (what its blind index is computed over). */
  identifiers: Partial<Record<IdentifierReason, string>>;
}

export type DuplicatePair = SharedPair<CustomerRecord>;

const isProfileKey = (key: string): key is (typeof PROFILE_KEYS)[number] => (PROFILE_KEYS as readonly string[]).includes(key);
const isIdentifier = (key: string): key is IdentifierReason => (IDENTIFIER_KEYS as readonly string[]).includes(key);

function subjectOf(id: string, kind: CustomerKind, values: readonly StandardValue[]): Subject {
  const profile: DuplicateProfile = {};
  const identifiers: Subject['identifiers'] = {};
  for (const { field, value, lookupKey } of values) {
    if (value === null || value === undefined || !isProfileKey(field.key)) continue;
    profile[field.key] = String(value);
    if (isIdentifier(field.key) && lookupKey) identifiers[field.key] = lookupKey;
  }
  // A company's name is its company: two companies of one name compare as the same company.
  if (kind === 'company' && profile.name) profile.companyName = profile.name;
  return { id, kind, profile, identifiers };
}

/** The block keys of a subject, with its kind: people and companies never meet. */
function blocksOf(subject: Subject): string[] {
  const { name, companyName, city } = subject.profile;
  if (!name) return [];
  const keys = subject.kind === 'company' ? (normalizeCompany(name) ? [`o:${normalizeCompany(name)}`] : []) : blockKeys({ name, companyName, city });
  return keys.map((key) => `${subject.kind}|${key}`);
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Duplicate detection: flags candidate pairs as customers are written, scans existing ones, lists and dismisses pairs. */
export function customerDuplicates(ctx: GatewayContext) {
  const { db, clock, audit, keyring, fields, phoneRegion, openBundles, present, relationOf } = ctx;

  /** A stored customer as a subject: its profile values decrypted, its identifiers normalized again. */
  async function subjectOfRow(executor: Kysely<DB>, row: CustomerRow, profileFields: readonly FieldDefinition[], region: Parameters<typeof standardizeValue>[2]): Promise<Subject> {
    const plain = fromDbJson<Record<string, unknown>>(row.plain_values) ?? {};
    const needsKey = profileFields.some((f) => isBundled(f.sensitivity));
    const bundles = needsKey ? openBundles(await keyring.subjectKey(executor, row.workspace_id, row.id), row) : null;
    const values: StandardValue[] = [];
    for (const field of profileFields) {
      const value = isBundled(field.sensitivity) ? bundles?.[field.sensitivity][field.key] : plain[field.key];
      if (value === undefined || value === null) continue;
      let lookupKey: string | null = null;
      if (isIdentifier(field.key)) {
        try {
          lookupKey = standardizeValue(field, value, region).lookupKey;
        } catch {
          // A value stored before a stricter rule: it identifies nothing.
        }
      }
      values.push({ field, value, lookupKey });
    }
    return subjectOf(row.id, row.kind as CustomerKind, values);
  }

  const profileFieldsOf = (registry: Registry, kind: CustomerKind) => registry.of(kind).filter((f) => isProfileKey(f.key));

  /**
   * The core of detection over subjects already stored: writes their block keys, finds who
   * shares an identifier or a block with them (one query a batch), scores at most
   * MAX_CANDIDATES of those each, and inserts the new pairs at or above the threshold.
   */
  async function flagSubjects(executor: Kysely<DB>, workspaceId: string, subjects: readonly Subject[], workspace: Known, options: { refreshBlocks: boolean }): Promise<number> {
    if (subjects.length === 0) return 0;
    const blockIndexKey = await keyring.fieldIndexKey(executor, workspaceId, BLOCK_FIELD);
    const probes = new Map<string, { field: string; token: Buffer; reason: IdentifierReason | null; owners: Set<string> }>();
    const probe = (field: string, token: Buffer, reason: IdentifierReason | null, owner: string) => {
      const key = `${field}|${token.toString('base64')}`;
      const known = probes.get(key);
      if (known) known.owners.add(owner);
      else probes.set(key, { field, token, reason, owners: new Set([owner]) });
    };
    const blockRows: LookupRow[] = [];
    for (const subject of subjects) {
      for (const block of blocksOf(subject)) {
        const token = blindIndex(blockIndexKey, block);
        blockRows.push({ workspace_id: workspaceId, field: BLOCK_FIELD, token, customer_id: subject.id });
        probe(BLOCK_FIELD, token, null, subject.id);
      }
      for (const [key, lookupKey] of Object.entries(subject.identifiers) as [IdentifierReason, string][]) {
        for (const field of [`${subject.kind}.${key}`, CONTACT_INDEX[key]].filter((f): f is string => !!f)) {
          probe(field, blindIndex(await keyring.fieldIndexKey(executor, workspaceId, field), lookupKey), key, subject.id);
        }
      }
    }
    if (options.refreshBlocks) await deleteLookupField(executor, workspaceId, subjects.map((s) => s.id), BLOCK_FIELD);
    await insertLookupRows(executor, blockRows);

    // Who else holds each probe: the batch's own customers (pairs within the batch) and stored ones.
    const kinds = new Map(subjects.map((s) => [s.id, s.kind]));
    const found = new Map<string, Map<string, Set<IdentifierReason>>>();
    const meet = (owner: string, other: string, reason: IdentifierReason | null) => {
      if (owner === other) return;
      let others = found.get(owner);
      if (!others) found.set(owner, (others = new Map()));
      const shared = others.get(other) ?? new Set<IdentifierReason>();
      if (reason) shared.add(reason);
      others.set(other, shared);
    };
    const holders = await tokenHolders(executor, workspaceId, [...probes.values()], PER_TOKEN);
    const held = new Map<string, number>();
    for (const holder of holders) {
      const key = `${holder.field}|${holder.token.toString('base64')}`;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
    const common = (key: string, entry: { reason: IdentifierReason | null; owners: Set<string> }) => entry.reason === null && (held.get(key) ?? 0) + entry.owners.size > COMMON_BLOCK;
    for (const [key, entry] of probes) {
      if (common(key, entry)) continue;
      for (const owner of entry.owners) for (const other of entry.owners) meet(owner, other, entry.reason);
    }
    const holderKinds = new Map<string, string>();
    for (const holder of holders) {
      holderKinds.set(holder.customer_id, holder.kind);
      const key = `${holder.field}|${holder.token.toString('base64')}`;
      const entry = probes.get(key);
      if (!entry || common(key, entry)) continue;
      for (const owner of entry.owners) if (kinds.get(owner) === holder.kind) meet(owner, holder.customer_id, entry.reason);
    }
    if (found.size === 0) return 0;

    // At most MAX_CANDIDATES each, those sharing most identifiers first; each pair once.
    const pairs = new Map<string, { a: string; b: string; shared: Set<IdentifierReason> }>();
    for (const [owner, others] of found) {
      const ranked = [...others].sort((x, y) => y[1].size - x[1].size || (x[0] < y[0] ? -1 : 1)).slice(0, MAX_CANDIDATES);
      for (const [other, shared] of ranked) {
        const key = pairKey(owner, other);
        const known = pairs.get(key);
        if (known) for (const reason of shared) known.shared.add(reason);
        else pairs.set(key, { a: owner < other ? owner : other, b: owner < other ? other : owner, shared: new Set(shared) });
      }
    }
    const flagged = await knownPairs(executor, workspaceId, [...pairs.values()].map((p) => [p.a, p.b] as [string, string]));
    const fresh = [...pairs.entries()].filter(([key]) => !flagged.has(key)).map(([, pair]) => pair);
    if (fresh.length === 0) return 0;

    // The profiles of the stored customers met, decrypted (bounded by MAX_CANDIDATES per subject).
    const profiles = new Map(subjects.map((s) => [s.id, s.profile]));
    const missing = [...new Set(fresh.flatMap((p) => [p.a, p.b]))].filter((id) => !profiles.has(id));
    if (missing.length > 0) {
      for (const row of await liveCustomers(executor, workspaceId, missing)) {
        profiles.set(row.id, (await subjectOfRow(executor, row, profileFieldsOf(workspace.registry, row.kind as CustomerKind), workspace.region)).profile);
      }
    }
    const now = toDbTime(clock.now());
    const rows: CandidateRow[] = [];
    for (const { a, b, shared } of fresh) {
      const pa = profiles.get(a);
      const pb = profiles.get(b);
      if (!pa || !pb) continue;
      const { score, reasons } = scorePair(pa, pb, shared);
      if (score < DUPLICATE_THRESHOLD) continue;
      rows.push({ workspace_id: workspaceId, id: newId(), customer_a: a, customer_b: b, score, reasons: toDbJson(reasons), status: 'open', created_at: now, resolved_by: null, resolved_at: null });
    }
    await insertCandidates(executor, rows);
    return rows.length;
  }

  /** Both customers of each candidate, presented to the actor, when both are within reach. */
  async function presentPairs(actor: Actor, candidates: readonly CandidateRow[], scope: Parameters<typeof reaches>[1], withDeleted: boolean) {
    const ids = [...new Set(candidates.flatMap((c) => [c.customer_a, c.customer_b]))];
    const rows = new Map((await (withDeleted ? customersByIds(db, actor.workspaceId, ids) : liveCustomers(db, actor.workspaceId, ids))).map((row) => [row.id, row]));
    const out: DuplicatePair[] = [];
    for (const candidate of candidates) {
      const a = rows.get(candidate.customer_a);
      const b = rows.get(candidate.customer_b);
      if (!a || !b || !reaches(actor, scope, tiesOf(a)) || !reaches(actor, scope, tiesOf(b))) continue;
      out.push({
        id: candidate.id,
        score: candidate.score,
        reasons: fromDbJson<DuplicateReason[]>(candidate.reasons) ?? [],
        status: candidate.status as DuplicateStatus,
        createdAt: isoFromDb(candidate.created_at)!,
        resolvedAt: isoFromDb(candidate.resolved_at),
        customers: [(await present(actor, a, undefined, await relationOf(actor, a))).record, (await present(actor, b, undefined, await relationOf(actor, b))).record],
      });
    }
    return out;
  }

  return {
    /**
     * Flags customers just written (in the writer's transaction): API creates and the import's
     * batches. Returns how many candidate pairs were flagged. A batch with no match costs the
     * block keys' HMACs, one insert of their lookup rows and one lookup query.
     */
    async flagDuplicates(executor: Kysely<DB>, actor: Actor, customers: readonly { id: string; values: readonly StandardValue[] }[], known: Known): Promise<number> {
      const subjects = customers.filter((c) => c.values.length > 0).map((c) => subjectOf(c.id, c.values[0]!.field.kind, c.values));
      return flagSubjects(executor, actor.workspaceId, subjects, known, { refreshBlocks: false });
    },

    /**
     * Detection over the customers already stored (those written before detection existed, or
     * changed since): every live customer, in batches of 500, its block keys written again.
     * Reports progress after each batch.
     */
    async scanDuplicates(actor: Actor, onProgress: (progress: { done: number; total: number; flagged: number }) => void = () => {}): Promise<{ customers: number; flagged: number }> {
      authorizeCapability(actor, 'manageSettings');
      const workspaceId = actor.workspaceId;
      const total = await countLiveCustomers(db, workspaceId);
      const region = await phoneRegion(workspaceId);
      let after: string | null = null;
      let done = 0;
      let flagged = 0;
      onProgress({ done, total, flagged });
      for (;;) {
        const rows = await liveCustomersAfter(db, workspaceId, after, SCAN_BATCH);
        if (rows.length === 0) break;
        const profileFields = new Map<string, FieldDefinition[]>();
        const known = { registry: await fields.load(workspaceId), region };
        for (const kind of new Set(rows.map((r) => r.kind as CustomerKind))) profileFields.set(kind, profileFieldsOf(known.registry, kind));
        flagged += await db.transaction().execute(async (trx) => {
          const subjects: Subject[] = [];
          for (const row of rows) subjects.push(await subjectOfRow(trx, row, profileFields.get(row.kind)!, region));
          return flagSubjects(trx, workspaceId, subjects, known, { refreshBlocks: true });
        });
        done += rows.length;
        after = rows[rows.length - 1]!.id;
        // Customers created during the scan may push `done` past the count taken at its start.
        onProgress({ done, total: Math.max(done, total), flagged });
      }
      await audit.record(actor, { action: 'duplicates.scanned', outcome: 'success', metadata: { customers: done, flagged } });
      return { customers: done, flagged };
    },

    /** A page of candidate pairs, best first, both customers within the actor's reach, shown at the actor's field levels. */
    async listDuplicates(actor: Actor, options: { status: DuplicateStatus; cursor?: string; limit: number }): Promise<{ items: DuplicatePair[]; nextCursor: string | null }> {
      const scope = authorizeCustomers(actor, 'read');
      let after = options.cursor ? decodeCursor(options.cursor) : null;
      const items: DuplicatePair[] = [];
      let exhausted = false;
      // Pairs out of reach are skipped: read on until the page is full (a few pages at most).
      for (let round = 0; round < 10 && items.length < options.limit && !exhausted; round++) {
        const page = await candidatesPage(db, actor.workspaceId, { status: options.status, after, limit: options.limit });
        exhausted = page.length < options.limit;
        const last = page[page.length - 1];
        if (last) after = { score: last.score, id: last.id };
        items.push(...(await presentPairs(actor, page, scope, options.status === 'merged')));
      }
      const shown = items.slice(0, options.limit);
      const lastShown = shown[shown.length - 1];
      const more = !exhausted || items.length > options.limit;
      await audit.recordRead(actor, { action: 'duplicates.listed', outcome: 'success', metadata: { customerIds: [...new Set(shown.flatMap((p) => p.customers.map((c) => c.id)))], count: shown.length } });
      return { items: shown, nextCursor: more && lastShown ? encodeCursor({ score: lastShown.score, id: lastShown.id }) : null };
    },

    /** Marks a pair as not a duplicate: it is not flagged again (a pair is stored once). */
    async dismissDuplicate(actor: Actor, id: string): Promise<void> {
      const scope = authorizeCustomers(actor, 'update');
      const candidate = await findCandidate(db, actor.workspaceId, id);
      const rows = candidate ? await liveCustomers(db, actor.workspaceId, [candidate.customer_a, candidate.customer_b]) : [];
      if (!candidate || rows.length !== 2 || !rows.every((row) => reaches(actor, scope, tiesOf(row)))) throw notFound('duplicate_not_found', 'No such duplicate pair.');
      await db.transaction().execute(async (trx) => {
        await resolveCandidate(trx, actor.workspaceId, id, { status: 'dismissed', resolved_by: actor.kind === 'user' ? actor.userId : actor.name, resolved_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'duplicate.dismissed', outcome: 'success', metadata: { customerIds: [candidate.customer_a, candidate.customer_b] }, object: { type: 'duplicate', id } }, trx);
      });
    },
  };
}

function encodeCursor(at: { score: number; id: string }): string {
  return Buffer.from(JSON.stringify([at.score, at.id])).toString('base64url');
}

function decodeCursor(cursor: string): { score: number; id: string } {
  try {
    const [score, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof score === 'number' && typeof id === 'string') return { score, id };
  } catch {
    // Falls through to the error.
  }
  throw badRequest('invalid_cursor', 'The cursor is not valid.', 'cursor');
}
