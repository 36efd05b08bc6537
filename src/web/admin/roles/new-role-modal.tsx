import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { RoleDefinition } from '../../../shared/permissions.js';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import type { ItemList } from '../../api/types.js';
import { toLanguage } from '../../i18n/languages.js';
import { useNotify } from '../../ui/notifications.js';
import { WorkspaceRoleSelect } from '../role-select.js';
import { ROLE_KEY_MAX, ROLE_KEY_PATTERN, suggestRoleKey } from './role-key.js';
import { RoleLabelInputs, trimLabels, useServerErrorFor } from './role-label-inputs.js';
import { ROLES_QUERY_KEY, rolesApi, type RoleLabels } from './roles-api.js';

/** Inputs the server may name in an error about a new role. */
const NAMED_INPUTS = ['key', 'labels.en', 'labels.zh-CN'];

/**
 * A custom role, starting as a copy of another role's saved permissions. Its key is proposed
 * from the English name until typed; once made, the page shows the new role's matrix.
 */
export function NewRoleModal({ roles, copyFrom, onClose }: { roles: readonly RoleDefinition[]; copyFrom: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [labels, setLabels] = useState<RoleLabels>({ en: '', 'zh-CN': '' });
  const [typedKey, setTypedKey] = useState<string | null>(null);
  const [source, setSource] = useState(copyFrom);
  const [tried, setTried] = useState(false);
  const key = typedKey ?? suggestRoleKey(labels.en);

  const problems = {
    key: ROLE_KEY_PATTERN.test(key) ? undefined : t('admin.roles.create.keyInvalid'),
    en: labels.en.trim() ? undefined : t('admin.roles.create.labelRequired'),
    'zh-CN': labels['zh-CN'].trim() ? undefined : t('admin.roles.create.labelRequired'),
  };

  const create = useMutation({
    mutationFn: () => {
      const permissions = roles.find((role) => role.key === source)?.permissions;
      if (!permissions) throw new Error('the role to copy is gone');
      return rolesApi.create({ key, labels: trimLabels(labels), permissions });
    },
    onSuccess: (role) => {
      queryClient.setQueryData<ItemList<RoleDefinition>>(ROLES_QUERY_KEY, (old) => old && { items: [...old.items, role] });
      void queryClient.invalidateQueries({ queryKey: ROLES_QUERY_KEY });
      notify(t('admin.roles.create.created', { name: role.labels[toLanguage(i18n.resolvedLanguage ?? i18n.language)] }));
      onClose();
      void navigate(`/admin/roles/${encodeURIComponent(role.key)}`);
    },
  });
  const serverError = useServerErrorFor(create.error);
  const keyServerError = isApiError(create.error, 'invalid_key') ? t('admin.roles.create.keyInvalid') : serverError('key');
  const named = isApiError(create.error) && create.error.field !== undefined && NAMED_INPUTS.includes(create.error.field);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!problems.key && !problems.en && !problems['zh-CN']) create.mutate();
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.roles.create.title')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <RoleLabelInputs
            labels={labels}
            onChange={setLabels}
            errors={{ en: (tried ? problems.en : undefined) ?? serverError('labels.en'), 'zh-CN': (tried ? problems['zh-CN'] : undefined) ?? serverError('labels.zh-CN') }}
          />
          <TextInput
            label={t('admin.roles.create.key')}
            description={t('admin.roles.create.keyHint')}
            value={key}
            onChange={(event) => setTypedKey(event.currentTarget.value.trim())}
            maxLength={ROLE_KEY_MAX}
            ff="monospace"
            required
            error={(tried ? problems.key : undefined) ?? keyServerError}
          />
          <WorkspaceRoleSelect label={t('admin.roles.create.copyFrom')} value={source} onChange={setSource} />
          {!named && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('admin.roles.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
