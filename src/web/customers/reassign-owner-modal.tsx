import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS } from './customers-api.js';
import { ownerApi, type AssignableOwners } from './owner-api.js';
import { AssignableOwnersLoader, OwnerChoiceFields, ownerChange, useOwnerChoice, useOwnerErrors } from './owner-choice.js';

interface ReassignOwnerModalProps {
  customerId: string;
  opened: boolean;
  onClose: () => void;
}

/**
 * Hands the customer to a colleague: the picker offers only those the server would accept
 * (`GET /api/customers/assignable-owners`: a manager's own teams and sub-teams, everyone for an
 * administrator), and the owning team defaults to the new owner's. The server records the change.
 */
export function ReassignOwnerModal({ customerId, opened, onClose }: ReassignOwnerModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.owner.title')} centered>
      {opened && (
        <Stack gap="sm">
          <Text size="sm">{t('customers.owner.intro')}</Text>
          <AssignableOwnersLoader empty={t('customers.owner.noOwners')}>
            {(assignable) => <ReassignFields customerId={customerId} assignable={assignable} onClose={onClose} />}
          </AssignableOwnersLoader>
        </Stack>
      )}
    </Modal>
  );
}

function ReassignFields({ customerId, assignable, onClose }: Omit<ReassignOwnerModalProps, 'opened'> & { assignable: AssignableOwners }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const choice = useOwnerChoice();

  const reassign = useMutation({
    mutationFn: (owner: string) => ownerApi.reassign(customerId, ownerChange(owner, choice.teamId)),
    onSuccess: (record, owner) => {
      const recordKey = CUSTOMER_QUERY_KEYS.record(customerId);
      queryClient.setQueryData(recordKey, record);
      // What the caller sees of the customer's sections may follow its new owner and team.
      void queryClient.invalidateQueries({ queryKey: recordKey, predicate: (query) => query.queryKey.length > recordKey.length });
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
      notify(t('customers.owner.done', { name: assignable.items.find((each) => each.id === owner)?.name ?? '' }));
      onClose();
    },
  });
  const { overrides, fieldError, formError } = useOwnerErrors(reassign.error);

  const { fields, submit } = choice.form(reassign, fieldError);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <OwnerChoiceFields assignable={assignable} {...fields} />
        <ErrorAlert error={formError} overrides={overrides} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={reassign.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={reassign.isPending} data-testid="reassign-owner-submit">
            {t('customers.owner.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
