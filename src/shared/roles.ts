/**
 * The default roles a user can hold. Issue #4 turns these into rows with object and field
 * permissions; until then only `owner` and `admin` may manage users and settings.
 */
export const ROLE_KEYS = [
  'owner',
  'admin',
  'sales_manager',
  'sales_rep',
  'support_agent',
  'analyst',
  'auditor',
  'read_only',
] as const;

export type RoleKey = (typeof ROLE_KEYS)[number];

export function isRoleKey(value: string): value is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(value);
}

export function canManageUsers(role: RoleKey): boolean {
  return role === 'owner' || role === 'admin';
}
