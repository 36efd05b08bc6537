import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { RoleDefinition, RolePermissions } from '../../../shared/permissions.js';
import type { ItemList } from '../../api/types.js';
import { ME_QUERY_KEY, useMe } from '../../auth/use-me.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { useNotify } from '../../ui/notifications.js';
import { useRoleName } from '../role-name.js';
import { CapabilitiesInput } from './capabilities-input.js';
import { FieldRules } from './field-rules.js';
import { ObjectMatrix } from './object-matrix.js';
import { permissionChanges, permissionsToSave, withCapability, withClassAccess, withFieldAccess, withScope } from './permission-draft.js';
import { RenameRoleModal } from './rename-role-modal.js';
import { ROLES_QUERY_KEY, rolesApi } from './roles-api.js';
import { SaveBar } from './save-bar.js';
import { UnsavedChangesGuard } from './unsaved-changes-guard.js';

/** The server refuses every change to this role (409 role_locked): the page shows it read-only. */
const LOCKED_ROLE = 'owner';

/**
 * One role's permissions as a draft over the saved role: edits stay on the page, marked, until
 * "Save changes" sends them all at once (one change recorded in the audit trail).
 */
export function RoleEditor({ role, onCopy }: { role: RoleDefinition; onCopy: () => void }) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const locked = role.key === LOCKED_ROLE;
  // Changing one's own role changes what the app may show: the policies are read again.
  const refreshOwnPolicies = () => {
    if (role.key === me.user.role) void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  };
  const [draft, setDraft] = useState<RolePermissions | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const current = draft ?? role.permissions;
  const changes = useMemo(() => (draft ? permissionChanges(role.permissions, draft) : []), [role.permissions, draft]);
  const edit = (change: (permissions: RolePermissions) => RolePermissions) => setDraft((previous) => change(previous ?? role.permissions));

  const save = useMutation({
    mutationFn: () => rolesApi.update(role.key, { permissions: permissionsToSave(current) }),
    onSuccess: (saved) => {
      // The saved role replaces the cached one in the same render as the draft goes: no flash of the old values.
      queryClient.setQueryData<ItemList<RoleDefinition>>(ROLES_QUERY_KEY, (old) => old && { items: old.items.map((item) => (item.key === saved.key ? saved : item)) });
      setDraft(null);
      refreshOwnPolicies();
      notify(t('admin.roles.saved', { name: roleName(role.key) }));
    },
  });

  const remove = useMutation({
    mutationFn: () => rolesApi.remove(role.key),
    onSuccess: async () => {
      const name = roleName(role.key);
      if (role.builtIn) {
        await queryClient.invalidateQueries({ queryKey: ROLES_QUERY_KEY });
        setDraft(null);
        refreshOwnPolicies();
        setRemoving(false);
        notify(t('admin.roles.resetConfirm.done', { name }));
        return;
      }
      // Nothing is left to lose: the guard must not ask about the deleted role's draft.
      flushSync(() => setDraft(null));
      notify(t('admin.roles.deleteConfirm.done', { name }));
      void navigate('/admin/roles');
      void queryClient.invalidateQueries({ queryKey: ROLES_QUERY_KEY });
    },
  });
  const closeRemove = () => {
    setRemoving(false);
    remove.reset();
  };

  return (
    <Stack gap="md" component="section" aria-labelledby="role-editor-title" data-testid="role-editor" data-role={role.key}>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={2} size="h3" id="role-editor-title">
              {roleName(role.key)}
            </Title>
            <Badge variant="light" color={role.builtIn ? 'gray' : 'violet'}>
              {role.builtIn ? t('admin.roles.builtIn') : t('admin.roles.custom')}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" ff="monospace">
            {t('admin.roles.key', { key: role.key })}
          </Text>
        </Stack>
        <Group gap="xs">
          {!locked && (
            <Button size="xs" variant="default" onClick={() => setRenaming(true)}>
              {t('admin.roles.rename')}
            </Button>
          )}
          <Button size="xs" variant="default" onClick={onCopy}>
            {t('admin.roles.copy')}
          </Button>
          {!locked && (
            <Button size="xs" variant="light" color={role.builtIn ? 'orange' : 'red'} onClick={() => setRemoving(true)}>
              {role.builtIn ? t('admin.roles.reset') : t('admin.roles.delete')}
            </Button>
          )}
        </Group>
      </Group>

      {locked && (
        <Alert color="blue" variant="light">
          {t('admin.roles.ownerLocked')}
        </Alert>
      )}

      <Paper withBorder p="md">
        <ObjectMatrix saved={role.permissions} draft={current} readOnly={locked} onChange={(object, action, scope) => edit((p) => withScope(p, object, action, scope))} />
      </Paper>
      <Paper withBorder p="md">
        <FieldRules
          saved={role.permissions}
          draft={current}
          readOnly={locked}
          onClassChange={(sensitivity, access) => edit((p) => withClassAccess(p, sensitivity, access))}
          onFieldChange={(field, access) => edit((p) => withFieldAccess(p, field, access))}
        />
      </Paper>
      <Paper withBorder p="md">
        <CapabilitiesInput saved={role.permissions} draft={current} readOnly={locked} onChange={(capability, granted) => edit((p) => withCapability(p, capability, granted))} />
      </Paper>

      {changes.length > 0 && (
        <SaveBar
          changes={changes}
          saving={save.isPending}
          error={save.error}
          onSave={() => save.mutate()}
          onDiscard={() => {
            setDraft(null);
            save.reset();
          }}
        />
      )}

      <UnsavedChangesGuard dirty={changes.length > 0} />
      {renaming && <RenameRoleModal role={role} onClose={() => setRenaming(false)} />}
      <ConfirmDialog
        opened={removing}
        title={role.builtIn ? t('admin.roles.resetConfirm.title', { name: roleName(role.key) }) : t('admin.roles.deleteConfirm.title', { name: roleName(role.key) })}
        confirmLabel={role.builtIn ? t('admin.roles.resetConfirm.confirm') : t('admin.roles.deleteConfirm.confirm')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onCancel={closeRemove}
      >
        {role.builtIn ? t('admin.roles.resetConfirm.body') : t('admin.roles.deleteConfirm.body')}
      </ConfirmDialog>
    </Stack>
  );
}
