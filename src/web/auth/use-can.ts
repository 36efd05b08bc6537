import { useCallback } from 'react';
import type { Action, ObjectKey } from '../../shared/permissions.js';
import { useMe } from './use-me.js';

/**
 * Whether the user's policies give them some scope for an action on a customer object. Deny by
 * default: an object or action the map does not name is not allowed. The scope itself (own,
 * team…) is the server's to apply; a record outside it still answers 404.
 */
export function can(policies: { objects: Partial<Record<ObjectKey, readonly Action[]>> }, object: ObjectKey, action: Action): boolean {
  return policies.objects[object]?.includes(action) ?? false;
}

/** `can` bound to the signed-in user: `useCan()('notes', 'create')`. The app hides what the server would refuse. */
export function useCan(): (object: ObjectKey, action: Action) => boolean {
  const { policies } = useMe();
  return useCallback((object, action) => can(policies, object, action), [policies]);
}
