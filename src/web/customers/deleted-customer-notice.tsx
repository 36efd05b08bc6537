import { Button, Group, Notification, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS, customersApi } from './customers-api.js';
import { useCustomerErrorOverrides } from './field-errors.js';

/** Handed over by the customer page after a delete, so the list can offer to undo it. */
export interface DeletedCustomerState {
  deletedCustomer: { id: string; name: string };
}

function deletedCustomerOf(state: unknown): DeletedCustomerState['deletedCustomer'] | null {
  if (!state || typeof state !== 'object' || !('deletedCustomer' in state)) return null;
  const deleted = (state as DeletedCustomerState).deletedCustomer;
  return typeof deleted?.id === 'string' && typeof deleted.name === 'string' ? deleted : null;
}

/** "Deleted — Restore": the undo for a delete, shown on the list the customer page returns to. */
export function DeletedCustomerNotice() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const deleted = deletedCustomerOf(location.state);
  const dismiss = () => void navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });

  const restore = useMutation({
    mutationFn: (id: string) => customersApi.restore(id),
    onSuccess: (record) => {
      queryClient.setQueryData(CUSTOMER_QUERY_KEYS.record(record.id), record);
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
      notify(t('customers.deleted.restored', { name: deleted?.name ?? '' }));
      void navigate(`/customers/${encodeURIComponent(record.id)}`, { replace: true });
    },
  });

  if (!deleted) return null;
  return (
    <Notification color="gray" withBorder onClose={dismiss} closeButtonProps={{ 'aria-label': t('common.dismiss') }} data-testid="customer-deleted-notice">
      <Stack gap="xs">
        <Text size="sm">{t('customers.deleted.message', { name: deleted.name })}</Text>
        <ErrorAlert error={restore.error} overrides={overrides} />
        <Group>
          <Button size="compact-sm" variant="light" loading={restore.isPending} onClick={() => restore.mutate(deleted.id)}>
            {t('customers.deleted.restore')}
          </Button>
        </Group>
      </Stack>
    </Notification>
  );
}
