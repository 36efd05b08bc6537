import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { useErrorMessage } from '../../api/use-error-message.js';
import { useNotify } from '../../ui/notifications.js';
import { TEAMS_QUERY_KEY, teamsApi } from './teams-api.js';
import { indented, parentChoices, type Team } from './team-tree.js';

const NAME_MAX = 80;
/** The parent select's value for "no parent": a team id is never empty. */
const TOP_LEVEL = '';

type TeamModalProps =
  | { mode: 'add'; teams: readonly Team[]; parentId: string | null; onClose: () => void }
  | { mode: 'edit'; teams: readonly Team[]; team: Team; onClose: () => void };

/** Adds a team, or renames and moves one; a move below itself or its own sub-teams is not offered (and the server refuses it). */
export function TeamModal(props: TeamModalProps) {
  const { teams, onClose } = props;
  const editing = props.mode === 'edit' ? props.team : null;
  const { t } = useTranslation();
  const describe = useErrorMessage();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [name, setName] = useState(editing?.name ?? '');
  const [parentId, setParentId] = useState<string>((editing ? editing.parentId : props.mode === 'add' ? props.parentId : null) ?? TOP_LEVEL);
  const [tried, setTried] = useState(false);
  const nameProblem = name.trim() === '' ? t('admin.teams.form.nameInvalid') : undefined;

  const save = useMutation({
    mutationFn: () => {
      const parent = parentId === TOP_LEVEL ? null : parentId;
      if (!editing) return teamsApi.create({ name: name.trim(), parentId: parent });
      const changes: { name?: string; parentId?: string | null } = {};
      if (name.trim() !== editing.name) changes.name = name.trim();
      if (parent !== editing.parentId) changes.parentId = parent;
      // Nothing changed: the server wants at least one change, the user wants the dialog closed.
      return Object.keys(changes).length === 0 ? Promise.resolve(editing) : teamsApi.update(editing.id, changes);
    },
    onSuccess: (team) => {
      notify(t(editing ? 'admin.teams.updated' : 'admin.teams.created', { name: team.name }));
      void queryClient.invalidateQueries({ queryKey: TEAMS_QUERY_KEY });
      onClose();
    },
  });

  const error = save.error;
  const nameError = (tried ? nameProblem : undefined) ?? (isApiError(error, 'invalid_name') ? t('admin.teams.form.nameInvalid') : isApiError(error) && error.field === 'name' ? describe(error) : undefined);
  const parentError = isApiError(error) && error.field === 'parentId' ? describe(error) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!nameProblem) save.mutate();
  };

  const parents = parentChoices(teams, editing?.id ?? null);
  return (
    <Modal opened onClose={onClose} title={editing ? t('admin.teams.form.editTitle') : t('admin.teams.form.addTitle')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('admin.teams.form.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={NAME_MAX} required data-autofocus error={nameError} />
          <NativeSelect
            label={t('admin.teams.form.parent')}
            description={t('admin.teams.form.parentHint')}
            value={parentId}
            onChange={(event) => setParentId(event.currentTarget.value)}
            data={[{ value: TOP_LEVEL, label: t('admin.teams.form.none') }, ...parents.map((node) => ({ value: node.team.id, label: indented(node.team.name, node.depth) }))]}
            error={parentError}
          />
          {!nameError && !parentError && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? t('admin.teams.form.submit') : t('admin.teams.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
