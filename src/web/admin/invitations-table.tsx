import { Button, Skeleton, Stack, Table, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { EmptyState } from '../ui/empty-state.js';
import { useNotify } from '../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi, type InvitationItem } from './admin-api.js';
import { useRoleName } from './role-name.js';

function isPending(invitation: InvitationItem, now: number): boolean {
  return !invitation.acceptedAt && !invitation.revokedAt && Date.parse(invitation.expiresAt) > now;
}

/** Invitations not yet accepted, revoked or expired. */
export function InvitationsTable() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const roleName = useRoleName();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const invitations = useQuery({ queryKey: ADMIN_QUERY_KEYS.invitations, queryFn: adminApi.invitations });
  const [revoking, setRevoking] = useState<InvitationItem | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => adminApi.revokeInvitation(id),
    onSuccess: () => {
      setRevoking(null);
      notify(t('admin.invitations.revoked'));
      void queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEYS.invitations });
    },
  });

  if (invitations.isPending) return <Skeleton h={80} />;
  if (invitations.isError) return <ErrorAlert error={invitations.error} />;
  const now = Date.now();
  const pending = invitations.data.items.filter((invitation) => isPending(invitation, now));
  if (!pending.length) return <EmptyState title={t('admin.invitations.emptyTitle')}>{t('admin.invitations.emptyBody')}</EmptyState>;

  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.invitations.email')}</Table.Th>
              <Table.Th>{t('admin.invitations.role')}</Table.Th>
              <Table.Th>{t('admin.invitations.invited')}</Table.Th>
              <Table.Th>{t('admin.invitations.expires')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pending.map((invitation) => (
              <Table.Tr key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
                <Table.Td style={{ wordBreak: 'break-all' }}>{invitation.email}</Table.Td>
                <Table.Td>{roleName(invitation.role)}</Table.Td>
                <Table.Td>{formatDate(invitation.createdAt)}</Table.Td>
                <Table.Td>{formatDate(invitation.expiresAt)}</Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRevoking(invitation)}>
                    {t('admin.invitations.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog
        opened={revoking !== null}
        title={t('admin.invitations.revokeConfirm.title')}
        confirmLabel={t('admin.invitations.revoke')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        {t('admin.invitations.revokeConfirm.body', { email: revoking?.email ?? '' })}
      </ConfirmDialog>
    </Stack>
  );
}
