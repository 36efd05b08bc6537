/** The wire shapes every part of the app shares (docs/API.md, "Shapes"). */
import type { Action, ObjectKey } from '../../shared/permissions.js';
import type { RoleKey } from '../../shared/roles.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: RoleKey;
  status: 'active' | 'deactivated';
  locale: string | null;
  mfaEnabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface Workspace {
  id: string;
  name: string;
  requireMfa: boolean;
}

export interface Me {
  user: User;
  workspace: Workspace;
  csrfToken: string | null;
  authMethod: 'session' | 'token';
  mfaEnrollmentRequired: boolean;
  /** What the server lets this user do: the app hides the rest (the server enforces it anyway). */
  policies: {
    manageUsers: boolean;
    manageSettings: boolean;
    manageRoles: boolean;
    manageTeams: boolean;
    /** May hand customers to another owner (the list's bulk reassignment). */
    reassignOwner: boolean;
    readAudit: boolean;
    breakGlass: boolean;
    breakGlassActive: boolean;
    /** May see the data-quality report. */
    readQuality: boolean;
    objects: Partial<Record<ObjectKey, Action[]>>;
  };
}

export interface ItemList<T> {
  items: T[];
}
