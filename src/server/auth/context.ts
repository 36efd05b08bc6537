import type { Actor } from '../actor.js';
import type { RoleKey } from '../../shared/roles.js';
import { canManageUsers, isRoleKey } from '../../shared/roles.js';
import { fromDbBool } from '../db/mapping.js';
import { forbidden } from '../http/errors.js';
import { presentUser, type UserView } from '../users/presenter.js';
import type { SessionPrincipal, TokenPrincipal } from './store.js';

/** Everything known about the caller of an authenticated request. */
export interface AuthContext {
  actor: Extract<Actor, { kind: 'user' }>;
  method: 'session' | 'token';
  user: UserView;
  workspace: { id: string; name: string; requireMfa: boolean };
  /** The session token (cookie) the request carried; null for bearer tokens. */
  sessionToken: string | null;
  mfaEnrollmentRequired: boolean;
}

export function contextFromPrincipal(
  principal: SessionPrincipal | TokenPrincipal,
  origin: { ip: string | null; userAgent: string | null },
  credential: { sessionToken: string; sessionId: string; reauthAt: Date } | { tokenId: string },
): AuthContext {
  const role: RoleKey = isRoleKey(principal.user_role) ? principal.user_role : 'read_only';
  const requireMfa = fromDbBool(principal.workspace_require_mfa);
  const isSession = 'sessionToken' in credential;
  return {
    actor: {
      kind: 'user',
      workspaceId: principal.workspace_id,
      userId: principal.user_id,
      role,
      sessionId: isSession ? credential.sessionId : null,
      tokenId: isSession ? null : credential.tokenId,
      reauthAt: isSession ? credential.reauthAt : null,
      ...origin,
    },
    method: isSession ? 'session' : 'token',
    user: presentUser({
      id: principal.user_id,
      email: principal.user_email,
      display_name: principal.user_display_name,
      role: principal.user_role,
      status: principal.user_status,
      locale: principal.user_locale,
      totp_secret: principal.user_totp_secret,
      created_at: principal.user_created_at,
      last_sign_in_at: principal.user_last_sign_in_at,
    }),
    workspace: { id: principal.workspace_id, name: principal.workspace_name, requireMfa },
    sessionToken: isSession ? credential.sessionToken : null,
    mfaEnrollmentRequired: requireMfa && principal.user_totp_secret === null,
  };
}

/** The `policies` map the web app uses to hide what the server would refuse anyway. */
export function policiesFor(actor: AuthContext['actor']) {
  return { manageUsers: canManageUsers(actor.role), manageSettings: canManageUsers(actor.role) };
}

export function authorizeAdmin(actor: AuthContext['actor']): void {
  if (!canManageUsers(actor.role)) throw forbidden('forbidden', 'Only owners and administrators can do this.');
}

export const REAUTH_WINDOW_MS = 5 * 60_000;

/** Changing a password, second factor or email needs proof of the user within five minutes. */
export function requireRecentReauth(actor: AuthContext['actor'], now: Date): void {
  if (!actor.reauthAt || now.getTime() - actor.reauthAt.getTime() > REAUTH_WINDOW_MS) {
    throw forbidden('reauth_required', 'Confirm your password or authenticator code to continue.');
  }
}
