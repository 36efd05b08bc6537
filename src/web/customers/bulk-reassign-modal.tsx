import { Alert, Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useIsMutating, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { reassignInBatches, type BulkReassignOutcome } from './bulk-reassign.js';
import { CUSTOMER_QUERY_KEYS } from './customers-api.js';
import { ownerApi, type AssignableOwners } from './owner-api.js';
import { AssignableOwnersLoader, OwnerChoiceFields, ownerChange, useOwnerChoice, useOwnerErrors } from './owner-choice.js';

const BULK_REASSIGN_KEY = ['customers', 'bulk-reassign'] as const;

interface BulkReassignModalProps {
  /** The ticked customers when the dialog opened; it works on those even as the list changes behind it. */
  ids: readonly string[];
  opened: boolean;
  onClose: () => void;
  /** Some customers changed hands: the list's selection is done with. */
  onReassigned: () => void;
}

/**
 * Hands the customers ticked in the list to one colleague (`POST /api/customers/reassign`, in
 * calls of at most 500), choosing owner and team as the customer page's Reassign dialog does.
 * While it runs it shows how far it got and cannot be closed; then it says how many changed
 * hands and how many the server would not reassign (gone, or beyond the user's reach).
 */
export function BulkReassignModal({ ids, opened, onClose, onReassigned }: BulkReassignModalProps) {
  const { t } = useTranslation();
  const running = useIsMutating({ mutationKey: BULK_REASSIGN_KEY }) > 0;
  return (
    <Modal opened={opened} onClose={onClose} title={t('customers.bulk.title')} centered closeOnClickOutside={!running} closeOnEscape={!running} withCloseButton={!running}>
      {opened && (
        <AssignableOwnersLoader empty={t('customers.bulk.noOwners')}>
          {(assignable) => <BulkReassignForm initialIds={ids} assignable={assignable} onClose={onClose} onReassigned={onReassigned} />}
        </AssignableOwnersLoader>
      )}
    </Modal>
  );
}

interface BulkReassignFormProps {
  initialIds: readonly string[];
  assignable: AssignableOwners;
  onClose: () => void;
  onReassigned: () => void;
}

function BulkReassignForm({ initialIds, assignable, onClose, onReassigned }: BulkReassignFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [ids] = useState(() => [...initialIds]);
  const choice = useOwnerChoice();
  const [sent, setSent] = useState(0);

  const reassign = useMutation({
    mutationKey: BULK_REASSIGN_KEY,
    mutationFn: (owner: string) => {
      setSent(0);
      const change = ownerChange(owner, choice.teamId);
      return reassignInBatches(ids, (batch) => ownerApi.reassignMany(batch, change), setSent);
    },
    onSuccess: (outcome) => {
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
      // A customer page seen before shows the old owner, and what its sections show may follow the new one.
      const notFound = new Set(outcome.notFound);
      for (const id of ids) if (!notFound.has(id)) void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(id) });
      onReassigned();
    },
  });
  const { overrides, fieldError, formError } = useOwnerErrors(reassign.error);

  if (reassign.isSuccess) {
    const name = assignable.items.find((each) => each.id === reassign.variables)?.name ?? '';
    return <BulkReassignSummary outcome={reassign.data} name={name} overrides={overrides} onClose={onClose} />;
  }

  const { fields, submit } = choice.form(reassign, fieldError);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('customers.bulk.intro', { count: ids.length })}</Text>
        <OwnerChoiceFields assignable={assignable} {...fields} disabled={reassign.isPending} />
        {reassign.isPending && (
          <Stack gap={4} data-testid="bulk-reassign-progress">
            <Progress value={(sent / ids.length) * 100} animated aria-hidden />
            <Text size="xs" c="dimmed" role="status">
              {t('customers.bulk.progress', { sent, total: ids.length })}
            </Text>
          </Stack>
        )}
        <ErrorAlert error={formError} overrides={overrides} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={reassign.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={reassign.isPending} data-testid="bulk-reassign-submit">
            {t('customers.bulk.submit', { count: ids.length })}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What happened: how many changed hands, how many the server would not reassign, and what stopped the rest if a call failed midway. */
function BulkReassignSummary({ outcome, name, overrides, onClose }: { outcome: BulkReassignOutcome; name: string; overrides: Record<string, string>; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="bulk-reassign-summary">
      <Alert color="teal" variant="light" role="status">
        {t('customers.bulk.done', { count: outcome.reassigned, name })}
      </Alert>
      {outcome.notFound.length > 0 && (
        <Text size="sm" data-testid="bulk-reassign-not-found">
          {t('customers.bulk.notFound', { count: outcome.notFound.length })}
        </Text>
      )}
      {outcome.unsent > 0 && (
        <Stack gap="xs">
          <Text size="sm">{t('customers.bulk.unsent', { count: outcome.unsent })}</Text>
          <ErrorAlert error={outcome.error} overrides={overrides} />
        </Stack>
      )}
      <Group justify="flex-end">
        <Button onClick={onClose} data-testid="bulk-reassign-done">
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}
