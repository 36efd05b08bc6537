import { Button, Grid, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADMIN_QUERY_KEYS, adminApi } from '../admin/admin-api.js';
import { useMe } from '../auth/use-me.js';
import type { CustomerRecord } from './customers-api.js';
import { ASSIGNABLE_OWNERS_QUERY_KEY, ownerApi } from './owner-api.js';
import { ReassignOwnerModal } from './reassign-owner-modal.js';

/** A user id short enough to read, like a commit hash (case owners and note authors are shown the same way). */
const shortId = (id: string) => id.replace(/-/g, '').slice(0, 8);

/**
 * Who owns a customer: "you"; a name where the user may list colleagues (those they may hand
 * customers to, or every user for administrators); else a short id — other users' names are
 * not for every role to list.
 */
function useOwnerName(mayReassign: boolean): (ownerId: string | null) => string {
  const { t } = useTranslation();
  const me = useMe();
  const assignable = useQuery({ queryKey: ASSIGNABLE_OWNERS_QUERY_KEY, queryFn: ownerApi.assignable, enabled: mayReassign, staleTime: 60_000 });
  const users = useQuery({ queryKey: ADMIN_QUERY_KEYS.users, queryFn: adminApi.users, enabled: me.policies.manageUsers, staleTime: 60_000 });
  return useCallback(
    (ownerId) => {
      if (ownerId === null) return t('customers.owner.nobody');
      if (ownerId === me.user.id) return t('customers.owner.you');
      return assignable.data?.items.find((user) => user.id === ownerId)?.name ?? users.data?.items.find((user) => user.id === ownerId)?.displayName ?? shortId(ownerId);
    },
    [t, me.user.id, assignable.data, users.data],
  );
}

/** The profile's owner line, with the way to hand the customer over when the server says the user may. */
export function OwnerLine({ record }: { record: CustomerRecord }) {
  const { t } = useTranslation();
  const mayReassign = record.allowed?.reassign ?? false;
  const ownerName = useOwnerName(mayReassign);
  const [reassigning, setReassigning] = useState(false);

  return (
    <Grid gutter={{ base: 2, sm: 'md' }} align="center">
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Text size="sm" c="dimmed" id="customer-label-owner">
          {t('customers.owner.label')}
        </Text>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        <Group gap="xs" wrap="nowrap" align="center">
          <Text size="sm" data-testid="customer-owner" aria-labelledby="customer-label-owner" style={{ wordBreak: 'break-word' }}>
            {ownerName(record.ownerId ?? null)}
          </Text>
          {mayReassign && (
            <Button size="compact-xs" variant="light" data-testid="reassign-owner" onClick={() => setReassigning(true)}>
              {t('customers.owner.reassign')}
            </Button>
          )}
        </Group>
      </Grid.Col>
      {mayReassign && <ReassignOwnerModal customerId={record.id} opened={reassigning} onClose={() => setReassigning(false)} />}
    </Grid>
  );
}
