import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { CopyValue } from '../ui/copy-value.js';
import { ADMIN_QUERY_KEYS, adminApi } from './admin-api.js';
import { WorkspaceRoleSelect } from './role-select.js';

const DEFAULT_ROLE = 'sales_rep';

/**
 * Invite by email and any role of the workspace, custom ones included; the link is shown to
 * pass on (Custos sends no email by itself).
 */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>(DEFAULT_ROLE);
  const [link, setLink] = useState<string | null>(null);

  const invite = useMutation({
    mutationFn: () => adminApi.invite({ email: email.trim(), role }),
    onSuccess: ({ inviteUrl }) => {
      // The server may answer with a path; the person invited needs the whole address.
      setLink(new URL(inviteUrl, window.location.origin).href);
      void queryClient.invalidateQueries({ queryKey: ADMIN_QUERY_KEYS.invitations });
    },
  });

  const close = () => {
    setEmail('');
    setRole(DEFAULT_ROLE);
    setLink(null);
    invite.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };

  const emailError = isApiError(invite.error) && (invite.error.code === 'email_taken' || invite.error.field === 'email') ? describe(invite.error) : undefined;

  return (
    <Modal opened={opened} onClose={close} title={t('admin.invite.title')} centered size="lg">
      {link ? (
        <Stack gap="sm">
          <Alert color="teal" variant="light" title={t('admin.invite.createdTitle')}>
            {t('admin.invite.createdBody', { email: email.trim() })}
          </Alert>
          <CopyValue value={link} testId="invite-link" label={t('admin.invite.link')} />
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('admin.invite.intro')}
            </Text>
            <TextInput label={t('admin.invite.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required data-autofocus error={emailError} />
            <WorkspaceRoleSelect label={t('admin.invite.role')} value={role} onChange={setRole} />
            {!emailError && <ErrorAlert error={invite.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={invite.isPending} disabled={!email.trim()}>
                {t('admin.invite.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
