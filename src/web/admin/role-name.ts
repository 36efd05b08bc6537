import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isRoleKey } from '../../shared/roles.js';
import { toLanguage } from '../i18n/languages.js';
import { ROLES_QUERY_KEY, rolesApi } from './roles/roles-api.js';

/** The workspace's roles, for the pages that administer users and access. */
export function useWorkspaceRoles() {
  return useQuery({ queryKey: ROLES_QUERY_KEY, queryFn: rolesApi.list, select: (data) => data.items });
}

/**
 * The name of a role key: as the workspace named it once its roles have been read (custom
 * roles, renamed built-in ones), else the built-in role's translated name, else the key.
 * It only looks at roles already read: the invitation page, for one, has no session to read them with.
 */
export function useRoleName(): (role: string) => string {
  const { t, i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  const { data: roles } = useQuery({ queryKey: ROLES_QUERY_KEY, queryFn: rolesApi.list, enabled: false, select: (data) => data.items });
  return useCallback(
    (role: string) => {
      const labels = roles?.find((candidate) => candidate.key === role)?.labels;
      if (labels) return labels[language] || labels.en || role;
      return isRoleKey(role) ? t(`roles.${role}`) : role;
    },
    [roles, language, t],
  );
}
