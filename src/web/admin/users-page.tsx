import { Badge, Button, Group, NativeSelect, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import type { ItemList } from '../api/types.js';
import { useMe } from '../auth/use-me.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useNotify } from '../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi, type AdminUser } from './admin-api.js';
import { InvitationsTable } from './invitations-table.js';
import { InviteUserModal } from './invite-user-modal.js';
import { WorkspaceRoleSelect } from './role-select.js';
import { indented, teamTree, type Team } from './teams/team-tree.js';
import { TEAMS_QUERY_KEY, teamsApi } from './teams/teams-api.js';

/** `/admin/users` — who is in the workspace, what they may do, and who is invited. */
export function UsersPage() {
  const { t } = useTranslation();
  const [inviteOpened, invite] = useDisclosure(false);
  const users = useQuery({ queryKey: ADMIN_QUERY_KEYS.users, queryFn: adminApi.users });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.users.title')}
        </Title>
        <Button onClick={invite.open}>{t('admin.invite.open')}</Button>
      </Group>
      {users.isPending && <Skeleton h={160} />}
      <ErrorAlert error={users.error} />
      {users.data && <UsersTable users={users.data.items} />}
      <Title order={2} size="h3" mt="md">
        {t('admin.invitations.title')}
      </Title>
      <InvitationsTable />
      <InviteUserModal opened={inviteOpened} onClose={invite.close} />
    </Stack>
  );
}

/** The team select's values besides team ids: no team, and a team the user list did not say. */
const NO_TEAM = 'none';
const UNKNOWN_TEAM = 'unknown';

type StatusChange = { user: AdminUser; action: 'deactivate' | 'reactivate' };

function UsersTable({ users }: { users: AdminUser[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const [statusChange, setStatusChange] = useState<StatusChange | null>(null);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEYS.users });
  const setRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: string }) => adminApi.setRole(id, role),
    onSuccess: ({ user }) => notify(t('admin.users.roleChanged', { name: user.displayName })),
    // On failure too: the select must fall back to the role the server kept.
    onSettled: refresh,
  });
  const teams = useQuery({ queryKey: TEAMS_QUERY_KEY, queryFn: teamsApi.list, select: (data) => teamTree(data.items) });
  const setTeam = useMutation({
    mutationFn: ({ user, team }: { user: AdminUser; team: Team | null }) => teamsApi.setUserTeam(user.id, team?.id ?? null),
    onSuccess: (_data, { user, team }) => {
      // The answer is empty: the cached list takes the new team itself.
      queryClient.setQueryData<ItemList<AdminUser>>(ADMIN_QUERY_KEYS.users, (old) => old && { items: old.items.map((item) => (item.id === user.id ? { ...item, teamId: team?.id ?? null } : item)) });
      notify(team ? t('admin.users.teamChanged', { name: user.displayName, team: team.name }) : t('admin.users.teamCleared', { name: user.displayName }));
    },
  });
  const changeStatus = useMutation({
    mutationFn: ({ user, action }: StatusChange) => (action === 'deactivate' ? adminApi.deactivate(user.id) : adminApi.reactivate(user.id)),
    onSuccess: ({ user }, { action }) => {
      setStatusChange(null);
      notify(t(action === 'deactivate' ? 'admin.users.deactivated' : 'admin.users.reactivated', { name: user.displayName }));
      refresh();
    },
  });
  const closeDialog = () => {
    setStatusChange(null);
    changeStatus.reset();
  };

  return (
    <Stack gap="xs">
      <ErrorAlert error={setRole.error} overrides={isApiError(setRole.error) && setRole.error.field === 'role' ? { invalid_input: t('admin.users.roleRefused') } : undefined} />
      <ErrorAlert error={setTeam.error} />
      <ErrorAlert error={teams.error} />
      <Table.ScrollContainer minWidth={1120}>
        <Table verticalSpacing="xs" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.users.email')}</Table.Th>
              <Table.Th>{t('admin.users.name')}</Table.Th>
              <Table.Th>{t('admin.users.role')}</Table.Th>
              <Table.Th>{t('admin.users.team')}</Table.Th>
              <Table.Th>{t('admin.users.status')}</Table.Th>
              <Table.Th>{t('admin.users.mfa')}</Table.Th>
              <Table.Th>{t('admin.users.lastSignIn')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((user) => {
              const isSelf = user.id === me.user.id;
              return (
                <Table.Tr key={user.id} data-testid="user-row" data-email={user.email}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{user.email}</Table.Td>
                  <Table.Td>
                    {user.displayName}
                    {isSelf && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {t('admin.users.you')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <WorkspaceRoleSelect
                      aria-label={t('admin.users.roleFor', { email: user.email })}
                      size="xs"
                      value={user.role}
                      disabled={setRole.isPending && setRole.variables.id === user.id}
                      onChange={(role) => setRole.mutate({ id: user.id, role })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={t('admin.users.teamFor', { email: user.email })}
                      size="xs"
                      value={user.teamId === undefined ? UNKNOWN_TEAM : (user.teamId ?? NO_TEAM)}
                      disabled={!teams.data || (setTeam.isPending && setTeam.variables.user.id === user.id)}
                      onChange={(event) => setTeam.mutate({ user, team: teams.data?.find((node) => node.team.id === event.currentTarget.value)?.team ?? null })}
                      data={[
                        ...(user.teamId === undefined ? [{ value: UNKNOWN_TEAM, label: t('admin.users.teamUnknown'), disabled: true }] : []),
                        { value: NO_TEAM, label: t('admin.users.noTeam') },
                        ...(teams.data ?? []).map((node) => ({ value: node.team.id, label: indented(node.team.name, node.depth) })),
                      ]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.status === 'active' ? 'teal' : 'gray'} miw="max-content">
                      {t(`admin.users.statuses.${user.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.mfaEnabled ? 'teal' : 'orange'} miw="max-content">
                      {user.mfaEnabled ? t('admin.users.mfaOn') : t('admin.users.mfaOff')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(user.lastSignInAt)}</Table.Td>
                  <Table.Td ta="right">
                    {!isSelf &&
                      (user.status === 'active' ? (
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setStatusChange({ user, action: 'deactivate' })}>
                          {t('admin.users.deactivate')}
                        </Button>
                      ) : (
                        <Button size="compact-sm" variant="subtle" onClick={() => setStatusChange({ user, action: 'reactivate' })}>
                          {t('admin.users.reactivate')}
                        </Button>
                      ))}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog
        opened={statusChange !== null}
        title={statusChange?.action === 'reactivate' ? t('admin.users.reactivateConfirm.title') : t('admin.users.deactivateConfirm.title')}
        confirmLabel={statusChange?.action === 'reactivate' ? t('admin.users.reactivate') : t('admin.users.deactivate')}
        danger={statusChange?.action === 'deactivate'}
        loading={changeStatus.isPending}
        error={changeStatus.error}
        onConfirm={() => statusChange && changeStatus.mutate(statusChange)}
        onCancel={closeDialog}
      >
        {statusChange?.action === 'reactivate'
          ? t('admin.users.reactivateConfirm.body', { name: statusChange.user.displayName, email: statusChange.user.email })
          : t('admin.users.deactivateConfirm.body', { name: statusChange?.user.displayName ?? '', email: statusChange?.user.email ?? '' })}
      </ConfirmDialog>
    </Stack>
  );
}
