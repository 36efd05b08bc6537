import { NativeSelect, Select, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { ASSIGNABLE_OWNERS_QUERY_KEY, ownerApi, type AssignableOwners, type OwnerChange } from './owner-api.js';

/**
 * The choice of a new owner and owning team, shared by the customer page's Reassign dialog
 * (one customer) and the list's bulk reassignment: the pickers offer only those the server
 * would accept (`GET /api/customers/assignable-owners`: a manager's own teams and sub-teams,
 * everyone for an administrator), and the owning team defaults to the new owner's.
 */

/** The team select's value for "the new owner's own team" (the server's default). */
export const OWNERS_TEAM = 'owners-team';

/** The change to send: the team only when one other than the new owner's is chosen. */
export function ownerChange(ownerId: string, teamId: string): OwnerChange {
  return { ownerId, ...(teamId === OWNERS_TEAM ? {} : { teamId }) };
}

/** The assignable owners, loaded once a minute at most; their pickers once loaded, else a skeleton, the error, or `empty`. */
export function AssignableOwnersLoader({ empty, children }: { empty: string; children: (assignable: AssignableOwners) => ReactNode }) {
  const { t } = useTranslation();
  const assignable = useQuery({ queryKey: ASSIGNABLE_OWNERS_QUERY_KEY, queryFn: ownerApi.assignable, staleTime: 60_000 });
  if (assignable.isPending) return <Skeleton h={120} />;
  if (assignable.isError) return <ErrorAlert error={assignable.error} overrides={t('customers.owner.errors', { returnObjects: true })} />;
  if (assignable.data.items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return children(assignable.data);
}

/**
 * How a failed reassignment is shown: an error about the owner or the team under its picker,
 * any other in an alert over the buttons (`formError`), in the words of `customers.owner.errors`.
 */
export function useOwnerErrors(error: unknown) {
  const { t } = useTranslation();
  const overrides: Record<string, string> = { ...useCustomerErrorOverrides(), ...t('customers.owner.errors', { returnObjects: true }) };
  const fieldError = (field: 'ownerId' | 'teamId') => (isApiError(error) && error.field === field ? (overrides[error.code] ?? error.message) : undefined);
  const formError = isApiError(error) && (error.field === 'ownerId' || error.field === 'teamId') ? null : error;
  return { overrides, fieldError, formError };
}

/** What a dialog's reassignment mutation offers the choice: it runs with the chosen owner's id. */
interface OwnerMutation {
  mutate: (ownerId: string) => void;
  reset: () => void;
}

/**
 * The owner and team a dialog is choosing (`teamId` for its mutation), and `form(mutation,
 * fieldError)`: the pickers' props — a new choice clears the last attempt's outcome, and an
 * owner not chosen says so under its picker — and the submit that runs the mutation.
 */
export function useOwnerChoice() {
  const { t } = useTranslation();
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState(OWNERS_TEAM);
  const [ownerMissing, setOwnerMissing] = useState(false);
  return {
    teamId,
    form(mutation: OwnerMutation, fieldError: (field: 'ownerId' | 'teamId') => string | undefined) {
      const fields: Omit<OwnerChoiceFieldsProps, 'assignable' | 'disabled'> = {
        ownerId,
        teamId,
        onOwnerChange: (value) => {
          setOwnerId(value);
          setOwnerMissing(false);
          mutation.reset();
        },
        onTeamChange: (value) => {
          setTeamId(value);
          mutation.reset();
        },
        ownerError: ownerMissing ? t('customers.owner.ownerRequired') : fieldError('ownerId'),
        teamError: fieldError('teamId'),
      };
      const submit = (event: FormEvent) => {
        event.preventDefault();
        if (ownerId) mutation.mutate(ownerId);
        else setOwnerMissing(true);
      };
      return { fields, submit };
    },
  };
}

interface OwnerChoiceFieldsProps {
  assignable: AssignableOwners;
  ownerId: string | null;
  teamId: string;
  onOwnerChange: (ownerId: string | null) => void;
  onTeamChange: (teamId: string) => void;
  ownerError?: string;
  teamError?: string;
  disabled?: boolean;
}

/** The new owner (searchable by name, with their team) and the owning team. */
export function OwnerChoiceFields({ assignable, ownerId, teamId, onOwnerChange, onTeamChange, ownerError, teamError, disabled }: OwnerChoiceFieldsProps) {
  const { t } = useTranslation();
  const owners = useMemo(
    () => assignable.items.map((owner) => ({ value: owner.id, label: owner.teamName ? t('customers.owner.option', { name: owner.name, team: owner.teamName }) : owner.name })),
    [assignable.items, t],
  );
  const teams = [{ value: OWNERS_TEAM, label: t('customers.owner.ownersTeam') }, ...assignable.teams.map((team) => ({ value: team.id, label: team.name }))];
  return (
    <>
      <Select
        label={t('customers.owner.newOwner')}
        placeholder={t('customers.owner.newOwnerPlaceholder')}
        data={owners}
        value={ownerId}
        onChange={onOwnerChange}
        searchable
        nothingFoundMessage={t('customers.owner.noneFound')}
        error={ownerError}
        disabled={disabled}
        data-testid="reassign-owner-select"
      />
      <NativeSelect
        label={t('customers.owner.team')}
        description={t('customers.owner.teamHint')}
        data={teams}
        value={teamId}
        onChange={(event) => onTeamChange(event.currentTarget.value)}
        error={teamError}
        disabled={disabled}
        data-testid="reassign-team-select"
      />
    </>
  );
}
