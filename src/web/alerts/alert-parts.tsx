import { Badge } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AlertSeverity, AlertStatus } from '../../shared/alert-rules.js';
import type { Alert } from './alerts-api.js';

const SEVERITY_COLORS: Record<AlertSeverity, string> = { low: 'gray', medium: 'orange', high: 'red' };
const STATUS_COLORS: Record<AlertStatus, string> = { open: 'red', acknowledged: 'yellow', resolved: 'teal' };

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={SEVERITY_COLORS[severity]} miw="max-content" data-testid="alert-severity">
      {t(`alerts.severity.${severity}`)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: AlertStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant={status === 'resolved' ? 'light' : 'filled'} color={STATUS_COLORS[status]} miw="max-content" data-testid="alert-status" data-status={status}>
      {t(`alerts.status.${status}`)}
    </Badge>
  );
}

/** Who an alert is about, in words: a colleague by name, their token, or an account that does not exist. */
export function whoOf(alert: Pick<Alert, 'actor' | 'tokenId'>, t: TFunction): string {
  const name = alert.actor.displayName ?? alert.actor.email;
  if (!name) return t('alerts.who.unknown');
  return alert.tokenId ? t('alerts.who.token', { name }) : name;
}
