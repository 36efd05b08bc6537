import { Alert as Notice, Anchor, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { useMe } from '../auth/use-me.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { EmptyState } from '../ui/empty-state.js';
import { SeverityBadge, StatusBadge, whoOf } from './alert-parts.js';
import { ALERTS_QUERY_KEY, alertsApi, type Alert, type AlertFilter } from './alerts-api.js';
import { useAlertStatusChange } from './use-alert-status-change.js';

/**
 * `/alerts` — what the detection rules raised, newest first: the unresolved ones by default, or
 * all of them; each can be acknowledged or resolved here or opened for its details.
 */
export function AlertsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filter: AlertFilter = params.get('status') === 'all' ? 'all' : 'open';
  const alerts = useInfiniteQuery({
    queryKey: [...ALERTS_QUERY_KEY, 'list', filter],
    queryFn: ({ pageParam }) => alertsApi.list(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // New alerts arrive while the page is open.
    refetchInterval: 30_000,
  });
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  const mailOn = alerts.data?.pages[0]?.mail.enabled;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {t('alerts.title')}
          </Title>
          <Text size="sm" c="dimmed" maw={720}>
            {t('alerts.intro')}
          </Text>
        </Stack>
        {me.policies.manageSettings && (
          <Anchor component={Link} to="/admin/alert-rules" size="sm">
            {t('alerts.rulesLink')}
          </Anchor>
        )}
      </Group>
      {mailOn === false && (
        <Notice color="yellow" variant="light" data-testid="alerts-mail-off">
          {t('alerts.mailOff')}
        </Notice>
      )}
      <SegmentedControl
        aria-label={t('alerts.filterLabel')}
        w="fit-content"
        value={filter}
        onChange={(value) => setParams(value === 'all' ? { status: 'all' } : {}, { replace: true })}
        data={[
          { value: 'open', label: t('alerts.filter.open') },
          { value: 'all', label: t('alerts.filter.all') },
        ]}
      />
      {alerts.isPending && <Skeleton h={160} aria-busy aria-label={t('common.loading')} />}
      <ErrorAlert error={alerts.error} />
      {alerts.isSuccess &&
        (items.length === 0 ? (
          <EmptyState title={filter === 'open' ? t('alerts.emptyOpenTitle') : t('alerts.emptyAllTitle')}>{filter === 'open' ? t('alerts.emptyOpenBody') : t('alerts.emptyAllBody')}</EmptyState>
        ) : (
          <AlertList items={items} />
        ))}
      {alerts.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void alerts.fetchNextPage()} loading={alerts.isFetchingNextPage}>
          {t('alerts.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

function AlertList({ items }: { items: readonly Alert[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const change = useAlertStatusChange();
  const busy = (id: string) => change.isPending && change.variables.id === id;

  return (
    <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      <ErrorAlert error={change.error} />
      {items.map((alert) => {
        const rule = t(`alerts.rules.${alert.rule}.name`);
        const who = whoOf(alert, t);
        return (
          <Paper key={alert.id} component="li" withBorder radius="md" p="sm" data-testid="alert-row" data-rule={alert.rule} data-id={alert.id}>
            <Group justify="space-between" gap="sm" wrap="wrap">
              <Stack gap={4} style={{ minWidth: 0, flex: '1 1 260px' }}>
                <Group gap="xs" wrap="wrap">
                  <SeverityBadge severity={alert.severity} />
                  <StatusBadge status={alert.status} />
                  <Anchor component={Link} to={`/alerts/${alert.id}`} fw={600} aria-label={t('alerts.openDetails', { rule, name: who })}>
                    {rule}
                  </Anchor>
                </Group>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {who}
                </Text>
                <Text size="xs" c="dimmed">
                  <time dateTime={alert.raisedAt}>{formatDate(alert.raisedAt)}</time>
                </Text>
              </Stack>
              <Group gap="xs">
                {alert.status === 'open' && (
                  <Button size="compact-sm" variant="light" loading={busy(alert.id) && change.variables?.to === 'acknowledged'} disabled={busy(alert.id)} onClick={() => change.mutate({ id: alert.id, to: 'acknowledged' })}>
                    {t('alerts.acknowledge')}
                  </Button>
                )}
                {alert.status !== 'resolved' && (
                  <Button size="compact-sm" variant="subtle" loading={busy(alert.id) && change.variables?.to === 'resolved'} disabled={busy(alert.id)} onClick={() => change.mutate({ id: alert.id, to: 'resolved' })}>
                    {t('alerts.resolve')}
                  </Button>
                )}
              </Group>
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
