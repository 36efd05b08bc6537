import type { Actor } from '../actor.js';
import type { Sensitivity, Visibility } from '../../shared/fields.js';
import { forbidden } from '../http/errors.js';

export type CustomerAction = 'read' | 'create' | 'update' | 'delete' | 'reveal';

/**
 * The policy hook every gateway call passes. Until the permissions issue (#4) brings roles,
 * scopes and field-level security as data: workspace owners and admins (and system jobs) may
 * do everything, everyone else nothing.
 */
export function authorizeCustomers(actor: Actor, _action: CustomerAction): void {
  if (actor.kind === 'system') return;
  if (!actor.access.permissions.capabilities.includes('manageUsers')) throw forbidden('forbidden', 'Your role gives no access to customer records yet.');
}

/**
 * How a field of this class is shown in a read, list or search. Sensitive values are never
 * shown in clear there — to anyone, admins included — only through a reveal with a reason.
 */
export function visibilityFor(_actor: Actor, sensitivity: Sensitivity): Visibility {
  return sensitivity === 'sensitive' ? 'masked' : 'clear';
}
