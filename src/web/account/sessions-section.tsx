import { Badge, Button, Group, Skeleton, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useForgetSession } from '../auth/use-sign-out.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useNotify } from '../ui/notifications.js';
import { ACCOUNT_QUERY_KEYS, accountApi, type SessionItem } from './account-api.js';
import { describeUserAgent } from './describe-user-agent.js';
import { SectionCard } from './section-card.js';

export function SessionsSection() {
  const { t } = useTranslation();
  const sessions = useQuery({ queryKey: ACCOUNT_QUERY_KEYS.sessions, queryFn: accountApi.sessions });
  const forgetSession = useForgetSession();
  const [confirmAll, setConfirmAll] = useState(false);
  const endAll = useMutation({ mutationFn: accountApi.endAllSessions, onSuccess: () => forgetSession('signedOut') });

  return (
    <SectionCard title={t('account.sessions.title')} description={t('account.sessions.description')}>
      {sessions.isPending && <Skeleton h={120} />}
      <ErrorAlert error={sessions.error} />
      {sessions.data && <SessionsTable items={sessions.data.items} />}
      <Group>
        <Button color="red" variant="light" onClick={() => setConfirmAll(true)}>
          {t('account.sessions.endAll')}
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirmAll}
        title={t('account.sessions.endAllConfirm.title')}
        confirmLabel={t('account.sessions.endAllConfirm.confirm')}
        danger
        loading={endAll.isPending}
        error={endAll.error}
        onConfirm={() => endAll.mutate()}
        onCancel={() => {
          setConfirmAll(false);
          endAll.reset();
        }}
      >
        {t('account.sessions.endAllConfirm.body')}
      </ConfirmDialog>
    </SectionCard>
  );
}

function SessionsTable({ items }: { items: SessionItem[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: (id: string) => accountApi.endSession(id),
    onSuccess: () => {
      notify(t('account.sessions.ended'));
      void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEYS.sessions });
    },
  });

  const device = (session: SessionItem) => {
    const { browser, system } = describeUserAgent(session.userAgent);
    if (browser && system) return t('account.sessions.browserOn', { browser, system });
    return browser ?? system ?? t('account.sessions.unknownDevice');
  };

  return (
    <Stack gap="xs">
      <ErrorAlert error={end.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('account.sessions.device')}</Table.Th>
              <Table.Th>{t('account.sessions.ip')}</Table.Th>
              <Table.Th>{t('account.sessions.signedIn')}</Table.Th>
              <Table.Th>{t('account.sessions.lastSeen')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((session) => (
              <Table.Tr key={session.id} data-testid="session-row" data-current={session.current || undefined}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Tooltip label={session.userAgent ?? ''} disabled={!session.userAgent} multiline maw={360}>
                      <Text size="sm">{device(session)}</Text>
                    </Tooltip>
                    {session.current && (
                      <Badge size="sm" variant="light" color="teal">
                        {t('account.sessions.current')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {session.ip ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDate(session.createdAt)}</Table.Td>
                <Table.Td>{formatDate(session.lastSeenAt)}</Table.Td>
                <Table.Td ta="right">
                  {!session.current && (
                    <Button size="compact-sm" variant="subtle" color="red" loading={end.isPending && end.variables === session.id} onClick={() => end.mutate(session.id)}>
                      {t('account.sessions.end')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
