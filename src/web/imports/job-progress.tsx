import { Alert, Anchor, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { canImportForReal, canResume, formatEta, formatRate, progressPercent, settingsOf } from './import-progress.js';
import { importsApi, type ImportJob, type ImportSummary } from './imports-api.js';
import { StatusBadge } from './status-badge.js';
import { useImportErrorOverrides } from './use-import-error-overrides.js';
import { useRefreshOnConflict } from './use-refresh-on-conflict.js';

/** Why a job failed, in words of ours; another code shows the server's message. */
const FAILURE_CODES = ['interrupted', 'import_failed', 'unreadable_file', 'mapping_invalid', 'match_column_missing'] as const;
const isFailureCode = (code: string): code is (typeof FAILURE_CODES)[number] => (FAILURE_CODES as readonly string[]).includes(code);
const SUMMARY_KEYS = ['imported', 'updated', 'unchanged', 'rejected', 'duplicates'] as const satisfies readonly (keyof ImportSummary)[];

interface JobProgressProps {
  job: ImportJob;
  /** The server's answer to cancel, resume or a start for real. */
  onChanged: (job: ImportJob) => void;
  onImportAnother: () => void;
}

/**
 * Step 3: the bar with rows done, rows per second and time left while the job runs (the page
 * polls it every second), cancel and resume, and the summary with the error file and the way to
 * the duplicates found. A finished dry run offers the same import for real.
 */
export function JobProgress({ job, onChanged, onImportAnother }: JobProgressProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const onError = useRefreshOnConflict(job.id);
  const cancel = useMutation({ mutationFn: () => importsApi.cancel(job.id), onSuccess: (answer) => onChanged(answer), onError });
  const resume = useMutation({ mutationFn: () => importsApi.resume(job.id), onSuccess: (answer) => onChanged(answer), onError });
  const forReal = useMutation({ mutationFn: () => importsApi.start(job.id, { ...settingsOf(job), dryRun: false }), onSuccess: (answer) => onChanged(answer), onError });
  const failedCall = cancel.error ?? resume.error ?? forReal.error;
  const overrides = useImportErrorOverrides(failedCall);
  const percent = progressPercent(job.progress);
  const eta = formatEta(job.progress.eta);
  const running = job.status === 'running';
  const errorReason = job.error ? (isFailureCode(job.error.code) ? t(`imports.errors.${job.error.code}`) : job.error.message) : null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="import-progress" data-status={job.status} data-dry-run={job.dryRun}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <Title order={2} size="h4" style={{ overflowWrap: 'anywhere' }}>
            {job.fileName}
          </Title>
          <Group gap={6} wrap="nowrap">
            {job.dryRun && (
              <Badge variant="outline" color="gray">
                {t('imports.dryRunBadge')}
              </Badge>
            )}
            <StatusBadge status={job.status} />
          </Group>
        </Group>

        <Progress
          value={percent ?? 100}
          animated={running}
          striped={running && percent === null}
          color={job.status === 'failed' ? 'red' : job.status === 'cancelled' ? 'gray' : undefined}
          aria-label={t('imports.progress.label')}
          data-testid="import-progress-bar"
        />
        <Group gap="md" justify="space-between">
          <Text size="sm" data-testid="import-rows">
            {job.progress.total === null ? t('imports.progress.rowsSoFar', { done: number(job.progress.done) }) : t('imports.progress.rows', { done: number(job.progress.done), total: number(job.progress.total) })}
          </Text>
          {running && (
            <Group gap="md">
              {job.progress.rate > 0 && (
                <Text size="sm" c="dimmed" data-testid="import-rate">
                  {t('imports.progress.rate', { rate: formatRate(job.progress.rate, locale) })}
                </Text>
              )}
              <Text size="sm" c="dimmed" data-testid="import-eta">
                {eta ? t('imports.progress.eta', { eta }) : t('imports.progress.etaUnknown')}
              </Text>
            </Group>
          )}
        </Group>

        <Outcome job={job} reason={errorReason} />
        <ErrorAlert error={failedCall} overrides={overrides} />

        <SimpleGrid cols={{ base: 2, xs: 3, sm: 5 }} spacing="xs" data-testid="import-summary">
          {SUMMARY_KEYS.map((key) => (
            <Paper key={key} withBorder radius="sm" p="xs">
              <Text size="xs" c="dimmed">
                {t(`imports.summary.${key}`)}
              </Text>
              <Text fw={700} size="lg" data-testid={`import-summary-${key}`} data-value={job.summary[key]}>
                {number(job.summary[key])}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>

        <Group gap="sm">
          {job.summary.rejected > 0 && (
            <Button component="a" href={importsApi.errorsUrl(job.id)} download variant="default" data-testid="import-download-errors">
              {t('imports.summary.downloadErrors')}
            </Button>
          )}
          {job.summary.duplicates > 0 && !job.dryRun && (
            <Anchor component={Link} to="/duplicates" size="sm" data-testid="import-review-duplicates">
              {t('imports.summary.reviewDuplicates')}
            </Anchor>
          )}
        </Group>
        {job.summary.rejected > 0 && (
          <Text size="xs" c="dimmed">
            {t('imports.summary.errorFileHint')}
          </Text>
        )}

        <Group justify="flex-end" gap="sm">
          {running && (
            <Button variant="default" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending} data-testid="import-cancel">
              {t('imports.progress.cancel')}
            </Button>
          )}
          {canResume(job) && (
            <Button onClick={() => resume.mutate()} loading={resume.isPending} data-testid="import-resume">
              {t('imports.progress.resume')}
            </Button>
          )}
          {!running && (
            <Button variant={canImportForReal(job) || canResume(job) ? 'default' : 'filled'} onClick={onImportAnother}>
              {t('imports.importAnother')}
            </Button>
          )}
          {canImportForReal(job) && (
            <Button onClick={() => forReal.mutate()} loading={forReal.isPending} data-testid="import-for-real">
              {t('imports.progress.importForReal')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** One sentence on how the job ended (or that it is still going), in the words of a dry run when it was one. */
function Outcome({ job, reason }: { job: ImportJob; reason: string | null }) {
  const { t } = useTranslation();
  switch (job.status) {
    case 'running':
      return (
        <Text size="sm" c="dimmed">
          {job.dryRun ? t('imports.progress.runningDry') : t('imports.progress.running')}
        </Text>
      );
    case 'completed':
      return (
        <Alert color="teal" variant="light" data-testid="import-outcome">
          {job.dryRun ? t('imports.progress.completedDry') : t('imports.progress.completed')}
        </Alert>
      );
    case 'cancelled':
      return (
        <Alert color="gray" variant="light" data-testid="import-outcome">
          {job.dryRun ? t('imports.progress.cancelledDry') : t('imports.progress.cancelled')}
        </Alert>
      );
    case 'failed':
      return (
        <Alert color="red" variant="light" role="alert" title={t('imports.progress.failed')} data-testid="import-outcome">
          {t('imports.progress.failedReason', { reason: reason ?? '' })}
        </Alert>
      );
    case 'uploaded':
      return null;
  }
}
