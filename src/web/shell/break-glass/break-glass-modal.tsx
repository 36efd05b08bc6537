import { Alert, Button, Group, List, Modal, NumberInput, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { useNotify } from '../../ui/notifications.js';
import { BREAK_GLASS_MAX_REASON, BREAK_GLASS_MIN_REASON, BREAK_GLASS_MINUTES, breakGlassApi } from './break-glass-api.js';
import { useRefreshAccess } from './use-refresh-access.js';

/**
 * Says what break-glass is before anyone takes it — the owner's access, sensitive values
 * included, for a few hours at most, the other administrators told, everything recorded — and
 * asks why and for how long.
 */
export function BreakGlassModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('shell.breakGlass.title')} centered size="lg">
      {opened && <BreakGlassForm onClose={onClose} />}
    </Modal>
  );
}

/** For the sentences that name the bounds. */
const BOUNDS = { min: BREAK_GLASS_MINUTES.min, max: BREAK_GLASS_MINUTES.max };

const validMinutes = (value: number | string): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= BREAK_GLASS_MINUTES.min && value <= BREAK_GLASS_MINUTES.max;

function BreakGlassForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const formatDate = useFormatDate();
  const refreshAccess = useRefreshAccess();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<number | string>(BREAK_GLASS_MINUTES.default);
  const [checked, setChecked] = useState(false);

  const start = useMutation({
    mutationFn: (input: { reason: string; minutes: number }) => breakGlassApi.start(input),
    onSuccess: (grant) => {
      notify(t('shell.breakGlass.started', { time: formatDate(grant.expiresAt) }), 'info');
      onClose();
      void refreshAccess();
    },
    // Already on (another tab started it): the banner should say so.
    onError: (error) => {
      if (isApiError(error, 'break_glass_active')) void refreshAccess();
    },
  });

  const reasonTooShort = reason.trim().length < BREAK_GLASS_MIN_REASON;
  const minutesInvalid = !validMinutes(minutes);
  const refusedField = isApiError(start.error) && start.error.status === 400 ? start.error.field : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (reasonTooShort || !validMinutes(minutes)) return;
    start.mutate({ reason: reason.trim(), minutes });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="break-glass-form">
      <Stack gap="sm">
        <Alert color="red" variant="light">
          <Stack gap="xs">
            <Text size="sm">{t('shell.breakGlass.explanation')}</Text>
            <List size="sm" spacing={4}>
              <List.Item>{t('shell.breakGlass.pointDuration', BOUNDS)}</List.Item>
              <List.Item>{t('shell.breakGlass.pointNotified')}</List.Item>
              <List.Item>{t('shell.breakGlass.pointRecorded')}</List.Item>
            </List>
          </Stack>
        </Alert>
        <Textarea
          label={t('shell.breakGlass.reason')}
          description={t('shell.breakGlass.reasonHint', { min: BREAK_GLASS_MIN_REASON })}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            if (start.error) start.reset();
          }}
          error={(checked && reasonTooShort) || refusedField === 'reason' ? t('shell.breakGlass.reasonTooShort', { min: BREAK_GLASS_MIN_REASON }) : undefined}
          maxLength={BREAK_GLASS_MAX_REASON}
          autosize
          minRows={2}
          data-autofocus
        />
        <NumberInput
          label={t('shell.breakGlass.minutes')}
          description={t('shell.breakGlass.minutesHint', BOUNDS)}
          value={minutes}
          onChange={(value) => {
            setMinutes(value);
            if (start.error) start.reset();
          }}
          min={BREAK_GLASS_MINUTES.min}
          max={BREAK_GLASS_MINUTES.max}
          step={5}
          allowDecimal={false}
          allowNegative={false}
          error={(checked && minutesInvalid) || refusedField === 'minutes' ? t('shell.breakGlass.minutesInvalid', BOUNDS) : undefined}
          maw={220}
        />
        {!refusedField && <ErrorAlert error={start.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={start.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={start.isPending} data-testid="break-glass-submit">
            {t('shell.breakGlass.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
