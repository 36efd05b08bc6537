import { Alert, Badge, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { useNotify } from '../../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi, type KeysOverview, type RewrapStatus } from '../admin-api.js';
import { durationParts, progressPercent, rewrapWanted, type KeySummary } from './key-summary.js';

const STATE_COLORS: Record<Exclude<RewrapStatus['state'], 'idle'>, string> = { running: 'blue', done: 'teal', failed: 'red', cancelled: 'yellow' };

/** Starts, follows and cancels the rewrap that moves customer keys to the current data-key version. */
export function RewrapPanel({ rewrap, summary }: { rewrap: RewrapStatus; summary: KeySummary }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const onAnswer = (overview: KeysOverview) => queryClient.setQueryData(ADMIN_QUERY_KEYS.keys, overview);
  const start = useMutation({
    mutationFn: adminApi.startRewrap,
    onSuccess: (overview) => {
      onAnswer(overview);
      notify(t('admin.keys.started'));
    },
  });
  const cancel = useMutation({
    mutationFn: adminApi.cancelRewrap,
    onSuccess: (overview) => {
      onAnswer(overview);
      notify(t('admin.keys.cancelledNotice'), 'info');
    },
  });
  const running = rewrap.state === 'running';
  const overrides = t('admin.keys.errors', { returnObjects: true });

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="rewrap-title">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={2} size="h4" id="rewrap-title">
            {t('admin.keys.rewrapTitle')}
          </Title>
          {rewrap.state !== 'idle' && (
            <Badge variant="light" color={STATE_COLORS[rewrap.state]} data-testid="rewrap-state" data-state={rewrap.state}>
              {t(`admin.keys.states.${rewrap.state}`)}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed" maw={720}>
          {t('admin.keys.rewrapWhy')}
        </Text>
        {rewrap.state !== 'idle' && <RewrapProgress rewrap={rewrap} />}
        <Outcome rewrap={rewrap} />
        {!running && <PendingWork summary={summary} />}
        <ErrorAlert error={start.error ?? cancel.error} overrides={overrides} />
        <Group>
          {running ? (
            <Button variant="light" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              {t('admin.keys.cancel')}
            </Button>
          ) : (
            rewrapWanted(summary) && (
              <Button onClick={() => start.mutate()} loading={start.isPending}>
                {rewrap.state === 'cancelled' || rewrap.state === 'failed' ? t('admin.keys.resume') : t('admin.keys.start')}
              </Button>
            )
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function RewrapProgress({ rewrap }: { rewrap: RewrapStatus }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, { maximumFractionDigits: 0 });
  const running = rewrap.state === 'running';
  const eta = rewrap.eta === null ? null : durationParts(rewrap.eta);
  return (
    <Stack gap={6}>
      <Progress
        value={progressPercent(rewrap)}
        size="lg"
        striped={running}
        animated={running}
        color={STATE_COLORS[rewrap.state === 'idle' ? 'running' : rewrap.state]}
        aria-label={t('admin.keys.progressLabel')}
      />
      <Group justify="space-between" gap="xs">
        <Text size="sm" data-testid="rewrap-count">
          {t('admin.keys.progress', { done: number.format(rewrap.done), total: number.format(rewrap.total) })}
        </Text>
        {running && (
          <Group gap="md">
            <Text size="sm" c="dimmed">
              {t('admin.keys.rate', { rate: number.format(rewrap.rate) })}
            </Text>
            <Text size="sm" c="dimmed">
              {eta ? t(`admin.keys.eta.${eta.unit}`, { count: eta.count }) : t('admin.keys.etaUnknown')}
            </Text>
          </Group>
        )}
      </Group>
    </Stack>
  );
}

/** How the last rewrap ended, while this server remembers it. */
function Outcome({ rewrap }: { rewrap: RewrapStatus }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const date = formatDate(rewrap.finishedAt);
  if (rewrap.state === 'done') return <Text size="sm">{t('admin.keys.finished', { count: rewrap.done, date })}</Text>;
  if (rewrap.state === 'cancelled') return <Text size="sm">{t('admin.keys.stopped', { done: rewrap.done, total: rewrap.total, date })}</Text>;
  if (rewrap.state === 'failed') {
    return (
      <Alert color="red" variant="light" role="alert">
        {t('admin.keys.failed')}
      </Alert>
    );
  }
  return null;
}

/** What a rewrap would do now, read from the key table (it survives a server restart; the progress does not). */
function PendingWork({ summary }: { summary: KeySummary }) {
  const { t } = useTranslation();
  const message =
    summary.pending > 0 ? t('admin.keys.pending', { count: summary.pending }) : summary.unretired.length > 0 ? t('admin.keys.retireOnly') : t('admin.keys.upToDate');
  return (
    <Text size="sm" fw={500} data-testid="rewrap-pending">
      {message}
    </Text>
  );
}
