import { Navigate, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Alert } from '@mantine/core';
import type { Me } from '../api/types.js';
import { useMe } from '../auth/use-me.js';

/** While the workspace demands a second factor the user lacks, only Account is reachable. */
export function RequireEnrolledMfa() {
  const me = useMe();
  if (me.mfaEnrollmentRequired) return <Navigate to="/account/security" replace />;
  return <Outlet />;
}

/** Pages for those whose `policies` allow it; the server checks again on every call. */
export function RequirePolicy({ policy }: { policy: keyof Me['policies'] }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.policies[policy]) {
    return (
      <Alert color="red" title={t('errors.forbidden')}>
        {t('shell.notAllowed')}
      </Alert>
    );
  }
  return <Outlet />;
}
