import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../db/mapping.js';
import type { TokenNarrowing } from '../access/engine.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { hashSecret, newApiToken } from './secrets.js';
import { insertApiToken, listApiTokens, revokeApiTokens, type ApiTokenRow } from './store.js';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;

function presentToken(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    narrowing: fromDbJson<TokenNarrowing>(row.narrowing),
    createdAt: isoFromDb(row.created_at)!,
    expiresAt: isoFromDb(row.expires_at)!,
    lastUsedAt: isoFromDb(row.last_used_at),
    revokedAt: isoFromDb(row.revoked_at),
  };
}

export type TokenView = ReturnType<typeof presentToken>;

/** Personal access tokens: shown once, stored as a hash, named, expiring, revocable. */
export function createTokenService({ db, clock, audit }: { db: Kysely<DB>; clock: Clock; audit: Pick<AuditService, 'record'> }) {
  return {
    /**
     * Creates a token for `owner` (a user of the actor's workspace). The web app creates
     * tokens for the caller; the CLI (a system actor) for any user it names.
     */
    async create(actor: Actor, owner: { workspaceId: string; userId: string }, name: string, expiresInDays = DEFAULT_TOKEN_DAYS, narrowing: TokenNarrowing | null = null) {
      const token = newApiToken();
      const now = toDbTime(clock.now());
      const row: ApiTokenRow = {
        workspace_id: owner.workspaceId,
        id: newId(now),
        user_id: owner.userId,
        name: name.trim(),
        token_hash: hashSecret(token),
        prefix: token.slice(0, 8),
        created_at: now,
        expires_at: now + expiresInDays * 86_400_000,
        last_used_at: null,
        last_used_ip: null,
        revoked_at: null,
        narrowing: narrowing ? toDbJson(narrowing) : null,
      };
      await db.transaction().execute(async (trx) => {
        await insertApiToken(trx, row);
        await audit.record(
          actor,
          { action: 'token.created', outcome: 'success', metadata: { name: row.name, expiresAt: isoFromDb(row.expires_at)!, narrowing }, object: { type: 'api_token', id: row.id } },
          trx,
        );
      });
      return { token, item: presentToken(row) };
    },

    async list(actor: Extract<Actor, { kind: 'user' }>): Promise<TokenView[]> {
      return (await listApiTokens(db, actor.workspaceId, actor.userId)).map(presentToken);
    },

    async revoke(actor: Extract<Actor, { kind: 'user' }>, tokenId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const revoked = await revokeApiTokens(trx, actor.workspaceId, actor.userId, toDbTime(clock.now()), tokenId);
        if (revoked === 0) throw notFound('token_not_found', 'No such active token.');
        await audit.record(actor, { action: 'token.revoked', outcome: 'success', metadata: {}, object: { type: 'api_token', id: tokenId } }, trx);
      });
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
