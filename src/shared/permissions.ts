import type { Sensitivity } from './fields.js';

/**
 * The vocabulary of permissions, shared by server and web (issue #4): what a role may do to
 * which object, over which records, and how it sees each field. The server enforces it; the
 * web app only hides what the server would refuse.
 */

/** Objects holding customer data. Deny by default: an object a role does not name, it cannot reach. */
export const OBJECTS = ['customers', 'contact_points', 'addresses', 'transactions', 'events', 'notes', 'cases'] as const;
export type ObjectKey = (typeof OBJECTS)[number];

export const ACTIONS = ['read', 'create', 'update', 'delete', 'export', 'import', 'reveal'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Which records an action reaches: none; those the user owns; those of their team; of their
 * team and its sub-teams; all of the workspace. Each scope includes the narrower ones.
 */
export const SCOPES = ['none', 'own', 'team', 'subteams', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** How a field is shown to a role: absent, masked, in clear, or in clear and writable. */
export const FIELD_LEVELS = ['hidden', 'masked', 'read', 'write'] as const;
export type FieldLevel = (typeof FIELD_LEVELS)[number];

/**
 * How a record relates to the user looking at it — field rules may differ by it: they own
 * it; it belongs to their team; it is in a support case open and assigned to them; other.
 */
export const RELATIONS = ['own', 'team', 'case', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** One level for every record, or one per relation (e.g. clear on own and team records, masked elsewhere). */
export type FieldAccess = FieldLevel | Record<Relation, FieldLevel>;

/** Workspace-wide powers beyond customer objects. */
export const CAPABILITIES = ['manageUsers', 'manageSettings', 'manageRoles', 'manageTeams', 'reassignOwner', 'readAudit', 'breakGlass'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface RolePermissions {
  objects: Partial<Record<ObjectKey, Partial<Record<Action, Scope>>>>;
  fields: {
    /** The default per sensitivity class. */
    byClass: Record<Sensitivity, FieldAccess>;
    /** Overrides per field, keyed `kind.key` (e.g. `person.phone`). */
    byField: Record<string, FieldAccess>;
  };
  capabilities: Capability[];
}

export interface RoleDefinition {
  key: string;
  labels: { en: string; 'zh-CN': string };
  builtIn: boolean;
  permissions: RolePermissions;
}

export const scopeRank = (scope: Scope): number => SCOPES.indexOf(scope);
export const levelRank = (level: FieldLevel): number => FIELD_LEVELS.indexOf(level);

/** The level of an access for a relation. */
export function levelFor(access: FieldAccess, relation: Relation): FieldLevel {
  return typeof access === 'string' ? access : access[relation];
}
