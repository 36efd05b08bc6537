import type { Actor } from '../actor.js';
import type { FieldDefinition, Visibility } from '../../shared/fields.js';
import type { Action, FieldLevel, ObjectKey, Relation, Scope } from '../../shared/permissions.js';
import { fieldLevel, inScope, relationOf, scopeOf, type RecordTies } from '../access/engine.js';
import { hasCapability } from '../auth/context.js';
import { AppError, forbidden } from '../http/errors.js';

// The gateway's policy hook: the policy engine (access/engine.ts) asked for the acting user's
// resolved access. System actors (the CLI, jobs) act for the whole workspace.

export type CustomerAction = Action;

/** The scope the actor has for an action on an object; a 403 when none (deny by default). */
export function authorize(actor: Actor, object: ObjectKey, action: Action): Scope {
  if (actor.kind === 'system') return 'all';
  const scope = scopeOf(actor.access, object, action);
  if (scope === 'none') throw forbidden('forbidden', 'Your role does not allow this.');
  return scope;
}

/** The customer object's part of the hook (the name the gateway's parts use for customers). */
export function authorizeCustomers(actor: Actor, action: Action): Scope {
  return authorize(actor, 'customers', action);
}

/** Whether a record lies within the scope (out of scope reads as "no such customer": 404). */
export function reaches(actor: Actor, scope: Scope, ties: RecordTies): boolean {
  return actor.kind === 'system' || inScope(actor.access, scope, ties);
}

/** What the actor may do to one record: the web app offers an action only where the server would take it. */
export interface RecordActions {
  update: boolean;
  delete: boolean;
  /** Hand it to another owner: the capability, and the record within the update scope. */
  reassign: boolean;
  reveal: boolean;
}

/** The record's actions for the actor: each action's scope asked of the record's owner and team, as the gateway asks it. */
export function recordActions(actor: Actor, ties: RecordTies): RecordActions {
  const may = (action: Action) => actor.kind === 'system' || inScope(actor.access, scopeOf(actor.access, 'customers', action), ties);
  const update = may('update');
  return { update, delete: may('delete'), reassign: update && hasCapability(actor, 'reassignOwner'), reveal: may('reveal') };
}

/** How the record relates to the actor; system actors see everything as their own. */
export function relationTo(actor: Actor, ties: RecordTies): Relation {
  return actor.kind === 'system' ? 'own' : relationOf(actor.access, ties);
}

/** The actor's level for a field on a record of this relation. */
export function levelOf(actor: Actor, field: Pick<FieldDefinition, 'kind' | 'key' | 'sensitivity'>, relation: Relation): FieldLevel {
  return actor.kind === 'system' ? 'write' : fieldLevel(actor.access, field, relation);
}

/**
 * How a field's value is shown in a read, list or search. Sensitive values are never shown
 * in clear there — to anyone, owners included — only through a reveal with a reason.
 */
export function visibilityOf(actor: Actor, field: Pick<FieldDefinition, 'kind' | 'key' | 'sensitivity'>, relation: Relation): Visibility {
  const level = levelOf(actor, field, relation);
  if (level === 'hidden') return 'hidden';
  if (level === 'masked' || field.sensitivity === 'sensitive') return 'masked';
  return 'clear';
}

/** Refuses a write to a field the actor may not write on this record, naming it. */
export function authorizeWrite(actor: Actor, field: Pick<FieldDefinition, 'kind' | 'key' | 'sensitivity' | 'labels'>, relation: Relation): void {
  if (levelOf(actor, field, relation) !== 'write') throw new AppError(403, 'field_not_writable', `Your role may not change ${field.labels.en}.`, field.key);
}

/** Whether the actor's field rules ever differ for records in their open support cases (then cases are worth looking up). */
export function casesMatter(actor: Actor): boolean {
  if (actor.kind === 'system') return false;
  const { byClass, byField } = actor.access.permissions.fields;
  return [...Object.values(byClass), ...Object.values(byField)].some((access) => typeof access !== 'string' && access.case !== access.other);
}
