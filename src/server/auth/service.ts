import type { Kysely } from 'kysely';
import type { RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { isoFromDb, toDbTime } from '../db/mapping.js';
import { badRequest, notFound, tooManyRequests, unauthorized } from '../http/errors.js';
import { newId } from '../ids.js';
import { normalizeEmail } from '../users/email.js';
import { findUser, findUsersByEmailEverywhere, updateUser, type UserRow } from '../users/store.js';
import type { AccessResolver } from '../access/resolve.js';
import { contextFromPrincipal, type AuthContext } from './context.js';
import type { MfaService } from './mfa-service.js';
import { assessPassword, decoyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets.js';
import {
  endSessions,
  findSessionPrincipal,
  findTokenPrincipal,
  insertSession,
  listOpenSessions,
  markApiTokenUsed,
  revokeApiTokens,
  setSessionReauth,
  touchSession,
  type SessionPrincipal,
  type TokenPrincipal,
} from './store.js';
import { loginThrottleKeys, type Throttle } from './throttle.js';

/** A session's last-seen time is written at most this often; idle expiry is that precise. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionSettings {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SignInInput {
  email: string;
  password: string;
  code?: string;
  workspace?: string;
}

type Actor = AuthContext['actor'];

export function createAuthService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  mfa: MfaService;
  throttle: Throttle;
  sessions: SessionSettings;
  resolveAccess: AccessResolver;
}) {
  const { db, clock, audit, mfa, throttle, resolveAccess } = deps;
  const subjectOf = (principal: SessionPrincipal | TokenPrincipal) => ({
    workspaceId: principal.workspace_id,
    userId: principal.user_id,
    role: principal.user_role,
    teamId: principal.user_team_id,
    narrowing: 'narrowing' in principal ? principal.narrowing : null,
  });
  const idleMs = deps.sessions.idleMinutes * 60_000;
  const absoluteMs = deps.sessions.absoluteHours * 3_600_000;

  async function openSession(user: UserRow, origin: RequestOrigin) {
    const token = newSecret(32);
    const now = toDbTime(clock.now());
    const id = newId(now);
    await insertSession(db, {
      workspace_id: user.workspace_id,
      id,
      user_id: user.id,
      token_hash: hashSecret(token),
      created_at: now,
      last_seen_at: now,
      expires_at: now + absoluteMs,
      reauth_at: now,
      ip: origin.ip,
      user_agent: origin.userAgent?.slice(0, 512) ?? null,
      ended_at: null,
      end_reason: null,
    });
    await updateUser(db, user.workspace_id, user.id, { last_sign_in_at: now });
    return { token, sessionId: id };
  }

  /**
   * Finds the account among those with this address whose password matches. `suspects` are
   * the accounts a failure is recorded against (none when the address is unknown).
   */
  async function matchAccount(email: string, password: string, workspace: string | undefined): Promise<{ user: UserRow | null; suspects: UserRow[] }> {
    let candidates = await findUsersByEmailEverywhere(db, email);
    if (workspace) candidates = candidates.filter((c) => c.workspace_id === workspace || c.workspace_name === workspace);
    if (candidates.length === 0) {
      await verifyPassword(await decoyPasswordHash(), password);
      return { user: null, suspects: [] };
    }
    const matching: UserRow[] = [];
    for (const candidate of candidates) {
      if (await verifyPassword(candidate.password_hash, password)) matching.push(candidate);
    }
    if (matching.length > 1) throw badRequest('workspace_required', 'This address belongs to several workspaces: name the workspace.', 'workspace');
    return { user: matching[0] ?? null, suspects: candidates };
  }

  return {
    /**
     * Password, then (when the user has one) the second factor. Every failure counts against
     * the address and the IP; a locked key answers 429 without looking at the password.
     */
    async signIn(input: SignInInput, origin: RequestOrigin): Promise<{ token: string; context: AuthContext }> {
      const email = normalizeEmail(input.email);
      const keys = loginThrottleKeys(email, origin.ip);
      const wait = await throttle.retryAfter(keys);
      if (wait !== null) {
        await audit.recordAnonymous(null, null, origin, { action: 'auth.sign_in_failed', outcome: 'failure', metadata: { reason: 'throttled' } });
        throw tooManyRequests(wait);
      }

      /** Counts the failure, records it in the workspace of each account concerned (or installation-wide), throws. */
      const fail = async (suspects: UserRow[], reason: 'unknown_user' | 'bad_password' | 'bad_mfa_code', error: Error): Promise<never> => {
        const subjects = suspects.length > 0 ? suspects.map((u) => ({ workspaceId: u.workspace_id, userId: u.id })) : [{ workspaceId: null, userId: null }];
        const locks = await throttle.fail(keys);
        for (const subject of subjects) {
          await audit.recordAnonymous(subject.workspaceId, subject.userId, origin, { action: 'auth.sign_in_failed', outcome: 'failure', metadata: { reason } });
          for (const lock of locks) {
            await audit.recordAnonymous(subject.workspaceId, subject.userId, origin, {
              action: 'auth.locked_out',
              outcome: 'denied',
              metadata: { until: lock.until.toISOString(), scope: lock.key.scope },
            });
          }
        }
        throw error;
      };

      const { user, suspects } = await matchAccount(email, input.password, input.workspace);
      if (!user) {
        return fail(suspects, suspects.length > 0 ? 'bad_password' : 'unknown_user', unauthorized('invalid_credentials', 'The email or password is not right.'));
      }
      if (user.status !== 'active') {
        await audit.recordAnonymous(user.workspace_id, user.id, origin, { action: 'auth.sign_in_failed', outcome: 'denied', metadata: { reason: 'deactivated' } });
        throw unauthorized('invalid_credentials', 'The email or password is not right.');
      }

      let method: 'password' | 'password+totp' | 'password+recovery_code' = 'password';
      if (user.totp_secret) {
        if (!input.code) throw unauthorized('mfa_required', 'Enter the code from your authenticator app.');
        const factor = await mfa.verifySecondFactor(user, input.code);
        if (!factor.ok) return fail([user], 'bad_mfa_code', unauthorized('invalid_mfa_code', 'That code is not right or was already used.'));
        method = factor.method === 'totp' ? 'password+totp' : 'password+recovery_code';
        if (factor.method === 'recovery_code') {
          await audit.recordAnonymous(user.workspace_id, user.id, origin, {
            action: 'mfa.recovery_code_used',
            outcome: 'success',
            metadata: { remaining: factor.remaining ?? 0 },
          });
        }
      }

      await throttle.succeed(keys[0]!);
      const { token, sessionId } = await openSession(user, origin);
      const principal = await findSessionPrincipal(db, hashSecret(token));
      if (!principal) throw unauthorized();
      const context = contextFromPrincipal(principal, origin, { sessionToken: token, sessionId, reauthAt: clock.now() }, await resolveAccess(subjectOf(principal)));
      await audit.record(context.actor, { action: 'auth.sign_in', outcome: 'success', metadata: { method }, object: { type: 'user', id: user.id } });
      return { token, context };
    },

    /** Resolves a session cookie; null when unknown, ended, idle too long, expired or the user is inactive. */
    async authenticateSession(token: string, origin: RequestOrigin, options: { touch?: boolean } = {}): Promise<AuthContext | null> {
      const principal = await findSessionPrincipal(db, hashSecret(token));
      if (!principal || principal.ended_at !== null || principal.user_status !== 'active') return null;
      const now = clock.now().getTime();
      if (now >= principal.expires_at || now - principal.last_seen_at >= idleMs) {
        const reason = now >= principal.expires_at ? 'expired' : 'idle';
        await endSessions(db, principal.workspace_id, principal.user_id, now, reason, { only: principal.session_id });
        return null;
      }
      if (options.touch !== false && now - principal.last_seen_at >= TOUCH_INTERVAL_MS) await touchSession(db, principal.workspace_id, principal.session_id, now);
      return contextFromPrincipal(
        principal,
        origin,
        { sessionToken: token, sessionId: principal.session_id, reauthAt: new Date(principal.reauth_at) },
        await resolveAccess(subjectOf(principal)),
      );
    },

    /** Resolves `Authorization: Bearer cst_…`; null when unknown, revoked, expired or the user is inactive. */
    async authenticateToken(token: string, origin: RequestOrigin): Promise<AuthContext | null> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return null;
      const principal = await findTokenPrincipal(db, hashSecret(token));
      if (!principal || principal.revoked_at !== null || principal.user_status !== 'active') return null;
      const now = clock.now().getTime();
      if (now >= principal.expires_at) return null;
      if (principal.last_used_at === null || now - principal.last_used_at >= TOUCH_INTERVAL_MS || principal.last_used_ip !== origin.ip) {
        await markApiTokenUsed(db, principal.workspace_id, principal.token_id, now, origin.ip);
      }
      return contextFromPrincipal(principal, origin, { tokenId: principal.token_id }, await resolveAccess(subjectOf(principal)));
    },

    async signOut(actor: Actor): Promise<void> {
      if (!actor.sessionId) return;
      await endSessions(db, actor.workspaceId, actor.userId, toDbTime(clock.now()), 'sign_out', { only: actor.sessionId });
      await audit.record(actor, { action: 'auth.sign_out', outcome: 'success', metadata: { reason: 'user' } });
    },

    /** Proves the user again (password or second factor) so sensitive changes are allowed for five minutes. */
    async reauthenticate(actor: Actor, proof: { password?: string; code?: string }): Promise<void> {
      if (!actor.sessionId) throw badRequest('session_required', 'Confirming your identity needs a signed-in browser session.');
      const user = await findUser(db, actor.workspaceId, actor.userId);
      if (!user) throw unauthorized();
      let method: 'password' | 'totp' | 'recovery_code' | null = null;
      if (proof.password !== undefined) {
        if (await verifyPassword(user.password_hash, proof.password)) method = 'password';
      } else if (proof.code !== undefined) {
        const factor = await mfa.verifySecondFactor(user, proof.code);
        if (factor.ok) method = factor.method;
      } else {
        throw badRequest('invalid_input', 'Give your password or an authenticator code.', 'password');
      }
      if (!method) {
        await audit.record(actor, { action: 'auth.reauth_failed', outcome: 'failure', metadata: {} });
        throw proof.password !== undefined
          ? unauthorized('invalid_credentials', 'That password is not right.')
          : unauthorized('invalid_mfa_code', 'That code is not right or was already used.');
      }
      await setSessionReauth(db, actor.workspaceId, actor.sessionId, toDbTime(clock.now()));
      await audit.record(actor, { action: 'auth.reauth', outcome: 'success', metadata: { method } });
    },

    async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
      const user = await findUser(db, actor.workspaceId, actor.userId);
      if (!user) throw unauthorized();
      if (!(await verifyPassword(user.password_hash, currentPassword))) {
        await audit.record(actor, { action: 'auth.reauth_failed', outcome: 'failure', metadata: {} });
        throw unauthorized('invalid_credentials', 'Your current password is not right.');
      }
      assertStrongPassword(newPassword, user.email, 'newPassword');
      const passwordHash = await hashPassword(newPassword);
      const now = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, actor.userId, { password_hash: passwordHash, password_changed_at: now, updated_at: now });
        // Anyone who learnt the old password is signed out everywhere else.
        await endSessions(trx, actor.workspaceId, actor.userId, now, 'password_changed', actor.sessionId ? { except: actor.sessionId } : {});
        await audit.record(actor, { action: 'account.password_changed', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } }, trx);
      });
    },

    async listSessions(actor: Actor) {
      const rows = await listOpenSessions(db, actor.workspaceId, actor.userId, clock.now().getTime());
      return rows
        .filter((row) => clock.now().getTime() - row.last_seen_at < idleMs)
        .map((row) => ({
          id: row.id,
          createdAt: isoFromDb(row.created_at)!,
          lastSeenAt: isoFromDb(row.last_seen_at)!,
          ip: row.ip,
          userAgent: row.user_agent,
          current: row.id === actor.sessionId,
        }));
    },

    async endSession(actor: Actor, sessionId: string): Promise<void> {
      const ended = await endSessions(db, actor.workspaceId, actor.userId, toDbTime(clock.now()), 'ended_by_user', { only: sessionId });
      if (ended === 0) throw notFound('session_not_found', 'No such session.');
      await audit.record(actor, { action: 'auth.sign_out', outcome: 'success', metadata: { reason: 'ended_by_user' }, object: { type: 'session', id: sessionId } });
    },

    async endAllSessions(actor: Actor): Promise<void> {
      await endSessions(db, actor.workspaceId, actor.userId, toDbTime(clock.now()), 'everywhere');
      await audit.record(actor, { action: 'auth.sign_out', outcome: 'success', metadata: { reason: 'everywhere' } });
    },

    /** Ends every session and token of a user at once (deactivation). */
    async cutOffUser(executor: Kysely<DB>, workspaceId: string, userId: string): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
      const now = toDbTime(clock.now());
      const sessionsEnded = await endSessions(executor, workspaceId, userId, now, 'deactivated');
      const tokensRevoked = await revokeApiTokens(executor, workspaceId, userId, now);
      return { sessionsEnded, tokensRevoked };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Refuses a password the policy does not accept, naming the field and every reason. */
export function assertStrongPassword(password: string, email: string, field: string): void {
  const assessment = assessPassword(password, email);
  if (!assessment.ok) {
    throw badRequest('weak_password', `The password is not accepted: ${assessment.problems.join(', ')}.`, field);
  }
}
