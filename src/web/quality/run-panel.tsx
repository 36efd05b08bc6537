import { Alert, Button, Group, Paper, Progress, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { STALE_MONTHS, type QualityReport, type StaleMonths } from '../../shared/quality.js';
import { ErrorAlert } from '../api/error-alert.js';
import { durationParts } from '../admin/keys/key-summary.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { useNotify } from '../ui/notifications.js';
import { QUALITY_QUERY_KEYS, qualityApi } from './quality-api.js';
import { progressPercent } from './quality-summary.js';

/** Starts a report with the chosen stale threshold, follows its progress (customers per second, time left) and cancels it. */
export function RunPanel({ latest, months, onMonths }: { latest: QualityReport | null; months: StaleMonths; onMonths: (months: StaleMonths) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: QUALITY_QUERY_KEYS.latest });
  const start = useMutation({ mutationFn: () => qualityApi.start(months), onSuccess: () => refresh() });
  const cancel = useMutation({
    mutationFn: (id: string) => qualityApi.cancel(id),
    onSuccess: () => {
      notify(t('quality.cancelledNotice'), 'info');
      return refresh();
    },
  });
  const running = latest?.status === 'running';
  const overrides = t('quality.errors', { returnObjects: true });

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-label={t('quality.runTitle')}>
      <Stack gap="sm">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="stale-months-label">
            {t('quality.staleAfter')}
          </Text>
          <SegmentedControl
            aria-labelledby="stale-months-label"
            value={String(months)}
            onChange={(value) => onMonths(Number(value) as StaleMonths)}
            data={STALE_MONTHS.map((n) => ({ value: String(n), label: t('quality.months', { count: n }) }))}
            fullWidth
            maw={420}
          />
        </Stack>
        {running && latest && <RunProgress report={latest} />}
        {!running && latest?.status === 'failed' && (
          <Alert color="red" variant="light" role="alert">
            {latest.error?.code === 'interrupted' ? t('quality.interrupted') : t('quality.failed')}
          </Alert>
        )}
        {!running && latest?.status === 'cancelled' && <Text size="sm">{t('quality.cancelled')}</Text>}
        <ErrorAlert error={start.error ?? cancel.error} overrides={overrides} />
        <Group>
          {running && latest ? (
            <Button variant="light" color="red" onClick={() => cancel.mutate(latest.id)} loading={cancel.isPending}>
              {t('quality.cancel')}
            </Button>
          ) : (
            <Button onClick={() => start.mutate()} loading={start.isPending}>
              {t('quality.run')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function RunProgress({ report }: { report: QualityReport }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const number = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language, { maximumFractionDigits: 0 });
  const { done, total, rate, eta } = report.progress;
  const left = eta === null ? null : durationParts(eta);
  return (
    <Stack gap={6}>
      <Progress value={progressPercent(report.progress)} size="lg" striped animated aria-label={t('quality.progressLabel')} />
      <Group justify="space-between" gap="xs">
        <Text size="sm" data-testid="quality-progress">
          {t('quality.progress', { done: number.format(done), total: number.format(total) })}
        </Text>
        <Group gap="md">
          <Text size="sm" c="dimmed">
            {t('quality.rate', { rate: number.format(rate) })}
          </Text>
          <Text size="sm" c="dimmed">
            {left ? t(`quality.eta.${left.unit}`, { count: left.count }) : t('quality.etaUnknown')}
          </Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {t('quality.startedAt', { date: formatDate(report.createdAt) })}
      </Text>
    </Stack>
  );
}
