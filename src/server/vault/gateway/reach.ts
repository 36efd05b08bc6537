import type { Actor } from '../../actor.js';
import { CUSTOMER_KINDS, type CustomerKind } from '../../../shared/fields.js';
import { RELATIONS, type Scope } from '../../../shared/permissions.js';
import { AppError } from '../../http/errors.js';
import type { Registry } from '../field-registry.js';
import { levelOf } from '../policy.js';

/** Which customers a scope reaches, as the list's SQL needs it: null for all of the workspace. */
export interface Reach {
  userId: string;
  /** Teams whose customers are reached (the user's team, and its sub-teams for `subteams`). */
  teamIds: string[];
}

export function reachOf(actor: Actor, scope: Scope): Reach | null {
  if (actor.kind === 'system' || scope === 'all') return null;
  const { userId, teamId, subtree } = actor.access;
  const teamIds = scope === 'subteams' ? [...subtree] : scope === 'team' && teamId ? [teamId] : [];
  return { userId, teamIds };
}

/**
 * Refuses to filter, sort or look up by a field the actor cannot read on some record
 * (hidden for some relation): the answer would tell them its values.
 */
export function refuseHidden(actor: Actor, registry: Registry, key: string, kind?: CustomerKind): void {
  const field = hiddenField(actor, registry, key, kind);
  if (field) throw new AppError(403, 'field_hidden', `Your role may not see ${field.labels.en}: it cannot filter, sort or look up by it.`, key);
}

/** The field under `key` (of the kind, or either kind) that the actor cannot read on some record, if any. */
export function hiddenField(actor: Actor, registry: Registry, key: string, kind?: CustomerKind) {
  for (const each of kind ? [kind] : CUSTOMER_KINDS) {
    const field = registry.find(each, key);
    if (field && RELATIONS.some((relation) => levelOf(actor, field, relation) === 'hidden')) return field;
  }
  return undefined;
}
