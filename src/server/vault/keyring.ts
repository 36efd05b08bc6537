import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { toDbTime } from '../db/mapping.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { decryptField, encryptField } from './crypto/field-cipher.js';
import { deriveFieldIndexKey } from './crypto/blind-index.js';
import { findSubjectKey, findSubjectKeys, findWorkspaceKey, insertSubjectKeys, insertWorkspaceKey, type SubjectKeyRow } from './key-store.js';

type Purpose = 'data' | 'index';

/** How long an unwrapped subject key stays in memory after its last use. */
const SUBJECT_KEY_TTL_MS = 60_000;
const SUBJECT_KEY_CACHE_SIZE = 10_000;
const CURRENT_VERSION_TTL_MS = 30_000;

const workspaceKeyAad = (workspaceId: string, purpose: Purpose, version: number) => `custos:workspace_keys:${workspaceId}:${purpose}:${version}`;
const subjectKeyPlace = (workspaceId: string, customerId: string) => ({ workspaceId, table: 'subject_keys', recordId: customerId, field: 'key' });

/**
 * The key hierarchy below the master key: versioned workspace keys (data keys wrap subject
 * keys; the index key derives blind-index keys), wrapped by the KeyProvider; per-customer
 * subject keys wrapped by the workspace data key. Unwrapped keys are cached briefly in memory
 * and never written unwrapped. Rotation and rewrap build on the versions (issue #3, item 4).
 */
export function createKeyring({ keys, clock }: { keys: KeyProvider; clock: Clock }) {
  const workspaceKeys = new Map<string, Buffer>();
  /** Which version is current, re-read now and then: another process (the CLI) may rotate. */
  const currentVersions = new Map<string, { version: number; readAt: number }>();
  const subjectKeys = new Map<string, { key: Buffer; lastUsed: number }>();
  const fieldIndexKeys = new Map<string, Buffer>();

  async function createWorkspaceKey(executor: Kysely<DB>, workspaceId: string, purpose: Purpose, version: number): Promise<void> {
    const key = randomBytes(32);
    await insertWorkspaceKey(executor, {
      workspace_id: workspaceId,
      purpose,
      version,
      wrapped_key: keys.seal(key, workspaceKeyAad(workspaceId, purpose, version)),
      kek_id: keys.keyId,
      created_at: toDbTime(clock.now()),
      retired_at: null,
    });
  }

  async function workspaceKey(executor: Kysely<DB>, workspaceId: string, purpose: Purpose, version?: number): Promise<{ key: Buffer; version: number }> {
    const current = currentVersions.get(`${workspaceId}:${purpose}`);
    const fresh = current && clock.now().getTime() - current.readAt < CURRENT_VERSION_TTL_MS ? current.version : undefined;
    const wanted = version ?? fresh;
    const cached = wanted !== undefined ? workspaceKeys.get(`${workspaceId}:${purpose}:${wanted}`) : undefined;
    if (cached && wanted !== undefined) return { key: cached, version: wanted };

    let row = await findWorkspaceKey(executor, workspaceId, purpose, version);
    if (!row && version === undefined) {
      await createWorkspaceKey(executor, workspaceId, purpose, 1);
      row = await findWorkspaceKey(executor, workspaceId, purpose);
    }
    if (!row) throw new Error(`workspace ${purpose} key version ${version} is missing`);
    const key = keys.open(Buffer.from(row.wrapped_key), workspaceKeyAad(workspaceId, purpose, row.version));
    workspaceKeys.set(`${workspaceId}:${purpose}:${row.version}`, key);
    if (version === undefined) currentVersions.set(`${workspaceId}:${purpose}`, { version: row.version, readAt: clock.now().getTime() });
    return { key, version: row.version };
  }

  function remember(cacheKey: string, key: Buffer): void {
    subjectKeys.set(cacheKey, { key, lastUsed: clock.now().getTime() });
    if (subjectKeys.size > SUBJECT_KEY_CACHE_SIZE) subjectKeys.delete(subjectKeys.keys().next().value!);
  }

  return {
    /**
     * New subject keys for new customers, with their wrapped rows. The caller stores the rows
     * (storeSubjectKeys) after the customer rows they reference, in the same transaction.
     */
    async newSubjectKeys(executor: Kysely<DB>, workspaceId: string, customerIds: readonly string[]) {
      const data = await workspaceKey(executor, workspaceId, 'data');
      const createdAt = toDbTime(clock.now());
      // One draw from the CSPRNG for the batch, each key copied out of it on its own.
      const drawn = randomBytes(32 * customerIds.length);
      const keys = customerIds.map((_, i) => Buffer.from(drawn.subarray(32 * i, 32 * (i + 1))));
      drawn.fill(0);
      const rows = customerIds.map((customerId, i) => ({
        workspace_id: workspaceId,
        customer_id: customerId,
        data_key_version: data.version,
        wrapped_key: encryptField(data.key, data.version, keys[i]!, subjectKeyPlace(workspaceId, customerId)),
        created_at: createdAt,
      }));
      return { keys, rows };
    },

    storeSubjectKeys(executor: Kysely<DB>, rows: SubjectKeyRow[]): Promise<void> {
      return insertSubjectKeys(executor, rows);
    },

    /** The customer's subject key, or null once it was destroyed (crypto-shredding). */
    async subjectKey(executor: Kysely<DB>, workspaceId: string, customerId: string): Promise<Buffer | null> {
      const cacheKey = `${workspaceId}:${customerId}`;
      const cached = subjectKeys.get(cacheKey);
      const now = clock.now().getTime();
      if (cached && now - cached.lastUsed < SUBJECT_KEY_TTL_MS) {
        cached.lastUsed = now;
        return cached.key;
      }
      subjectKeys.delete(cacheKey);
      const row = await findSubjectKey(executor, workspaceId, customerId);
      if (!row) return null;
      const data = await workspaceKey(executor, workspaceId, 'data', row.data_key_version);
      const key = decryptField(data.key, Buffer.from(row.wrapped_key), subjectKeyPlace(workspaceId, customerId));
      remember(cacheKey, key);
      return key;
    },

    /**
     * The subject keys of many customers (a report's or a scan's batch), in one query and without
     * going through the cache: a bulk reader would push out the keys requests are using. Customers
     * whose key was destroyed are absent.
     */
    async subjectKeys(executor: Kysely<DB>, workspaceId: string, customerIds: readonly string[]): Promise<Map<string, Buffer>> {
      const keys = new Map<string, Buffer>();
      for (const row of await findSubjectKeys(executor, workspaceId, customerIds)) {
        const data = await workspaceKey(executor, workspaceId, 'data', row.data_key_version);
        keys.set(row.customer_id, decryptField(data.key, Buffer.from(row.wrapped_key), subjectKeyPlace(workspaceId, row.customer_id)));
      }
      return keys;
    },

    /** The blind-index key of one field of a workspace (HKDF from the workspace index key). */
    async fieldIndexKey(executor: Kysely<DB>, workspaceId: string, field: string): Promise<Buffer> {
      const cacheKey = `${workspaceId}:${field}`;
      const cached = fieldIndexKeys.get(cacheKey);
      if (cached) return cached;
      const index = await workspaceKey(executor, workspaceId, 'index');
      const key = deriveFieldIndexKey(index.key, field);
      fieldIndexKeys.set(cacheKey, key);
      return key;
    },

    /** Makes a new current data-key version: new subject keys are wrapped with it from now on. */
    async rotateDataKey(executor: Kysely<DB>, workspaceId: string): Promise<number> {
      const current = await findWorkspaceKey(executor, workspaceId, 'data');
      const version = (current?.version ?? 0) + 1;
      await createWorkspaceKey(executor, workspaceId, 'data', version);
      currentVersions.delete(`${workspaceId}:data`);
      return version;
    },

    /** Re-wraps one subject key row under the current data key; the subject key itself (and so the data) is unchanged. */
    async rewrap(executor: Kysely<DB>, row: SubjectKeyRow): Promise<SubjectKeyRow> {
      const from = await workspaceKey(executor, row.workspace_id, 'data', row.data_key_version);
      const to = await workspaceKey(executor, row.workspace_id, 'data');
      if (to.version === row.data_key_version) return row;
      const place = subjectKeyPlace(row.workspace_id, row.customer_id);
      const key = decryptField(from.key, Buffer.from(row.wrapped_key), place);
      return { ...row, data_key_version: to.version, wrapped_key: encryptField(to.key, to.version, key, place) };
    },

    currentDataKeyVersion: async (executor: Kysely<DB>, workspaceId: string) => (await workspaceKey(executor, workspaceId, 'data')).version,

    /** Forgets a subject key held in memory (after it was destroyed). */
    forget(workspaceId: string, customerId: string): void {
      subjectKeys.delete(`${workspaceId}:${customerId}`);
    },
  };
}

export type Keyring = ReturnType<typeof createKeyring>;
