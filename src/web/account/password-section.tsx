import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { NewPasswordFields, useNewPassword } from '../auth/new-password-fields.js';
import { useMe } from '../auth/use-me.js';
import { useNotify } from '../ui/notifications.js';
import { accountApi } from './account-api.js';
import { SectionCard } from './section-card.js';

export function PasswordSection() {
  const { t } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const describe = useErrorMessage();
  const [currentPassword, setCurrentPassword] = useState('');
  const newPassword = useNewPassword();
  // Remounting the fields clears them (and the meter) after a change.
  const [formKey, setFormKey] = useState(0);

  const change = useMutation({
    mutationFn: () => accountApi.changePassword({ currentPassword, newPassword: newPassword.password }),
    onSuccess: () => {
      setCurrentPassword('');
      newPassword.setPassword('');
      newPassword.setConfirm('');
      setFormKey((key) => key + 1);
      notify(t('account.password.changed'));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!newPassword.matches) return newPassword.revealMismatch();
    change.mutate();
  };

  const error = change.error;
  const currentError = isApiError(error, 'invalid_credentials') ? t('account.password.wrongCurrent') : undefined;
  const newError = isApiError(error) && (error.code === 'weak_password' || error.field === 'newPassword') ? describe(error) : undefined;

  return (
    <SectionCard title={t('account.password.title')} description={t('account.password.description')}>
      <form onSubmit={submit} noValidate key={formKey}>
        <Stack gap="sm" maw={420}>
          <PasswordInput label={t('account.password.current')} value={currentPassword} onChange={(e) => setCurrentPassword(e.currentTarget.value)} autoComplete="current-password" required error={currentError} />
          <NewPasswordFields field={newPassword} email={me.user.email} confirmLabel={t('account.password.confirm')} error={newError} />
          {!currentError && !newError && <ErrorAlert error={error} />}
          <Group>
            <Button type="submit" loading={change.isPending} disabled={!currentPassword || !newPassword.password}>
              {t('account.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
