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

/** Retention periods offered for the audit trail, in days (the API takes any from 90 to 3650). */
const AUDIT_RETENTION_CHOICES = [180, 365, 730, 1095, 1825, 2555, 3650] as const;

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

  const retentionLabel = (days: number) => (days % 365 === 0 ? t('admin.settings.years', { count: days / 365 }) : t('admin.settings.days', { count: days }));
  const updateRetention = useMutation({
    mutationFn: (auditRetentionDays: number) => adminApi.updateSettings({ auditRetentionDays }),
    onSuccess: (data) => {
      queryClient.setQueryData(ADMIN_QUERY_KEYS.settings, data);
      notify(t('admin.settings.auditRetentionSaved', { period: retentionLabel(data.auditRetentionDays) }));
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
              <NativeSelect
                label={t('admin.settings.auditRetention')}
                description={t('admin.settings.auditRetentionHint')}
                maw={360}
                value={String(updateRetention.isPending ? (updateRetention.variables ?? settings.data.auditRetentionDays) : settings.data.auditRetentionDays)}
                onChange={(event) => updateRetention.mutate(Number(event.currentTarget.value))}
                disabled={updateRetention.isPending}
                data={[...new Set([...AUDIT_RETENTION_CHOICES, settings.data.auditRetentionDays])]
                  .sort((a, b) => a - b)
                  .map((days) => ({ value: String(days), label: retentionLabel(days) }))}
              />
              <ErrorAlert error={updateRetention.error} />
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
