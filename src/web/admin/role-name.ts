import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isRoleKey } from '../../shared/roles.js';

/** The translated name of a role key; an unknown key is shown as it is. */
export function useRoleName(): (role: string) => string {
  const { t } = useTranslation();
  return useCallback((role: string) => (isRoleKey(role) ? t(`roles.${role}`) : role), [t]);
}
