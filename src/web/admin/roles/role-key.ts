/** What the server accepts as a custom role's key (access/service.ts): fixed once the role exists. */
export const ROLE_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const ROLE_KEY_MAX = 40;
export const ROLE_LABEL_MAX = 80;

/**
 * A key proposed from the English name ("Key account manager" → `key_account_manager`), so
 * most people never type one; empty when the name has no Latin letter to start from.
 */
export function suggestRoleKey(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, ROLE_KEY_MAX)
    .replace(/_+$/, '');
}
