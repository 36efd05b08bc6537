import { Alert, Button, Group, Modal, Progress, Radio, SegmentedControl, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { toLanguage } from '../../i18n/languages.js';
import type { ListRequest } from '../customers-api.js';
import { etaParts, progressPercent } from './export-progress.js';
import { exportsApi, type ExportFormat, type ExportJob, type ExportRequest } from './exports-api.js';

/** The server's own minimum for a reason (gateway/export.ts), checked here first so the user is told at once. */
const MIN_REASON_LENGTH = 5;
const POLL_MS = 500;

interface ExportModalProps {
  opened: boolean;
  onClose: () => void;
  list: ListRequest;
  /** Field columns the list shows now, in order. */
  shownColumns: string[];
}

/**
 * Exports the list as it is filtered: choose the format and the columns (those shown, or every
 * field the user may see), give a reason when the server will ask for one (more than 1,000
 * rows, or personal data), follow the job's progress, cancel it, download the file.
 */
export function ExportModal({ opened, onClose, list, shownColumns }: ExportModalProps) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)', undefined, { getInitialValueInEffect: false });
  const [jobId, setJobId] = useState<string | null>(null);
  const close = () => {
    setJobId(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('customers.export.title')} centered fullScreen={phone} size="lg">
      {opened &&
        (jobId ? (
          <ExportJobView id={jobId} onAgain={() => setJobId(null)} onClose={close} />
        ) : (
          <ExportForm list={list} shownColumns={shownColumns} onStarted={(job) => setJobId(job.id)} onClose={close} />
        ))}
    </Modal>
  );
}

function useExportOverrides(): Record<string, string> {
  const { t } = useTranslation();
  return useMemo(() => t('customers.export.errors', { returnObjects: true }) as Record<string, string>, [t]);
}

function ExportForm({ list, shownColumns, onStarted, onClose }: Omit<ExportModalProps, 'opened'> & { onStarted: (job: ExportJob) => void }) {
  const { t, i18n } = useTranslation();
  const overrides = useExportOverrides();
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [which, setWhich] = useState<'shown' | 'all'>(shownColumns.length > 0 ? 'shown' : 'all');
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const request: ExportRequest = useMemo(() => ({ list, columns: which === 'shown' ? shownColumns : null }), [list, which, shownColumns]);
  const estimate = useQuery({ queryKey: ['customers', 'exports', 'estimate', request], queryFn: () => exportsApi.estimate(request) });
  const start = useMutation({
    mutationFn: () => exportsApi.start(request, format, reason, toLanguage(i18n.resolvedLanguage ?? i18n.language)),
    onSuccess: onStarted,
  });
  const reasonRefused = isApiError(start.error, 'reason_required');
  const reasonRequired = (estimate.data?.reasonRequired ?? false) || reasonRefused;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonRequired && reason.trim().length < MIN_REASON_LENGTH) return setTooShort(true);
    start.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('customers.export.format')}
          </Text>
          <SegmentedControl
            value={format}
            onChange={(value) => setFormat(value as ExportFormat)}
            data={[
              { value: 'csv', label: t('customers.export.csv') },
              { value: 'xlsx', label: t('customers.export.xlsx') },
            ]}
            data-testid="export-format"
          />
        </Stack>
        <Radio.Group label={t('customers.export.columns')} value={which} onChange={(value) => setWhich(value as 'shown' | 'all')}>
          <Stack gap={6} mt={4}>
            <Radio value="shown" label={t('customers.export.columnsShown', { count: shownColumns.length })} disabled={shownColumns.length === 0} data-testid="export-columns-shown" />
            <Radio value="all" label={t('customers.export.columnsAll')} data-testid="export-columns-all" />
          </Stack>
        </Radio.Group>
        {estimate.isPending ? (
          <Skeleton h={20} />
        ) : estimate.data ? (
          <Text size="sm" data-testid="export-estimate">
            {t('customers.export.estimate', { count: estimate.data.rows })}
          </Text>
        ) : (
          <ErrorAlert error={estimate.error} overrides={overrides} />
        )}
        {reasonRequired && (
          <Textarea
            label={t('customers.export.reason')}
            description={t('customers.export.reasonHint')}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setTooShort(false);
            }}
            error={tooShort || reasonRefused ? t('customers.export.reasonTooShort') : undefined}
            required
            minLength={MIN_REASON_LENGTH}
            maxLength={500}
            autosize
            minRows={2}
            data-testid="export-reason"
          />
        )}
        <Text size="xs" c="dimmed">
          {t('customers.export.recorded')}
        </Text>
        {!reasonRefused && <ErrorAlert error={start.error} overrides={overrides} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={start.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={start.isPending} disabled={!estimate.data} data-testid="export-start">
            {t('customers.export.start')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ExportJobView({ id, onAgain, onClose }: { id: string; onAgain: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const overrides = useExportOverrides();
  const job = useQuery({
    queryKey: ['customers', 'exports', 'job', id],
    queryFn: () => exportsApi.get(id),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? POLL_MS : false),
    gcTime: 0,
  });
  const cancel = useMutation({ mutationFn: () => exportsApi.cancel(id), onSuccess: () => void job.refetch() });
  if (!job.data) return job.isError ? <ErrorAlert error={job.error} overrides={overrides} /> : <Skeleton h={80} />;
  const { status, progress, rows, expiresAt } = job.data;
  const eta = etaParts(progress.eta);
  const time = (iso: string) => new Intl.DateTimeFormat(i18n.resolvedLanguage ?? i18n.language, { timeStyle: 'short' }).format(new Date(iso));

  return (
    <Stack gap="sm" data-testid="export-job" data-status={status}>
      {status === 'running' && (
        <>
          <Progress value={progressPercent(job.data)} animated aria-label={t('customers.export.progressLabel')} data-testid="export-progress" />
          <Text size="sm">{t('customers.export.done', { done: progress.done, total: progress.total })}</Text>
          <Text size="sm" c="dimmed">
            {t('customers.export.rate', { rate: Math.round(progress.rate) })}
            {eta && ` · ${eta.minutes > 0 ? t('customers.export.etaMinutes', eta) : t('customers.export.etaSeconds', eta)}`}
          </Text>
          <ErrorAlert error={cancel.error} overrides={overrides} />
          <Group justify="flex-end">
            <Button variant="default" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending} data-testid="export-cancel">
              {t('customers.export.cancel')}
            </Button>
          </Group>
        </>
      )}
      {status === 'completed' && (
        <>
          <Alert color="teal" variant="light" title={t('customers.export.completedTitle')}>
            {t('customers.export.completed', { count: rows })} {expiresAt ? t('customers.export.keptUntil', { time: time(expiresAt) }) : t('customers.export.expired')}
          </Alert>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.done')}
            </Button>
            {expiresAt ? (
              <Button component="a" href={exportsApi.fileUrl(id)} download data-testid="export-download">
                {t('customers.export.download')}
              </Button>
            ) : (
              <Button onClick={onAgain}>{t('customers.export.again')}</Button>
            )}
          </Group>
        </>
      )}
      {(status === 'failed' || status === 'cancelled') && (
        <>
          <Alert color={status === 'failed' ? 'red' : 'gray'} variant="light" role={status === 'failed' ? 'alert' : undefined}>
            {status === 'cancelled' ? t('customers.export.cancelled') : t(`customers.export.failed.${job.data.error?.code === 'interrupted' ? 'interrupted' : 'other'}`)}
          </Alert>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.done')}
            </Button>
            <Button onClick={onAgain}>{t('customers.export.again')}</Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
