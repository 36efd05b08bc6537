import { SENSITIVITY_CLASSES, type Sensitivity } from '../../../shared/fields.js';
import {
  ACTIONS,
  CAPABILITIES,
  OBJECTS,
  RELATIONS,
  type Action,
  type Capability,
  type FieldAccess,
  type FieldLevel,
  type ObjectKey,
  type RolePermissions,
  type Scope,
} from '../../../shared/permissions.js';

/**
 * The permission matrix's edits, as pure functions over `RolePermissions`: each returns a new
 * value, and `permissionChanges` says what differs from the saved role (the "save changes" bar).
 * A grant a role does not name is `none`, and one level for every relation is the same access
 * as that level spelled out four times, so neither shows up as a change.
 */

/** The scope a role has for an action on an object; what it does not name it cannot do. */
export function scopeOf(permissions: RolePermissions, object: ObjectKey, action: Action): Scope {
  return permissions.objects[object]?.[action] ?? 'none';
}

/** Sets one cell of the matrix; `none` removes the grant, and an object left with no grant goes too. */
export function withScope(permissions: RolePermissions, object: ObjectKey, action: Action, scope: Scope): RolePermissions {
  const grants = { ...permissions.objects[object] };
  if (scope === 'none') delete grants[action];
  else grants[action] = scope;
  const objects = { ...permissions.objects };
  if (Object.keys(grants).length === 0) delete objects[object];
  else objects[object] = grants;
  return { ...permissions, objects };
}

/** One level for all relations when they agree, else the four levels. */
export function compactAccess(access: FieldAccess): FieldAccess {
  if (typeof access === 'string') return access;
  const first = access[RELATIONS[0]];
  return RELATIONS.every((relation) => access[relation] === first) ? first : access;
}

/** The access with a level per relation (own, team, case, other). */
export function expandAccess(access: FieldAccess): Record<(typeof RELATIONS)[number], FieldLevel> {
  return typeof access === 'string' ? { own: access, team: access, case: access, other: access } : { ...access };
}

export function sameAccess(a: FieldAccess | undefined, b: FieldAccess | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const left = expandAccess(a);
  const right = expandAccess(b);
  return RELATIONS.every((relation) => left[relation] === right[relation]);
}

export function withClassAccess(permissions: RolePermissions, sensitivity: Sensitivity, access: FieldAccess): RolePermissions {
  return { ...permissions, fields: { ...permissions.fields, byClass: { ...permissions.fields.byClass, [sensitivity]: access } } };
}

/** Sets a field's own rule (`kind.key`), or removes it with null: the field then follows its class. */
export function withFieldAccess(permissions: RolePermissions, field: string, access: FieldAccess | null): RolePermissions {
  const byField = { ...permissions.fields.byField };
  if (access === null) delete byField[field];
  else byField[field] = access;
  return { ...permissions, fields: { ...permissions.fields, byField } };
}

export function withCapability(permissions: RolePermissions, capability: Capability, granted: boolean): RolePermissions {
  const held = new Set(permissions.capabilities);
  if (granted) held.add(capability);
  else held.delete(capability);
  return { ...permissions, capabilities: CAPABILITIES.filter((c) => held.has(c)) };
}

/** What is sent on save: each field access in its shortest form, so the stored role stays readable. */
export function permissionsToSave(permissions: RolePermissions): RolePermissions {
  const compactAll = <K extends string>(accesses: Record<K, FieldAccess>) =>
    Object.fromEntries(Object.entries<FieldAccess>(accesses).map(([key, access]) => [key, compactAccess(access)])) as Record<K, FieldAccess>;
  return {
    objects: permissions.objects,
    fields: { byClass: compactAll(permissions.fields.byClass), byField: compactAll(permissions.fields.byField) },
    capabilities: CAPABILITIES.filter((capability) => permissions.capabilities.includes(capability)),
  };
}

export type PermissionChange =
  | { kind: 'scope'; object: ObjectKey; action: Action; from: Scope; to: Scope }
  | { kind: 'class'; sensitivity: Sensitivity; from: FieldAccess; to: FieldAccess }
  /** `from` null: a new field rule; `to` null: the rule was removed. */
  | { kind: 'field'; field: string; from: FieldAccess | null; to: FieldAccess | null }
  | { kind: 'capability'; capability: Capability; granted: boolean };

/** Every difference between the saved permissions and the draft, in the order the page shows them. */
export function permissionChanges(saved: RolePermissions, draft: RolePermissions): PermissionChange[] {
  const changes: PermissionChange[] = [];
  for (const object of OBJECTS) {
    for (const action of ACTIONS) {
      const from = scopeOf(saved, object, action);
      const to = scopeOf(draft, object, action);
      if (from !== to) changes.push({ kind: 'scope', object, action, from, to });
    }
  }
  for (const sensitivity of SENSITIVITY_CLASSES) {
    const from = saved.fields.byClass[sensitivity];
    const to = draft.fields.byClass[sensitivity];
    if (!sameAccess(from, to)) changes.push({ kind: 'class', sensitivity, from, to });
  }
  const fields = [...new Set([...Object.keys(saved.fields.byField), ...Object.keys(draft.fields.byField)])].sort();
  for (const field of fields) {
    const from = saved.fields.byField[field] ?? null;
    const to = draft.fields.byField[field] ?? null;
    if (!sameAccess(from ?? undefined, to ?? undefined)) changes.push({ kind: 'field', field, from, to });
  }
  for (const capability of CAPABILITIES) {
    const before = saved.capabilities.includes(capability);
    const after = draft.capabilities.includes(capability);
    if (before !== after) changes.push({ kind: 'capability', capability, granted: after });
  }
  return changes;
}
