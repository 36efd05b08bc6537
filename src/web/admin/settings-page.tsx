import { NativeSelect, Paper, Skeleton, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';
import { useNotify } from '../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi } from './admin-api.js';

/** The regions offered as the default for phone numbers typed without a country code. */
export const PHONE_REGIONS = ['CN', 'HK', 'TW', 'SG', 'US', 'GB', 'DE', 'JP', 'KR', 'AU'] as const;
type PhoneRegion = (typeof PHONE_REGIONS)[number];
const isPhoneRegion = (region: string): region is PhoneRegion => (PHONE_REGIONS as readonly string[]).includes(region);

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
  const regionName = (region: string) => (isPhoneRegion(region) ? t(`admin.settings.regions.${region}`) : region);
  const updateRegion = useMutation({
    mutationFn: (phoneRegion: string) => adminApi.updateSettings({ phoneRegion }),
    onSuccess: (data) => {
      queryClient.setQueryData(ADMIN_QUERY_KEYS.settings, data);
      notify(t('admin.settings.phoneRegionSaved', { region: regionName(data.phoneRegion) }));
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
                {t('admin.settings.dataTitle')}
              </Title>
              <NativeSelect
                label={t('admin.settings.phoneRegion')}
                description={t('admin.settings.phoneRegionHint')}
                maw={360}
                value={updateRegion.isPending ? (updateRegion.variables ?? settings.data.phoneRegion) : settings.data.phoneRegion}
                onChange={(event) => updateRegion.mutate(event.currentTarget.value)}
                disabled={updateRegion.isPending}
                data={[
                  ...PHONE_REGIONS.map((region) => ({ value: region, label: `${regionName(region)} (${region})` })),
                  // A region set some other way (the API takes any ISO code) is still shown as it is.
                  ...(isPhoneRegion(settings.data.phoneRegion) ? [] : [{ value: settings.data.phoneRegion, label: settings.data.phoneRegion }]),
                ]}
              />
              <ErrorAlert error={updateRegion.error} />
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
