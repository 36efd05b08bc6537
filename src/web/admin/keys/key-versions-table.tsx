import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { EmptyState } from '../../ui/empty-state.js';
import type { KeyVersion } from '../admin-api.js';

/** Every version of the workspace keys: which is current, which still wrap customer keys, which are retired. */
export function KeyVersionsTable({ keys, currentDataVersion }: { keys: readonly KeyVersion[]; currentDataVersion: number | null }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const count = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language);
  const purposeName = (purpose: string) => (purpose === 'data' || purpose === 'index' ? t(`admin.keys.purposes.${purpose}`) : purpose);

  if (keys.length === 0) return <EmptyState title={t('admin.keys.emptyTitle')}>{t('admin.keys.emptyBody')}</EmptyState>;

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="key-versions-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="key-versions-title">
          {t('admin.keys.versionsTitle')}
        </Title>
        <Table.ScrollContainer minWidth={640}>
          {/* Short cells kept on one line: on a phone the table scrolls rather than squeezing its badges. */}
          <Table verticalSpacing="xs" striped style={{ whiteSpace: 'nowrap' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.keys.purpose')}</Table.Th>
                <Table.Th>{t('admin.keys.version')}</Table.Th>
                <Table.Th>{t('admin.keys.created')}</Table.Th>
                <Table.Th>{t('admin.keys.status')}</Table.Th>
                <Table.Th ta="right">{t('admin.keys.wraps')}</Table.Th>
                <Table.Th>{t('admin.keys.masterKey')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.map((key) => (
                <Table.Tr key={`${key.purpose}:${key.version}`} data-testid="key-version" data-purpose={key.purpose} data-version={key.version} data-retired={key.retiredAt !== null}>
                  <Table.Td>{purposeName(key.purpose)}</Table.Td>
                  <Table.Td>v{key.version}</Table.Td>
                  <Table.Td>{formatDate(key.createdAt)}</Table.Td>
                  <Table.Td>
                    <KeyStatus version={key} current={key.purpose !== 'data' || key.version === currentDataVersion} />
                  </Table.Td>
                  <Table.Td ta="right" data-testid="key-wraps">
                    {key.subjectKeys === null ? '—' : count.format(key.subjectKeys)}
                  </Table.Td>
                  <Table.Td>
                    <Text span ff="monospace" size="sm">
                      {key.masterKeyId}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Text size="xs" c="dimmed">
          {t('admin.keys.indexHint')}
        </Text>
      </Stack>
    </Paper>
  );
}

function KeyStatus({ version, current }: { version: KeyVersion; current: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  if (version.retiredAt) {
    return (
      <Group gap={6} wrap="nowrap">
        <Badge variant="light" color="gray">
          {t('admin.keys.retired')}
        </Badge>
        <Text span size="xs" c="dimmed">
          {formatDate(version.retiredAt)}
        </Text>
      </Group>
    );
  }
  return current ? (
    <Badge variant="light" color="teal">
      {t('admin.keys.current')}
    </Badge>
  ) : (
    <Badge variant="light" color="yellow">
      {t('admin.keys.stillInUse')}
    </Badge>
  );
}
