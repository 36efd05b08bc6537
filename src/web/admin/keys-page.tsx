import { Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { ADMIN_QUERY_KEYS, adminApi } from './admin-api.js';
import { summarizeKeys } from './keys/key-summary.js';
import { KeyVersionsTable } from './keys/key-versions-table.js';
import { RewrapPanel } from './keys/rewrap-panel.js';
import { RotateKeyDialog } from './keys/rotate-key-dialog.js';

/** How often a running rewrap's progress is asked for. */
const POLL_MS = 1000;

/** `/admin/keys` — the workspace key versions, rotation, and the rewrap that follows it (`custos keys …` in the browser). */
export function KeysPage() {
  const { t } = useTranslation();
  const [rotateOpened, rotateDialog] = useDisclosure(false);
  const overview = useQuery({
    queryKey: ADMIN_QUERY_KEYS.keys,
    queryFn: adminApi.keys,
    refetchInterval: (query) => (query.state.data?.rewrap.state === 'running' ? POLL_MS : false),
  });
  const summary = overview.data ? summarizeKeys(overview.data.keys) : null;
  const running = overview.data?.rewrap.state === 'running';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.keys.title')}
        </Title>
        <Button onClick={rotateDialog.open} disabled={!overview.data || running}>
          {t('admin.keys.rotate')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.keys.intro')}
      </Text>
      {overview.isPending && <Skeleton h={240} />}
      <ErrorAlert error={overview.error} />
      {overview.data && summary && (
        <>
          <KeyVersionsTable keys={overview.data.keys} currentDataVersion={summary.currentDataVersion} />
          {overview.data.keys.length > 0 && <RewrapPanel rewrap={overview.data.rewrap} summary={summary} />}
        </>
      )}
      <RotateKeyDialog opened={rotateOpened} onClose={rotateDialog.close} />
    </Stack>
  );
}
