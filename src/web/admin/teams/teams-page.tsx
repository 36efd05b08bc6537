import { Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmptyState } from '../../ui/empty-state.js';
import { useNotify } from '../../ui/notifications.js';
import { TeamModal } from './team-modal.js';
import { teamTree, type Team, type TeamNode } from './team-tree.js';
import { TEAMS_QUERY_KEY, teamsApi } from './teams-api.js';

/** How far each level of the tree is indented, in px. */
const INDENT = 24;

type Editing = { mode: 'add'; parentId: string | null } | { mode: 'edit'; team: Team };

/** `/admin/teams` — the team hierarchy: add, rename, move and delete teams. */
export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: TEAMS_QUERY_KEY, queryFn: teamsApi.list, select: (data) => data.items });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.teams.title')}
        </Title>
        <Button onClick={() => setEditing({ mode: 'add', parentId: null })} disabled={!teams.data}>
          {t('admin.teams.add')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.teams.intro')}
      </Text>
      {teams.isPending && <Skeleton h={160} />}
      <ErrorAlert error={teams.error} />
      {teams.data &&
        (teams.data.length === 0 ? (
          <EmptyState title={t('admin.teams.emptyTitle')}>{t('admin.teams.emptyBody')}</EmptyState>
        ) : (
          <Paper withBorder component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('admin.teams.title')}>
            {teamTree(teams.data).map((node, index) => (
              <TeamRow
                key={node.team.id}
                node={node}
                first={index === 0}
                onAddSub={() => setEditing({ mode: 'add', parentId: node.team.id })}
                onEdit={() => setEditing({ mode: 'edit', team: node.team })}
                onDelete={() => setDeleting(node.team)}
              />
            ))}
          </Paper>
        ))}
      {teams.data && editing?.mode === 'add' && <TeamModal mode="add" teams={teams.data} parentId={editing.parentId} onClose={() => setEditing(null)} />}
      {teams.data && editing?.mode === 'edit' && <TeamModal mode="edit" teams={teams.data} team={editing.team} onClose={() => setEditing(null)} />}
      <DeleteTeamDialog team={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function TeamRow({ node, first, onAddSub, onEdit, onDelete }: { node: TeamNode; first: boolean; onAddSub: () => void; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const { team, depth, subteams } = node;
  return (
    <Group
      component="li"
      justify="space-between"
      gap="xs"
      py="xs"
      pr="sm"
      pl={12 + depth * INDENT}
      style={{ borderTop: first ? undefined : '1px solid var(--mantine-color-default-border)' }}
      data-testid="team-row"
      data-name={team.name}
      data-depth={depth}
    >
      <Stack gap={0} style={{ minWidth: 0, flex: '1 1 160px' }}>
        <Text fw={depth === 0 ? 600 : 500} style={{ overflowWrap: 'anywhere' }}>
          {depth > 0 && (
            <Text span c="dimmed" aria-hidden>
              {'↳ '}
            </Text>
          )}
          {team.name}
        </Text>
        {subteams > 0 && (
          <Text size="xs" c="dimmed">
            {t('admin.teams.subteams', { count: subteams })}
          </Text>
        )}
      </Stack>
      <Group gap={4}>
        <Button size="compact-sm" variant="subtle" aria-label={t('admin.teams.addSubLabel', { name: team.name })} onClick={onAddSub}>
          {t('admin.teams.addSub')}
        </Button>
        <Button size="compact-sm" variant="subtle" aria-label={t('admin.teams.editLabel', { name: team.name })} onClick={onEdit}>
          {t('admin.teams.edit')}
        </Button>
        <Button size="compact-sm" variant="subtle" color="red" aria-label={t('admin.teams.deleteLabel', { name: team.name })} onClick={onDelete}>
          {t('admin.teams.delete')}
        </Button>
      </Group>
    </Group>
  );
}

/** Deleting asks first; the server refuses a team with sub-teams or members, and the dialog says why. */
function DeleteTeamDialog({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (target: Team) => teamsApi.remove(target.id),
    onSuccess: (_data, target) => {
      notify(t('admin.teams.deleted', { name: target.name }));
      void queryClient.invalidateQueries({ queryKey: TEAMS_QUERY_KEY });
      close();
    },
  });
  function close() {
    remove.reset();
    onClose();
  }
  return (
    <ConfirmDialog
      opened={team !== null}
      title={t('admin.teams.deleteConfirm.title', { name: team?.name ?? '' })}
      confirmLabel={t('admin.teams.deleteConfirm.confirm')}
      danger
      loading={remove.isPending}
      error={remove.error}
      onConfirm={() => team && remove.mutate(team)}
      onCancel={close}
    >
      {t('admin.teams.deleteConfirm.body')}
    </ConfirmDialog>
  );
}
