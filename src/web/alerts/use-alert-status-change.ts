import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNotify } from '../ui/notifications.js';
import { ALERTS_QUERY_KEY, alertQueryKey, alertsApi } from './alerts-api.js';

/** Acknowledging and resolving, from the list or an alert's own page: both show the new state at once. */
export function useAlertStatusChange() {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, to }: { id: string; to: 'acknowledged' | 'resolved' }) => (to === 'acknowledged' ? alertsApi.acknowledge(id) : alertsApi.resolve(id)),
    onSuccess: (alert, { to }) => {
      queryClient.setQueryData(alertQueryKey(alert.id), alert);
      notify(to === 'acknowledged' ? t('alerts.acknowledged') : t('alerts.resolved'));
    },
    // Someone else may have moved it first: what the server kept, either way.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ALERTS_QUERY_KEY }),
  });
}
