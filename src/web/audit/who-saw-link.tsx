import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../auth/use-me.js';
import { auditParams, NO_FILTERS } from './audit-filters.js';

/** On a customer's page, for those who may read the audit trail: who saw this customer's data. */
export function WhoSawLink({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.policies.readAudit) return null;
  return (
    <Button component={Link} to={`/audit?${auditParams('exposure', { ...NO_FILTERS, customerId }).toString()}`} variant="subtle" size="compact-sm" data-testid="who-saw-customer">
      {t('audit.whoSaw')}
    </Button>
  );
}
