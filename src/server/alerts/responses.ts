import type { Transaction } from 'kysely';
import type { AlertAction } from '../../shared/alert-rules.js';
import { systemActor } from '../actor.js';
import type { AuditService } from '../audit/service.js';
import type { AuthService } from '../auth/service.js';
import { endSessions, revokeApiTokens } from '../auth/store.js';
import type { DB } from '../db/schema.js';
import { countActiveOwners, findUser, updateUser } from '../users/store.js';
import type { Finding } from './detector.js';

/** The name the detector acts under in the audit trail. */
export const DETECTOR = 'alerts';

/**
 * What came of a response: `sessions_ended` (end_sessions, and require_mfa: the next sign-in
 * asks for the password and the second factor again), `suspended`, `token_revoked`, or why
 * nothing was done: `skipped_last_owner` (never the workspace's last active owner),
 * `already_suspended`, `already_revoked`, `no_user` (the account tried does not exist).
 */
export type ActionResult = 'sessions_ended' | 'suspended' | 'token_revoked' | 'skipped_last_owner' | 'already_suspended' | 'already_revoked' | 'no_user';

export interface ActionOutcome {
  result: ActionResult;
  /** The user deactivated by it, if any: they are no longer told about alerts. */
  suspendedUserId: string | null;
}

/**
 * Takes a rule's automatic response to an alert inside the transaction that raises it, and
 * records it (`alert.action_taken`, plus `user.deactivated` or `token.revoked` as an
 * administrator's own action would). The response acts on the user the events were counted
 * for; the token rule's `suspend` revokes just the token.
 */
export async function respond(
  trx: Transaction<DB>,
  deps: { audit: Pick<AuditService, 'record'>; auth: Pick<AuthService, 'cutOffUser'>; now: number },
  workspaceId: string,
  alertId: string,
  finding: Finding,
  action: Exclude<AlertAction, 'none'>,
): Promise<ActionOutcome> {
  const system = systemActor(workspaceId, DETECTOR);
  let sessionsEnded = 0;
  let tokensRevoked = 0;
  let suspendedUserId: string | null = null;

  const decide = async (): Promise<ActionResult> => {
    const user = finding.actorId === null ? undefined : await findUser(trx, workspaceId, finding.actorId);
    if (!user) return 'no_user';
    if (finding.rule === 'token_new_ip') {
      tokensRevoked = await revokeApiTokens(trx, workspaceId, user.id, deps.now, finding.tokenId!);
      if (tokensRevoked === 0) return 'already_revoked';
      await deps.audit.record(system, { action: 'token.revoked', outcome: 'success', metadata: {}, object: { type: 'api_token', id: finding.tokenId! } }, trx);
      return 'token_revoked';
    }
    if (user.role === 'owner' && user.status === 'active' && (await countActiveOwners(trx, workspaceId)) <= 1) return 'skipped_last_owner';
    if (action === 'suspend') {
      if (user.status !== 'active') return 'already_suspended';
      await updateUser(trx, workspaceId, user.id, { status: 'deactivated', updated_at: deps.now });
      const cut = await deps.auth.cutOffUser(trx, workspaceId, user.id);
      ({ sessionsEnded, tokensRevoked } = cut);
      suspendedUserId = user.id;
      await deps.audit.record(system, { action: 'user.deactivated', outcome: 'success', metadata: cut, object: { type: 'user', id: user.id } }, trx);
      return 'suspended';
    }
    sessionsEnded = await endSessions(trx, workspaceId, user.id, deps.now, action === 'require_mfa' ? 'alert_require_mfa' : 'alert');
    return 'sessions_ended';
  };

  const result = await decide();
  const refused = result === 'skipped_last_owner' || result === 'no_user';
  await deps.audit.record(
    system,
    {
      action: 'alert.action_taken',
      outcome: refused ? 'denied' : 'success',
      metadata: { rule: finding.rule, action, userId: finding.actorId, tokenId: finding.tokenId, result, sessionsEnded, tokensRevoked },
      object: { type: 'alert', id: alertId },
    },
    trx,
  );
  return { result, suspendedUserId };
}
