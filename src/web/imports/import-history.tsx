import { Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { isActive, isDryRun } from './import-progress.js';
import { IMPORTS_QUERY_KEY, importsApi } from './imports-api.js';
import { StatusBadge } from './status-badge.js';

/** While one of the listed jobs runs, its row's numbers are refreshed this often. */
const POLL_MS = 3000;

/** The user's recent imports (an administrator's: everyone's), newest first; each reopens its progress. */
export function ImportHistory({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const number = (value: number) => new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language).format(value);
  const history = useQuery({
    queryKey: [...IMPORTS_QUERY_KEY, 'list'],
    queryFn: importsApi.list,
    refetchInterval: (query) => (query.state.data?.items.some(isActive) ? POLL_MS : false),
  });

  const content = () => {
    if (history.isPending) return <Skeleton h={120} />;
    if (history.isError)
      return (
        <Stack align="flex-start" gap="xs">
          <ErrorAlert error={history.error} />
          <Button variant="default" size="xs" onClick={() => void history.refetch()}>
            {t('common.retry')}
          </Button>
        </Stack>
      );
    if (history.data.items.length === 0) {
      return (
        <Text size="sm" c="dimmed" data-testid="import-history-empty">
          {t('imports.history.empty')}
        </Text>
      );
    }
    return (
      <Table.ScrollContainer minWidth={560} type="native">
        <Table striped highlightOnHover aria-label={t('imports.history.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.history.columns.file')}</Table.Th>
              <Table.Th>{t('imports.history.columns.created')}</Table.Th>
              <Table.Th>{t('imports.history.columns.status')}</Table.Th>
              <Table.Th ta="right">{t('imports.history.columns.rows')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.items.map((job) => (
              <Table.Tr key={job.id} data-testid="import-history-row" data-id={job.id} data-status={job.status} aria-current={job.id === openId ? 'true' : undefined}>
                <Table.Td maw={240} style={{ overflowWrap: 'anywhere' }}>
                  {job.fileName}
                </Table.Td>
                <Table.Td>
                  <time dateTime={job.createdAt}>{formatDate(job.createdAt)}</time>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <StatusBadge status={job.status} />
                    {isDryRun(job) && (
                      <Badge variant="outline" color="gray">
                        {t('imports.dryRunBadge')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{number(job.progress.done)}</Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-sm" variant="subtle" onClick={() => onOpen(job.id)} disabled={job.id === openId}>
                    {t('imports.history.open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="import-history">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('imports.history.title')}
        </Title>
        {content()}
      </Stack>
    </Paper>
  );
}
