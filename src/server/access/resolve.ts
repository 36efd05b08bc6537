import { fromDbJson } from '../db/mapping.js';
import { DEFAULT_ROLES } from './default-roles.js';
import type { BreakGlass } from './break-glass.js';
import { narrow, type Access, type TokenNarrowing } from './engine.js';
import type { AccessService } from './service.js';

/** The credential's user as the access resolver needs them (one row of the session or token lookup). */
export interface AccessSubject {
  workspaceId: string;
  userId: string;
  role: string;
  teamId: string | null;
  /** The token's narrowing as stored (JSON), or null for a session or a full token. */
  narrowing: string | null;
}

export interface ResolvedAccess {
  access: Access;
  /** The break-glass grant in force (its id), whose owner-level access replaced the role's. */
  breakGlassId: string | null;
}

const OWNER = DEFAULT_ROLES.find((role) => role.key === 'owner')!.permissions;

/**
 * What a request may do: the role's permissions over the user's team and sub-teams; under a
 * break-glass grant, the owner's; for a narrowed token, no more than the token was made for.
 * Only roles that may break the glass (the owner aside) pay for looking up a grant.
 */
export function createAccessResolver({ access, breakGlass }: { access: AccessService; breakGlass: Pick<BreakGlass, 'current'> }) {
  return async (subject: AccessSubject): Promise<ResolvedAccess> => {
    let resolved = await access.resolve(subject.workspaceId, subject.userId, subject.role, subject.teamId);
    let breakGlassId: string | null = null;
    // The owner already has the owner's access: only other roles that may break the glass look a grant up.
    if (subject.role !== 'owner' && resolved.permissions.capabilities.includes('breakGlass')) {
      const grant = await breakGlass.current(subject.workspaceId, subject.userId);
      if (grant) {
        breakGlassId = grant.id;
        resolved = { ...resolved, permissions: OWNER };
      }
    }
    const narrowing = fromDbJson<TokenNarrowing>(subject.narrowing);
    if (narrowing) {
      resolved = { ...resolved, permissions: narrow(resolved.permissions, narrowing), ...(narrowing.fields ? { onlyFields: new Set(narrowing.fields) } : {}) };
    }
    return { access: resolved, breakGlassId };
  };
}

export type AccessResolver = ReturnType<typeof createAccessResolver>;
