import type { Actor } from '../actor.js';
import { ACTIONS, OBJECTS, type Capability } from '../../shared/permissions.js';
import { mayReadQualityWith } from '../../shared/quality.js';
import type { ResolvedAccess } from '../access/resolve.js';
import { scopeOf } from '../access/engine.js';
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
  resolved: ResolvedAccess,
): AuthContext {
  const requireMfa = fromDbBool(principal.workspace_require_mfa);
  const isSession = 'sessionToken' in credential;
  return {
    actor: {
      kind: 'user',
      workspaceId: principal.workspace_id,
      userId: principal.user_id,
      role: principal.user_role,
      access: resolved.access,
      breakGlassId: resolved.breakGlassId,
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
      team_id: principal.user_team_id,
    }),
    workspace: { id: principal.workspace_id, name: principal.workspace_name, requireMfa },
    sessionToken: isSession ? credential.sessionToken : null,
    mfaEnrollmentRequired: requireMfa && principal.user_totp_secret === null,
  };
}

/** The `policies` map the web app uses to hide what the server would refuse anyway. */
export function policiesFor(actor: AuthContext['actor']) {
  const can = (capability: Capability) => actor.access.permissions.capabilities.includes(capability);
  return {
    manageUsers: can('manageUsers'),
    manageSettings: can('manageSettings'),
    manageRoles: can('manageRoles'),
    manageTeams: can('manageTeams'),
    /** Handing customers to another owner takes the capability and records within the update scope (vault/policy.ts `recordActions`). */
    reassignOwner: can('reassignOwner') && scopeOf(actor.access, 'customers', 'update') !== 'none',
    readAudit: can('readAudit'),
    breakGlass: can('breakGlass'),
    breakGlassActive: actor.breakGlassId !== null,
    /** The data-quality report (issue 7): the settings managers, and roles reading every customer. */
    readQuality: mayReadQualityWith(actor.access.permissions),
    /** Per customer object, the actions the user has some scope for. */
    objects: Object.fromEntries(OBJECTS.map((object) => [object, ACTIONS.filter((action) => scopeOf(actor.access, object, action) !== 'none')])),
  };
}

export function hasCapability(actor: Actor, capability: Capability): boolean {
  return actor.kind === 'system' || actor.access.permissions.capabilities.includes(capability);
}

/** Refuses (403) an actor whose role lacks the capability: the services' own check, whatever the route. */
export function authorizeCapability(actor: Actor, capability: Capability): void {
  if (!hasCapability(actor, capability)) throw forbidden('forbidden', 'Your role does not allow this.');
}

/** Managing users (and, with their own capabilities, roles and teams). */
export function authorizeAdmin(actor: AuthContext['actor']): void {
  if (!hasCapability(actor, 'manageUsers')) throw forbidden('forbidden', 'Only owners and administrators can do this.');
}

export const REAUTH_WINDOW_MS = 5 * 60_000;

/** Changing a password, second factor or email needs proof of the user within five minutes. */
export function requireRecentReauth(actor: AuthContext['actor'], now: Date): void {
  if (!actor.reauthAt || now.getTime() - actor.reauthAt.getTime() > REAUTH_WINDOW_MS) {
    throw forbidden('reauth_required', 'Confirm your password or authenticator code to continue.');
  }
}
