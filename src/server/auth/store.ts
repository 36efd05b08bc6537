import { sql, type Kysely, type Selectable } from 'kysely';
import type { ApiTokensTable, DB, RecoveryCodesTable, SessionsTable } from '../db/schema.js';
import { compiledLookup } from '../db/compiled-query.js';

export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type RecoveryCodeRow = Selectable<RecoveryCodesTable>;

/** What every authenticated request needs, in one query: the credential, its user and workspace. */
const principalColumns = [
  'users.id as user_id',
  'users.email as user_email',
  'users.display_name as user_display_name',
  'users.role as user_role',
  'users.team_id as user_team_id',
  'users.status as user_status',
  'users.locale as user_locale',
  'users.totp_secret as user_totp_secret',
  'users.last_sign_in_at as user_last_sign_in_at',
  'users.created_at as user_created_at',
  'workspaces.id as workspace_id',
  'workspaces.name as workspace_name',
  'workspaces.require_mfa as workspace_require_mfa',
] as const;

/** Runs on every cookie request: compiled once, prepared once. */
export const findSessionPrincipal = compiledLookup((db, tokenHash) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', (join) => join.onRef('users.workspace_id', '=', 'sessions.workspace_id').onRef('users.id', '=', 'sessions.user_id'))
    .innerJoin('workspaces', 'workspaces.id', 'sessions.workspace_id')
    .select(['sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.reauth_at', 'sessions.ended_at'])
    .select(principalColumns)
    .where('sessions.token_hash', '=', tokenHash),
);

/** Runs on every bearer request: compiled once, prepared once. */
export const findTokenPrincipal = compiledLookup((db, tokenHash) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', (join) => join.onRef('users.workspace_id', '=', 'api_tokens.workspace_id').onRef('users.id', '=', 'api_tokens.user_id'))
    .innerJoin('workspaces', 'workspaces.id', 'api_tokens.workspace_id')
    .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at', 'api_tokens.last_used_ip', 'api_tokens.narrowing'])
    .select(principalColumns)
    .where('api_tokens.token_hash', '=', tokenHash),
);

export type SessionPrincipal = NonNullable<Awaited<ReturnType<typeof findSessionPrincipal>>>;
export type TokenPrincipal = NonNullable<Awaited<ReturnType<typeof findTokenPrincipal>>>;

export function insertSession(db: Kysely<DB>, row: SessionRow): Promise<unknown> {
  return db.insertInto('sessions').values(row).execute();
}

export function touchSession(db: Kysely<DB>, workspaceId: string, id: string, at: number): Promise<unknown> {
  return db.updateTable('sessions').set({ last_seen_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function setSessionReauth(db: Kysely<DB>, workspaceId: string, id: string, at: number): Promise<unknown> {
  return db.updateTable('sessions').set({ reauth_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function listOpenSessions(db: Kysely<DB>, workspaceId: string, userId: string, now: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Ends sessions of a user; `only` narrows to one session, `except` spares one. Returns how many ended. */
export async function endSessions(
  db: Kysely<DB>,
  workspaceId: string,
  userId: string,
  at: number,
  reason: string,
  filter: { only?: string; except?: string } = {},
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ ended_at: at, end_reason: reason })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null);
  if (filter.only) query = query.where('id', '=', filter.only);
  if (filter.except) query = query.where('id', '!=', filter.except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function insertApiToken(db: Kysely<DB>, row: ApiTokenRow): Promise<unknown> {
  return db.insertInto('api_tokens').values(row).execute();
}

export function listApiTokens(db: Kysely<DB>, workspaceId: string, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiTokens(
  db: Kysely<DB>,
  workspaceId: string,
  userId: string,
  at: number,
  only?: string,
): Promise<number> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (only) query = query.where('id', '=', only);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function markApiTokenUsed(db: Kysely<DB>, workspaceId: string, id: string, at: number, ip: string | null): Promise<unknown> {
  return db.updateTable('api_tokens').set({ last_used_at: at, last_used_ip: ip }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function replaceRecoveryCodes(db: Kysely<DB>, workspaceId: string, userId: string, rows: RecoveryCodeRow[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('recovery_codes').values(rows).execute();
}

export function unusedRecoveryCodes(db: Kysely<DB>, workspaceId: string, userId: string): Promise<RecoveryCodeRow[]> {
  return db
    .selectFrom('recovery_codes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** Marks a code used only if it still was unused: two concurrent uses cannot both succeed. */
export async function useRecoveryCode(db: Kysely<DB>, workspaceId: string, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Claims a TOTP step: succeeds once per step, so a code observed in transit cannot be replayed. */
export async function claimTotpStep(db: Kysely<DB>, workspaceId: string, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ThrottleState {
  failures: number;
  lockedUntil: number | null;
}

export async function readThrottle(db: Kysely<DB>, workspaceId: string, bucket: string): Promise<ThrottleState | null> {
  const row = await db
    .selectFrom('throttle_buckets')
    .select(['failures', 'locked_until'])
    .where('workspace_id', '=', workspaceId)
    .where('bucket', '=', bucket)
    .executeTakeFirst();
  return row ? { failures: row.failures, lockedUntil: row.locked_until } : null;
}

/** Counts one failure in a sliding window atomically; returns the count after it. */
export async function addThrottleFailure(db: Kysely<DB>, workspaceId: string, bucket: string, now: number, windowMs: number): Promise<number> {
  const windowOpen = now - windowMs;
  const row = await db
    .insertInto('throttle_buckets')
    .values({ workspace_id: workspaceId, bucket, failures: 1, window_start: now, locked_until: null })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'bucket']).doUpdateSet({
        failures: sql<number>`case when throttle_buckets.window_start < ${windowOpen} then 1 else throttle_buckets.failures + 1 end`,
        window_start: sql<number>`case when throttle_buckets.window_start < ${windowOpen} then ${now} else throttle_buckets.window_start end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

export function lockThrottle(db: Kysely<DB>, workspaceId: string, bucket: string, until: number): Promise<unknown> {
  return db
    .updateTable('throttle_buckets')
    .set({ locked_until: until, failures: 0 })
    .where('workspace_id', '=', workspaceId)
    .where('bucket', '=', bucket)
    .execute();
}

export function clearThrottle(db: Kysely<DB>, workspaceId: string, bucket: string): Promise<unknown> {
  return db.deleteFrom('throttle_buckets').where('workspace_id', '=', workspaceId).where('bucket', '=', bucket).execute();
}
