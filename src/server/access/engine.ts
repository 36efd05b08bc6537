import type { FieldDefinition } from '../../shared/fields.js';
import {
  ACTIONS,
  levelFor,
  levelRank,
  scopeRank,
  type Action,
  type FieldLevel,
  type ObjectKey,
  type Relation,
  type RolePermissions,
  type Scope,
} from '../../shared/permissions.js';

// The policy engine: pure functions from a user's effective permissions and a record's owner,
// team and open cases to what the user may do and see. The gateway asks it on every call; the
// web app gets its answers as the `policies` map.

/** What a token may do beyond its owner's permissions: never more, optionally less. */
export interface TokenNarrowing {
  readOnly?: boolean;
  /** Only these objects. */
  objects?: ObjectKey[];
  /** Only these fields (`kind.key`); the others are hidden. */
  fields?: string[];
}

/** Who is asking, as the engine sees them: resolved once per request. */
export interface Access {
  userId: string;
  /** The user's own team: records of it are "team" records. */
  teamId: string | null;
  /** Their team and every team below it: what a `subteams` scope reaches. */
  subtree: ReadonlySet<string>;
  permissions: RolePermissions;
  /** A token made for some fields only (`kind.key`): every other field is hidden to it. */
  onlyFields?: ReadonlySet<string>;
}

/** What the engine needs to know of a record. */
export interface RecordTies {
  ownerId: string | null;
  teamId: string | null;
  /** Owners of the customer's open support cases. */
  openCaseOwners?: readonly string[];
}

const READ_ONLY_ACTIONS: ReadonlySet<Action> = new Set(['read']);

/** The scope an action on an object has; `none` when the role does not grant it (deny by default). */
export function scopeOf(access: Access, object: ObjectKey, action: Action): Scope {
  return access.permissions.objects[object]?.[action] ?? 'none';
}

/** Whether a record lies within a scope for this user. */
export function inScope(access: Access, scope: Scope, record: RecordTies): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'subteams':
      if (record.teamId !== null && access.subtree.has(record.teamId)) return true;
      return inScope(access, 'team', record);
    case 'team':
      if (record.teamId !== null && record.teamId === access.teamId) return true;
      return inScope(access, 'own', record);
    case 'own':
      return record.ownerId === access.userId;
    case 'none':
      return false;
  }
}

/** How the record relates to the user, the closest tie first. */
export function relationOf(access: Access, record: RecordTies): Relation {
  if (record.ownerId === access.userId) return 'own';
  if (record.teamId !== null && record.teamId === access.teamId) return 'team';
  if (record.openCaseOwners?.includes(access.userId)) return 'case';
  return 'other';
}

/** A field's level for this user on a record of this relation: its own rule, else its class's. */
export function fieldLevel(access: Access, field: Pick<FieldDefinition, 'kind' | 'key' | 'sensitivity'>, relation: Relation): FieldLevel {
  if (access.onlyFields && !access.onlyFields.has(`${field.kind}.${field.key}`)) return 'hidden';
  const rules = access.permissions.fields;
  return levelFor(rules.byField[`${field.kind}.${field.key}`] ?? rules.byClass[field.sensitivity], relation);
}

/** A token's permissions: its owner's, cut down to what the token was created for. */
export function narrow(permissions: RolePermissions, narrowing: TokenNarrowing | null): RolePermissions {
  if (!narrowing) return permissions;
  const objects: RolePermissions['objects'] = {};
  for (const [object, grants] of Object.entries(permissions.objects) as [ObjectKey, Partial<Record<Action, Scope>>][]) {
    if (narrowing.objects && !narrowing.objects.includes(object)) continue;
    objects[object] = Object.fromEntries(Object.entries(grants).filter(([action]) => !narrowing.readOnly || READ_ONLY_ACTIONS.has(action as Action)));
  }
  const cap = (level: FieldLevel): FieldLevel => (narrowing.readOnly && level === 'write' ? 'read' : level);
  const capAccess = (access: RolePermissions['fields']['byClass'][keyof RolePermissions['fields']['byClass']]) =>
    typeof access === 'string' ? cap(access) : { own: cap(access.own), team: cap(access.team), case: cap(access.case), other: cap(access.other) };
  const byClass = Object.fromEntries(Object.entries(permissions.fields.byClass).map(([cls, access]) => [cls, capAccess(access)])) as RolePermissions['fields']['byClass'];
  const byField = Object.fromEntries(Object.entries(permissions.fields.byField).map(([key, access]) => [key, capAccess(access)]));
  // A token never manages the workspace; its field list (if any) is applied per field, see fieldLevel.
  return { objects, fields: { byClass, byField }, capabilities: [] };
}

/** Whether one set of permissions never exceeds another (a token's never exceeds its owner's). */
export function within(inner: RolePermissions, outer: RolePermissions, fields: readonly Pick<FieldDefinition, 'kind' | 'key' | 'sensitivity'>[], relations: readonly Relation[]): boolean {
  for (const [object, grants] of Object.entries(inner.objects) as [ObjectKey, Partial<Record<Action, Scope>>][]) {
    for (const action of ACTIONS) {
      if (scopeRank(grants[action] ?? 'none') > scopeRank(outer.objects[object]?.[action] ?? 'none')) return false;
    }
  }
  const asAccess = (permissions: RolePermissions): Access => ({ userId: '', teamId: null, subtree: new Set(), permissions });
  for (const field of fields) {
    for (const relation of relations) {
      if (levelRank(fieldLevel(asAccess(inner), field, relation)) > levelRank(fieldLevel(asAccess(outer), field, relation))) return false;
    }
  }
  return true;
}
