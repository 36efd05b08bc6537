import { Paper, Skeleton, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';
import { useNotify } from '../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi } from './admin-api.js';

/** `/admin/settings` — workspace security settings. */
export function SettingsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ADMIN_QUERY_KEYS.settings, queryFn: adminApi.settings });
  const update = useMutation({
    mutationFn: (requireMfa: boolean) => adminApi.updateSettings({ requireMfa }),
    onSuccess: (data) => {
      queryClient.setQueryData(ADMIN_QUERY_KEYS.settings, data);
      // Turning the rule on may now demand enrolment from the admin too.
      void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
      notify(data.requireMfa ? t('admin.settings.requireMfaOn') : t('admin.settings.requireMfaOff'));
    },
  });

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('admin.settings.title')}
      </Title>
      {settings.isPending && <Skeleton h={160} />}
      <ErrorAlert error={settings.error} />
      {settings.data && (
        <>
          <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t('admin.settings.securityTitle')}
              </Title>
              <Switch
                label={t('admin.settings.requireMfa')}
                description={t('admin.settings.requireMfaHint')}
                checked={update.isPending ? (update.variables ?? settings.data.requireMfa) : settings.data.requireMfa}
                onChange={(event) => update.mutate(event.currentTarget.checked)}
                disabled={update.isPending}
              />
              <ErrorAlert error={update.error} />
            </Stack>
          </Paper>
          <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t('admin.settings.sessionsTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('admin.settings.sessionsHint')}
              </Text>
              <Table variant="vertical" withTableBorder maw={520}>
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th>{t('admin.settings.idleTimeout')}</Table.Th>
                    <Table.Td data-testid="session-idle">{t('admin.settings.minutes', { count: settings.data.sessionIdleMinutes })}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>{t('admin.settings.absoluteTimeout')}</Table.Th>
                    <Table.Td data-testid="session-absolute">{t('admin.settings.hours', { count: settings.data.sessionAbsoluteHours })}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Stack>
          </Paper>
        </>
      )}
    </Stack>
  );
}
