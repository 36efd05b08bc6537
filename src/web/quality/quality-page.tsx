import { Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_STALE_MONTHS, type StaleMonths } from '../../shared/quality.js';
import { ErrorAlert } from '../api/error-alert.js';
import { EmptyState } from '../ui/empty-state.js';
import { QUALITY_QUERY_KEYS, qualityApi } from './quality-api.js';
import { ReportView } from './report-view.js';
import { RunPanel } from './run-panel.js';

/** How often a running report's progress is asked for. */
const POLL_MS = 1000;

/**
 * `/quality` — the data-quality report: completeness per field, values today's rules refuse,
 * open duplicate candidates and stale customers, computed as a job over every customer and
 * shown as charts. Counts only: the report never holds a value or a customer.
 */
export function QualityPage() {
  const { t } = useTranslation();
  const reports = useQuery({
    queryKey: QUALITY_QUERY_KEYS.latest,
    queryFn: qualityApi.latest,
    refetchInterval: (query) => (query.state.data?.latest?.status === 'running' ? POLL_MS : false),
  });
  // Until one is chosen, the threshold of the report shown.
  const [chosen, choose] = useState<StaleMonths | null>(null);
  const completed = reports.data?.completed ?? null;
  const months = chosen ?? completed?.staleMonths ?? DEFAULT_STALE_MONTHS;

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('quality.title')}
      </Title>
      <Text size="sm" c="dimmed" maw={720}>
        {t('quality.intro')}
      </Text>
      {reports.isPending && <Skeleton h={240} />}
      <ErrorAlert error={reports.error} />
      {reports.data && <RunPanel latest={reports.data.latest} months={months} onMonths={choose} />}
      {reports.data && !completed && reports.data.latest?.status !== 'running' && (
        <EmptyState title={t('quality.emptyTitle')}>{t('quality.emptyBody')}</EmptyState>
      )}
      {completed?.result && <ReportView result={completed.result} months={months} />}
    </Stack>
  );
}
