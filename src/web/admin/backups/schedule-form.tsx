import { Button, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useNotify } from '../../ui/notifications.js';
import { BACKUPS_QUERY_KEY, backupsApi, type BackupSchedule } from './backups-api.js';

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The installation's one schedule: on or off, and the time of day (server time) it runs. */
export function ScheduleForm({ schedule }: { schedule: BackupSchedule }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(schedule.enabled);
  const [timeOfDay, setTimeOfDay] = useState(schedule.timeOfDay);
  const save = useMutation({
    mutationFn: backupsApi.setSchedule,
    onSuccess: async () => {
      notify(t('admin.backups.schedule.saved'));
      await queryClient.invalidateQueries({ queryKey: BACKUPS_QUERY_KEY });
    },
  });
  const valid = TIME_OF_DAY.test(timeOfDay);
  const changed = enabled !== schedule.enabled || timeOfDay !== schedule.timeOfDay;

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="backup-schedule-title">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) save.mutate({ enabled, timeOfDay });
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4" id="backup-schedule-title">
            {t('admin.backups.schedule.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('admin.backups.schedule.help')}
          </Text>
          <Switch label={t('admin.backups.schedule.enabled')} checked={enabled} onChange={(event) => setEnabled(event.currentTarget.checked)} />
          <TextInput
            type="time"
            label={t('admin.backups.schedule.time')}
            value={timeOfDay}
            onChange={(event) => setTimeOfDay(event.currentTarget.value)}
            disabled={!enabled}
            error={valid ? undefined : t('admin.backups.schedule.invalidTime')}
            maw={200}
            required
          />
          <ErrorAlert error={save.error} />
          <Group>
            <Button type="submit" disabled={!changed || !valid} loading={save.isPending}>
              {t('admin.backups.schedule.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
