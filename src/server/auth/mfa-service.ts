import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { toDbTime } from '../db/mapping.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { findUser, updateUser, type UserRow } from '../users/store.js';
import { findWorkspace } from '../workspaces/store.js';
import { requireRecentReauth, type AuthContext } from './context.js';
import { hashSecret, newRecoveryCode, normalizeRecoveryCode } from './secrets.js';
import { claimTotpStep, replaceRecoveryCodes, unusedRecoveryCodes, useRecoveryCode } from './store.js';
import { matchTotpStep, newTotpSecret, totpQrCode, totpUri } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Custos';

type Actor = AuthContext['actor'];
export type SecondFactorResult = { ok: true; method: 'totp' | 'recovery_code'; remaining?: number } | { ok: false };

/** TOTP secrets are sealed under the master key, bound to the user they belong to. */
function totpAad(workspaceId: string, userId: string, column: 'totp_secret' | 'totp_pending_secret'): string {
  return `custos:users.${column}:${workspaceId}:${userId}`;
}

export function createMfaService({ db, clock, audit, keys }: { db: Kysely<DB>; clock: Clock; audit: Pick<AuditService, 'record'>; keys: KeyProvider }) {
  const seal = (secret: string, aad: string) => keys.seal(Buffer.from(secret, 'utf8'), aad).toString('base64');
  const open = (sealed: string, aad: string) => keys.open(Buffer.from(sealed, 'base64'), aad).toString('utf8');

  async function requireUser(actor: Actor): Promise<UserRow> {
    const user = await findUser(db, actor.workspaceId, actor.userId);
    if (!user) throw notFound();
    return user;
  }

  async function issueRecoveryCodes(executor: Kysely<DB>, user: UserRow): Promise<string[]> {
    const now = toDbTime(clock.now());
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await replaceRecoveryCodes(
      executor,
      user.workspace_id,
      user.id,
      codes.map((code) => ({ workspace_id: user.workspace_id, id: newId(), user_id: user.id, code_hash: hashSecret(code), used_at: null, created_at: now })),
    );
    return codes;
  }

  return {
    async status(actor: Actor) {
      const user = await requireUser(actor);
      const remaining = await unusedRecoveryCodes(db, actor.workspaceId, actor.userId);
      return { totpEnabled: user.totp_secret !== null, recoveryCodesRemaining: remaining.length };
    },

    /**
     * Checks a second factor of a user that has one: a 6-digit TOTP code (each time step
     * accepted once) or one of their unused recovery codes (each accepted once).
     */
    async verifySecondFactor(user: UserRow, code: string): Promise<SecondFactorResult> {
      if (!user.totp_secret) return { ok: false };
      const compact = code.replace(/\s/g, '');
      if (/^\d{6}$/.test(compact)) {
        const secret = open(user.totp_secret, totpAad(user.workspace_id, user.id, 'totp_secret'));
        const step = matchTotpStep(secret, compact, clock.now());
        if (step === null) return { ok: false };
        return (await claimTotpStep(db, user.workspace_id, user.id, step)) ? { ok: true, method: 'totp' } : { ok: false };
      }
      const hash = hashSecret(normalizeRecoveryCode(compact));
      const candidates = await unusedRecoveryCodes(db, user.workspace_id, user.id);
      const match = candidates.find((candidate) => candidate.code_hash === hash);
      if (!match || !(await useRecoveryCode(db, user.workspace_id, match.id, toDbTime(clock.now())))) return { ok: false };
      return { ok: true, method: 'recovery_code', remaining: candidates.length - 1 };
    },

    async beginTotpSetup(actor: Actor) {
      requireRecentReauth(actor, clock.now());
      const user = await requireUser(actor);
      if (user.totp_secret) throw conflict('mfa_already_enabled', 'A second factor is already set up. Turn it off first to replace it.');
      const secret = newTotpSecret();
      await updateUser(db, actor.workspaceId, actor.userId, {
        totp_pending_secret: seal(secret, totpAad(actor.workspaceId, actor.userId, 'totp_pending_secret')),
        updated_at: toDbTime(clock.now()),
      });
      await audit.record(actor, { action: 'mfa.totp_setup_started', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } });
      const otpauthUrl = totpUri(secret, user.email, ISSUER);
      return { secret, otpauthUrl, qrCodeDataUrl: await totpQrCode(otpauthUrl) };
    },

    /** Turns TOTP on once the user proves their app shows the right code; returns fresh recovery codes. */
    async enableTotp(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
      const user = await requireUser(actor);
      if (user.totp_secret) throw conflict('mfa_already_enabled', 'A second factor is already set up.');
      if (!user.totp_pending_secret) throw conflict('mfa_setup_not_started', 'Start the set-up first.');
      const secret = open(user.totp_pending_secret, totpAad(actor.workspaceId, actor.userId, 'totp_pending_secret'));
      const step = matchTotpStep(secret, code, clock.now());
      if (step === null) throw badRequest('invalid_mfa_code', 'That code is not right. Check the time on your phone and try the newest code.', 'code');
      return db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, actor.userId, {
          totp_secret: seal(secret, totpAad(actor.workspaceId, actor.userId, 'totp_secret')),
          totp_pending_secret: null,
          totp_last_step: step,
          updated_at: toDbTime(clock.now()),
        });
        const recoveryCodes = await issueRecoveryCodes(trx, user);
        await audit.record(actor, { action: 'mfa.totp_enabled', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } }, trx);
        return { recoveryCodes };
      });
    },

    async disableTotp(actor: Actor): Promise<void> {
      requireRecentReauth(actor, clock.now());
      const workspace = await findWorkspace(db, actor.workspaceId);
      if (workspace && workspace.require_mfa === 1) {
        throw conflict('mfa_required_by_workspace', 'Your workspace requires a second factor for everyone.');
      }
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, actor.userId, {
          totp_secret: null,
          totp_pending_secret: null,
          totp_last_step: null,
          updated_at: toDbTime(clock.now()),
        });
        await replaceRecoveryCodes(trx, actor.workspaceId, actor.userId, []);
        await audit.record(actor, { action: 'mfa.totp_disabled', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } }, trx);
      });
    },

    async regenerateRecoveryCodes(actor: Actor): Promise<{ recoveryCodes: string[] }> {
      requireRecentReauth(actor, clock.now());
      const user = await requireUser(actor);
      if (!user.totp_secret) throw conflict('mfa_not_enabled', 'Set up an authenticator app first.');
      return db.transaction().execute(async (trx) => {
        const recoveryCodes = await issueRecoveryCodes(trx, user);
        await audit.record(actor, { action: 'mfa.recovery_codes_regenerated', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } }, trx);
        return { recoveryCodes };
      });
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
