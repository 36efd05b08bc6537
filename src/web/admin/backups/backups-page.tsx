import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { BACKUPS_QUERY_KEY, backupsApi, type BackupRun, type BackupsOverview } from './backups-api.js';
import { backupWarning, formatBytes, progressPercent } from './backup-format.js';
import { RecoverModal } from './recover-modal.js';
import { ScheduleForm } from './schedule-form.js';

/** How often a running backup's progress is asked for. */
const POLL_MS = 1000;

const STATUS_COLORS: Record<BackupRun['status'], string> = { running: 'blue', succeeded: 'teal', failed: 'red' };
const VERIFY_COLORS: Record<BackupRun['verifyStatus'], string> = { pending: 'gray', verified: 'teal', failed: 'red' };

/** `/admin/backups` — the server's backups: when, how big, whether each verified; the schedule; "back up now". */
export function BackupsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const overview = useQuery({
    queryKey: BACKUPS_QUERY_KEY,
    queryFn: backupsApi.overview,
    refetchInterval: (query) => (query.state.data?.running ? POLL_MS : false),
  });
  const followed = runId ?? overview.data?.running ?? null;
  const run = useQuery({
    queryKey: [...BACKUPS_QUERY_KEY, 'run', followed],
    queryFn: () => backupsApi.run(followed!),
    enabled: followed !== null,
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'running' ? false : POLL_MS),
  });
  const start = useMutation({
    mutationFn: backupsApi.backUpNow,
    onSuccess: async ({ id }) => {
      setRunId(id);
      await queryClient.invalidateQueries({ queryKey: BACKUPS_QUERY_KEY, exact: true });
    },
  });
  const running = run.data?.status === 'running' || (overview.data?.running ?? null) !== null;
  // A followed run that ended: the list, last success and warnings change with it.
  const finishedId = run.data && run.data.status !== 'running' ? run.data.id : null;
  useEffect(() => {
    if (finishedId) void queryClient.invalidateQueries({ queryKey: BACKUPS_QUERY_KEY, exact: true });
  }, [finishedId, queryClient]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.backups.title')}
        </Title>
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!overview.data || running}>
          {t('admin.backups.backUpNow')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.backups.intro')}
      </Text>
      <ErrorAlert error={start.error} overrides={{ backup_running: t('admin.backups.alreadyRunning') }} />
      {run.data && (run.data.status === 'running' || runId === run.data.id) && <RunProgress run={run.data} />}
      {overview.isPending && <Skeleton h={240} />}
      <ErrorAlert error={overview.error} />
      {overview.data && (
        <>
          <Warning overview={overview.data} />
          <Summary overview={overview.data} />
          <RunsTable runs={overview.data.runs} />
          <ScheduleForm key={`${overview.data.schedule.enabled}-${overview.data.schedule.timeOfDay}`} schedule={overview.data.schedule} />
        </>
      )}
    </Stack>
  );
}

function RunProgress({ run }: { run: BackupRun }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  if (run.status !== 'running') {
    return (
      <Alert color={run.status === 'succeeded' ? 'teal' : 'red'} variant="light" data-testid="backup-run-result" data-status={run.status} data-verify={run.verifyStatus}>
        {run.status === 'succeeded' ? t('admin.backups.done', { size: formatBytes(run.bytes, locale) }) : t('admin.backups.failed', { code: run.errorCode ?? '—' })}
      </Alert>
    );
  }
  const percent = progressPercent(run.progress);
  return (
    <Paper withBorder radius="md" p="md" data-testid="backup-run-progress">
      <Stack gap={6}>
        <Text size="sm">{run.progress ? t(`admin.backups.phases.${run.progress.phase}`) : t('admin.backups.starting')}</Text>
        <Progress value={percent ?? 100} animated striped={percent === null} aria-label={t('admin.backups.progress')} />
        {run.progress && run.progress.bytes > 0 && (
          <Text size="xs" c="dimmed">
            {run.progress.totalBytes === null ? formatBytes(run.progress.bytes, locale) : `${formatBytes(run.progress.bytes, locale)} / ${formatBytes(run.progress.totalBytes, locale)}`}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function Warning({ overview }: { overview: BackupsOverview }) {
  const { t } = useTranslation();
  const warning = backupWarning(overview);
  if (!warning) return null;
  const code = overview.runs.find((run) => run.status === 'failed')?.errorCode ?? '—';
  return (
    <Alert color="red" variant="light" role="alert" title={t(`admin.backups.warnings.${warning}Title`)}>
      {warning === 'failed' ? t('admin.backups.warnings.failed', { code }) : t('admin.backups.warnings.overdue')}
    </Alert>
  );
}

function Summary({ overview }: { overview: BackupsOverview }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const facts: [string, string][] = [
    [t('admin.backups.lastSuccess'), overview.lastSuccess ? formatDate(overview.lastSuccess.finishedAt) : t('admin.backups.never')],
    [t('admin.backups.nextRun'), overview.nextRun ? formatDate(overview.nextRun) : t('admin.backups.scheduleOff')],
    [t('admin.backups.folder'), overview.destination.folder],
    [t('admin.backups.copyFolder'), overview.destination.copyFolder ?? t('admin.backups.noCopy')],
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {facts.map(([label, value]) => (
        <Paper key={label} withBorder radius="md" p="sm">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

type RecoverableRun = BackupRun & { file: string };

/** Customers can be recovered from a backup that succeeded and whose file is known. */
function recoverable(run: BackupRun): run is RecoverableRun {
  return run.status === 'succeeded' && run.file !== null;
}

function RunsTable({ runs }: { runs: BackupRun[] }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  const [recovering, setRecovering] = useState<RecoverableRun | null>(null);
  if (runs.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="backups-empty">
        {t('admin.backups.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped aria-label={t('admin.backups.runsTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.backups.columns.started')}</Table.Th>
            <Table.Th>{t('admin.backups.columns.trigger')}</Table.Th>
            <Table.Th>{t('admin.backups.columns.size')}</Table.Th>
            <Table.Th>{t('admin.backups.columns.status')}</Table.Th>
            <Table.Th>{t('admin.backups.columns.verify')}</Table.Th>
            <Table.Th>{t('admin.backups.recover.column')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id} data-testid="backup-run" data-status={run.status} data-verify={run.verifyStatus}>
              <Table.Td>
                <time dateTime={run.startedAt}>{formatDate(run.startedAt)}</time>
              </Table.Td>
              <Table.Td>{t(`admin.backups.triggers.${run.trigger}`)}</Table.Td>
              <Table.Td>{formatBytes(run.bytes, locale)}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATUS_COLORS[run.status]}>
                  {t(`admin.backups.statuses.${run.status}`)}
                </Badge>
                {run.errorCode && (
                  <Text size="xs" c="dimmed">
                    {run.errorCode}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={VERIFY_COLORS[run.verifyStatus]}>
                  {t(`admin.backups.verify.${run.verifyStatus}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {recoverable(run) && (
                  <Button size="xs" variant="default" onClick={() => setRecovering(run)}>
                    {t('admin.backups.recover.open')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {recovering && <RecoverModal run={recovering} onClose={() => setRecovering(null)} />}
    </Table.ScrollContainer>
  );
}
