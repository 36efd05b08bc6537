import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { useMe } from '../../auth/use-me.js';
import { useNotify } from '../../ui/notifications.js';
import { BREAK_GLASS_QUERY_KEY, breakGlassApi } from './break-glass-api.js';
import { formatTimeLeft } from './time-left.js';
import { useRefreshAccess } from './use-refresh-access.js';

/** The current time, again every second while mounted: a countdown's clock. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Red, on every page, for as long as the user holds break-glass access (their `policies` say so). */
export function BreakGlassBanner() {
  const me = useMe();
  return me.policies.breakGlassActive ? <ActiveBreakGlassBanner /> : null;
}

function ActiveBreakGlassBanner() {
  const { t } = useTranslation();
  const notify = useNotify();
  const refreshAccess = useRefreshAccess();
  const grant = useQuery({ queryKey: BREAK_GLASS_QUERY_KEY, queryFn: breakGlassApi.current, select: (data) => data.grant });
  const now = useNow();
  const expiresAt = grant.data ? Date.parse(grant.data.expiresAt) : null;
  // Over by the clock, or ended elsewhere (another tab): `me` is read again and the banner goes.
  // Only the answer read for this banner counts, not one cached from an earlier grant.
  const over = grant.isFetchedAfterMount && (grant.data === null || (expiresAt !== null && expiresAt <= now));

  useEffect(() => {
    if (over) void refreshAccess();
  }, [over, refreshAccess]);

  const end = useMutation({
    mutationFn: breakGlassApi.end,
    onSuccess: () => {
      notify(t('shell.breakGlass.ended'));
      void refreshAccess();
    },
    onError: (error) => {
      if (isApiError(error, 'break_glass_not_active')) void refreshAccess();
    },
  });

  return (
    <Alert
      color="red"
      variant="filled"
      // Not a live region: the countdown would be read out every second.
      role="region"
      aria-label={t('shell.breakGlass.bannerTitle')}
      title={t('shell.breakGlass.bannerTitle')}
      data-testid="break-glass-banner"
      style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-xs))', zIndex: 3 }}
    >
      <Stack gap="xs">
        <Text size="sm">{t('shell.breakGlass.bannerBody')}</Text>
        {grant.data && (
          <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="break-glass-reason">
            {t('shell.breakGlass.bannerReason', { reason: grant.data.reason })}
          </Text>
        )}
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={700}>
            {t('shell.breakGlass.timeLeft')}{' '}
            <Text span inherit ff="monospace" data-testid="break-glass-time-left">
              {expiresAt === null ? '…' : formatTimeLeft(expiresAt - now)}
            </Text>
          </Text>
          <Button size="compact-sm" variant="white" color="red" loading={end.isPending} onClick={() => end.mutate()} data-testid="break-glass-end">
            {t('shell.breakGlass.end')}
          </Button>
        </Group>
        {end.isError && !isApiError(end.error, 'break_glass_not_active') && <ErrorAlert error={end.error} />}
        {grant.isError && <ErrorAlert error={grant.error} />}
      </Stack>
    </Alert>
  );
}
