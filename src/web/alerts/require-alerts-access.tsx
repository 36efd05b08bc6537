import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useMe } from '../auth/use-me.js';

/** Whether the user is told about alerts: those who may read the audit trail or change settings (the server decides the same way). */
export function useSeesAlerts(): boolean {
  const me = useMe();
  return me.policies.readAudit || me.policies.manageSettings;
}

/** The alert pages, for those who see alerts; the server checks again on every call. */
export function RequireAlertsAccess() {
  const { t } = useTranslation();
  if (!useSeesAlerts()) {
    return (
      <Alert color="red" title={t('errors.forbidden')}>
        {t('shell.notAllowed')}
      </Alert>
    );
  }
  return <Outlet />;
}
