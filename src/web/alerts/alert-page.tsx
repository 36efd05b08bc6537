import { Anchor, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { useMe } from '../auth/use-me.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { SeverityBadge, StatusBadge, whoOf } from './alert-parts.js';
import { alertQueryKey, alertsApi, type Alert } from './alerts-api.js';
import { auditLinkFor } from './audit-link.js';
import { useAlertStatusChange } from './use-alert-status-change.js';

/** `/alerts/:id` — one alert: about whom, over which window, how much, what was done, and the way to its events. */
export function AlertPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const alert = useQuery({ queryKey: alertQueryKey(id), queryFn: () => alertsApi.get(id) });

  return (
    <Stack>
      <Anchor component={Link} to="/alerts" size="sm">
        ← {t('alerts.detail.back')}
      </Anchor>
      {alert.isPending && <Skeleton h={240} aria-busy aria-label={t('common.loading')} />}
      <ErrorAlert error={alert.error} title={t('alerts.detail.loadFailed')} />
      {alert.data && <AlertDetails alert={alert.data} />}
    </Stack>
  );
}

/** A weekday number (1 Monday … 7 Sunday) in the interface language. */
function weekdayName(weekday: number, language: string): string {
  // 5 January 2026 is a Monday.
  return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 4 + weekday)));
}

function AlertDetails({ alert }: { alert: Alert }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const formatDate = useFormatDate();
  const change = useAlertStatusChange();
  const rule = t(`alerts.rules.${alert.rule}.name`);
  const auditLink = me.policies.readAudit ? auditLinkFor(alert) : null;
  const number = (key: string) => (typeof alert.details[key] === 'number' ? (alert.details[key] as number) : 0);
  const byAt = (person: Alert['acknowledgedBy'], at: string | null) => (person && at ? t('alerts.detail.byAt', { name: person.displayName ?? person.id, time: formatDate(at) }) : null);

  const rows: [string, ReactNode][] = [
    [t('alerts.detail.who'), `${whoOf(alert, t)}${alert.actor.email && alert.actor.displayName ? ` <${alert.actor.email}>` : ''}`],
    [t('alerts.detail.window'), formatDate(alert.windowStart) === formatDate(alert.windowEnd) ? formatDate(alert.windowStart) : `${formatDate(alert.windowStart)} – ${formatDate(alert.windowEnd)}`],
  ];
  if (alert.threshold !== null) {
    const threshold = t(alert.rule === 'repeated_denials' ? 'alerts.detail.thresholdAtLeast' : 'alerts.detail.thresholdMoreThan', { threshold: alert.threshold });
    rows.push([t('alerts.detail.count'), `${t('alerts.detail.countValue', { count: alert.count, unit: t(`alerts.rules.${alert.rule}.unit`) })} (${threshold})`]);
  }
  if (alert.rule === 'repeated_denials') {
    rows.push([t('alerts.detail.breakdown'), t('alerts.detail.breakdownValue', { accessDenied: number('accessDenied'), signInFailed: number('signInFailed'), reauthFailed: number('reauthFailed') })]);
  }
  if (alert.rule === 'off_hours' && typeof alert.details.time === 'string') {
    const language = i18n.resolvedLanguage ?? i18n.language;
    rows.push([t('alerts.detail.localTime'), t('alerts.detail.localTimeValue', { weekday: weekdayName(number('weekday'), language), time: alert.details.time, timeZone: String(alert.details.timeZone ?? '') })]);
  }
  if (alert.ip) rows.push([t('alerts.detail.ip'), `${alert.ip}${alert.details.lookbackDays ? ` — ${t('alerts.detail.lookback', { days: alert.details.lookbackDays })}` : ''}`]);
  rows.push(
    [t('alerts.detail.events'), t('alerts.detail.eventsValue', { first: alert.firstSeq, last: alert.lastSeq })],
    [
      t('alerts.detail.response'),
      `${alert.rule === 'token_new_ip' && alert.action === 'suspend' ? t('alerts.actions.revokeToken') : t(`alerts.actions.${alert.action}`)} — ${t(`alerts.results.${alert.actionResult}`, { defaultValue: alert.actionResult })}`,
    ],
    [t('alerts.detail.mail'), t(`alerts.mail.${alert.mail}`, { defaultValue: alert.mail })],
    [t('alerts.detail.raised'), formatDate(alert.raisedAt)],
  );
  const acknowledged = byAt(alert.acknowledgedBy, alert.acknowledgedAt);
  if (acknowledged) rows.push([t('alerts.detail.acknowledgedBy'), acknowledged]);
  const resolved = byAt(alert.resolvedBy, alert.resolvedAt);
  if (resolved) rows.push([t('alerts.detail.resolvedBy'), resolved]);

  return (
    <Stack>
      <Group gap="sm" wrap="wrap">
        <Title order={1} size="h2" data-testid="alert-title">
          {rule}
        </Title>
        <SeverityBadge severity={alert.severity} />
        <StatusBadge status={alert.status} />
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t(`alerts.rules.${alert.rule}.description`)}
      </Text>
      <Paper withBorder radius="md" p={{ base: 'xs', sm: 'md' }}>
        <Table variant="vertical" layout="fixed" data-testid="alert-details">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={{ base: 110, sm: 200 }}>{label}</Table.Th>
                <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <ErrorAlert error={change.error} />
      <Group gap="sm">
        {alert.status === 'open' && (
          <Button onClick={() => change.mutate({ id: alert.id, to: 'acknowledged' })} loading={change.isPending && change.variables.to === 'acknowledged'} disabled={change.isPending}>
            {t('alerts.acknowledge')}
          </Button>
        )}
        {alert.status !== 'resolved' && (
          <Button variant="default" onClick={() => change.mutate({ id: alert.id, to: 'resolved' })} loading={change.isPending && change.variables.to === 'resolved'} disabled={change.isPending}>
            {t('alerts.resolve')}
          </Button>
        )}
        {auditLink && (
          <Anchor component={Link} to={auditLink} size="sm" data-testid="alert-audit-link">
            {t('alerts.detail.auditLink')}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
