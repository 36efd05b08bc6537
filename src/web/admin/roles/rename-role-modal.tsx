import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleDefinition } from '../../../shared/permissions.js';
import { isApiError } from '../../api/api-error.js';
import { ErrorAlert } from '../../api/error-alert.js';
import type { ItemList } from '../../api/types.js';
import { toLanguage } from '../../i18n/languages.js';
import { useNotify } from '../../ui/notifications.js';
import { RoleLabelInputs, trimLabels, useServerErrorFor } from './role-label-inputs.js';
import { ROLES_QUERY_KEY, rolesApi, type RoleLabels } from './roles-api.js';

/** The role's names in English and Chinese; its key stays. */
export function RenameRoleModal({ role, onClose }: { role: RoleDefinition; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [labels, setLabels] = useState<RoleLabels>(role.labels);
  const [tried, setTried] = useState(false);
  const required = (value: string) => (tried && !value.trim() ? t('admin.roles.create.labelRequired') : undefined);

  const rename = useMutation({
    mutationFn: () => rolesApi.update(role.key, { labels: trimLabels(labels) }),
    onSuccess: (saved) => {
      queryClient.setQueryData<ItemList<RoleDefinition>>(ROLES_QUERY_KEY, (old) => old && { items: old.items.map((item) => (item.key === saved.key ? saved : item)) });
      notify(t('admin.roles.renameDialog.renamed', { name: saved.labels[toLanguage(i18n.resolvedLanguage ?? i18n.language)] }));
      onClose();
    },
  });
  const serverError = useServerErrorFor(rename.error);
  const named = isApiError(rename.error) && (rename.error.field === 'labels.en' || rename.error.field === 'labels.zh-CN');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (labels.en.trim() && labels['zh-CN'].trim()) rename.mutate();
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.roles.renameDialog.title')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <RoleLabelInputs
            labels={labels}
            onChange={setLabels}
            errors={{ en: required(labels.en) ?? serverError('labels.en'), 'zh-CN': required(labels['zh-CN']) ?? serverError('labels.zh-CN') }}
          />
          {!named && <ErrorAlert error={rename.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending}>
              {t('admin.roles.renameDialog.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
