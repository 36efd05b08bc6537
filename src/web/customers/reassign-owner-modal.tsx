import { Button, Group, Modal, NativeSelect, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS } from './customers-api.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { ASSIGNABLE_OWNERS_QUERY_KEY, ownerApi, type AssignableOwners } from './owner-api.js';

/** The team select's value for "the new owner's own team" (the server's default). */
const OWNERS_TEAM = 'owners-team';

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
      {opened && <ReassignForm customerId={customerId} onClose={onClose} />}
    </Modal>
  );
}

function ReassignForm({ customerId, onClose }: Omit<ReassignOwnerModalProps, 'opened'>) {
  const { t } = useTranslation();
  const assignable = useQuery({ queryKey: ASSIGNABLE_OWNERS_QUERY_KEY, queryFn: ownerApi.assignable, staleTime: 60_000 });
  return (
    <Stack gap="sm">
      <Text size="sm">{t('customers.owner.intro')}</Text>
      {assignable.isPending ? (
        <Skeleton h={120} />
      ) : assignable.isError ? (
        <ErrorAlert error={assignable.error} overrides={t('customers.owner.errors', { returnObjects: true })} />
      ) : assignable.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('customers.owner.noOwners')}
        </Text>
      ) : (
        <ReassignFields customerId={customerId} assignable={assignable.data} onClose={onClose} />
      )}
    </Stack>
  );
}

function ReassignFields({ customerId, assignable, onClose }: Omit<ReassignOwnerModalProps, 'opened'> & { assignable: AssignableOwners }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides: Record<string, string> = { ...useCustomerErrorOverrides(), ...t('customers.owner.errors', { returnObjects: true }) };
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState(OWNERS_TEAM);
  const [ownerMissing, setOwnerMissing] = useState(false);
  const owners = useMemo(
    () => assignable.items.map((owner) => ({ value: owner.id, label: owner.teamName ? t('customers.owner.option', { name: owner.name, team: owner.teamName }) : owner.name })),
    [assignable.items, t],
  );
  const teams = [{ value: OWNERS_TEAM, label: t('customers.owner.ownersTeam') }, ...assignable.teams.map((team) => ({ value: team.id, label: team.name }))];

  const reassign = useMutation({
    mutationFn: (owner: string) => ownerApi.reassign(customerId, { ownerId: owner, ...(teamId === OWNERS_TEAM ? {} : { teamId }) }),
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ownerId) return setOwnerMissing(true);
    reassign.mutate(ownerId);
  };

  const error = reassign.error;
  const fieldError = (field: string) => (isApiError(error) && error.field === field ? (overrides[error.code] ?? error.message) : undefined);
  const formError = isApiError(error) && (error.field === 'ownerId' || error.field === 'teamId') ? null : error;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Select
          label={t('customers.owner.newOwner')}
          placeholder={t('customers.owner.newOwnerPlaceholder')}
          data={owners}
          value={ownerId}
          onChange={(value) => {
            setOwnerId(value);
            setOwnerMissing(false);
            reassign.reset();
          }}
          searchable
          nothingFoundMessage={t('customers.owner.noneFound')}
          error={ownerMissing ? t('customers.owner.ownerRequired') : fieldError('ownerId')}
          data-testid="reassign-owner-select"
        />
        <NativeSelect
          label={t('customers.owner.team')}
          description={t('customers.owner.teamHint')}
          data={teams}
          value={teamId}
          onChange={(event) => {
            setTeamId(event.currentTarget.value);
            reassign.reset();
          }}
          error={fieldError('teamId')}
          data-testid="reassign-team-select"
        />
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
