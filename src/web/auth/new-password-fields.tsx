import { PasswordInput, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordStrength } from './password-strength.js';

export interface NewPassword {
  password: string;
  confirm: string;
  setPassword: (value: string) => void;
  setConfirm: (value: string) => void;
  /** True once both are typed and equal. */
  matches: boolean;
  /** Show the mismatch even before the confirmation loses focus (after a submit attempt). */
  revealMismatch: () => void;
  mismatchRevealed: boolean;
}

export function useNewPassword(): NewPassword {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatchRevealed, setMismatchRevealed] = useState(false);
  return {
    password,
    confirm,
    setPassword,
    setConfirm,
    matches: password.length > 0 && password === confirm,
    revealMismatch: () => setMismatchRevealed(true),
    mismatchRevealed,
  };
}

interface NewPasswordFieldsProps {
  field: NewPassword;
  /** Lets the server warn when the password contains the email name. */
  email?: string;
  passwordLabel?: string;
  confirmLabel?: string;
  /** A server answer about the password (weak_password), shown on the field. */
  error?: string;
}

/** New password + confirmation + strength meter: used by setup, invitations and password change. */
export function NewPasswordFields({ field, email, passwordLabel, confirmLabel, error }: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  const [confirmTouched, setConfirmTouched] = useState(false);
  const showMismatch = (confirmTouched || field.mismatchRevealed) && field.confirm !== field.password && (field.confirm.length > 0 || field.mismatchRevealed);

  return (
    <Stack gap="sm">
      <PasswordInput
        label={passwordLabel ?? t('password.newLabel')}
        value={field.password}
        onChange={(event) => field.setPassword(event.currentTarget.value)}
        autoComplete="new-password"
        required
        error={error}
      />
      <PasswordStrength password={field.password} email={email} />
      <PasswordInput
        label={confirmLabel ?? t('password.confirmLabel')}
        value={field.confirm}
        onChange={(event) => field.setConfirm(event.currentTarget.value)}
        onBlur={() => setConfirmTouched(true)}
        autoComplete="new-password"
        required
        error={showMismatch ? t('password.mismatch') : undefined}
      />
    </Stack>
  );
}
