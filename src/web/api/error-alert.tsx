import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api-error.js';
import { useErrorMessage } from './use-error-message.js';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  /** Better words for some codes in this context, e.g. `invalid_credentials` when only a password was asked. */
  overrides?: Partial<Record<string, string>>;
}

/** A failed call, said plainly. Renders nothing without an error. */
export function ErrorAlert({ error, title, overrides }: ErrorAlertProps) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  if (!error) return null;
  // Cancelling the "confirm it's you" dialog is the user's own choice, not a failure.
  if (isApiError(error, 'reauth_cancelled')) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert">
      {(isApiError(error) && overrides?.[error.code]) || describe(error)}
    </Alert>
  );
}
