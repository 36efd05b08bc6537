import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { useCan } from '../auth/use-can.js';
import { useFieldRegistry } from '../customers/use-field-registry.js';
import { isActive } from './import-progress.js';
import { ImportHistory } from './import-history.js';
import { IMPORTS_QUERY_KEY, importQueryKey, importsApi, type ImportJob, type ImportPreview } from './imports-api.js';
import { JobProgress } from './job-progress.js';
import { MappingStep } from './mapping-step.js';
import { UploadStep } from './upload-step.js';
import { useImportErrorOverrides } from './use-import-error-overrides.js';

/** A running job's progress is asked for this often. */
const POLL_MS = 1000;

/**
 * `/customers/import` — bring customers in from a CSV or Excel file: upload, check the columns
 * and how rows match existing customers, dry run, import, follow the progress. The job being
 * worked on is in the address (`?job=`), so a reload or the history reopens it.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const mayImport = useCan()('customers', 'import');
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');

  const open = useCallback((id: string | null) => setParams(id ? { job: id } : {}), [setParams]);
  // The server's answer is the job's new state: shown at once, and the list follows.
  const remember = useCallback(
    (job: ImportJob) => {
      queryClient.setQueryData(importQueryKey(job.id), job);
      void queryClient.invalidateQueries({ queryKey: [...IMPORTS_QUERY_KEY, 'list'] });
    },
    [queryClient],
  );

  if (!mayImport) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('imports.title')}
        </Title>
        <Alert color="red" title={t('errors.forbidden')} data-testid="import-not-allowed">
          {t('imports.notAllowed')}
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="xs">
        <Title order={1} size="h2">
          {t('imports.title')}
        </Title>
        <Anchor component={Link} to="/customers" size="sm">
          {t('imports.backToCustomers')}
        </Anchor>
      </Group>
      <Text size="sm" c="dimmed" maw={760}>
        {t('imports.intro')}
      </Text>
      {jobId ? (
        <JobView key={jobId} id={jobId} onChanged={remember} onImportAnother={() => open(null)} />
      ) : (
        <UploadStep
          onUploaded={(job) => {
            remember(job);
            open(job.id);
          }}
        />
      )}
      <ImportHistory openId={jobId} onOpen={open} />
    </Stack>
  );
}

interface JobViewProps {
  id: string;
  onChanged: (job: ImportJob) => void;
  onImportAnother: () => void;
}

/** One job: its mapping while it waits to start, else its progress. */
function JobView({ id, onChanged, onImportAnother }: JobViewProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fields = useFieldRegistry();
  const job = useQuery({
    queryKey: importQueryKey(id),
    queryFn: () => importsApi.get(id),
    refetchInterval: (query) => (isActive(query.state.data) ? POLL_MS : false),
  });
  const overrides = useImportErrorOverrides(job.error);
  // The list's badge and counts follow the job's status as it changes.
  const status = job.data?.status;
  useEffect(() => {
    if (status) void queryClient.invalidateQueries({ queryKey: [...IMPORTS_QUERY_KEY, 'list'] });
  }, [status, queryClient]);

  if (job.isPending) return <Skeleton h={240} />;
  if (job.isError) {
    return (
      <Stack align="flex-start" gap="xs">
        <ErrorAlert error={job.error} overrides={overrides} />
        <Group gap="xs">
          <Button variant="default" onClick={() => void job.refetch()}>
            {t('common.retry')}
          </Button>
          <Button onClick={onImportAnother}>{t('imports.importAnother')}</Button>
        </Group>
      </Stack>
    );
  }

  const current = job.data;
  if (current.status === 'uploaded' && hasPreview(current)) {
    if (!fields.data) return fields.isError ? <ErrorAlert error={fields.error} /> : <Skeleton h={240} />;
    return <MappingStep job={current} fields={fields.data} onStarted={onChanged} onChooseAnother={onImportAnother} />;
  }
  return <JobProgress job={current} onChanged={onChanged} onImportAnother={onImportAnother} />;
}

function hasPreview(job: ImportJob): job is ImportJob & { preview: ImportPreview } {
  return job.preview !== undefined;
}
