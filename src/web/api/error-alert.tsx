import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api-error.js';
import { useErrorMessage } from './use-error-message.js';

/** A failed call, said plainly. Renders nothing without an error. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  if (!error) return null;
  // Cancelling the "confirm it's you" dialog is the user's own choice, not a failure.
  if (isApiError(error, 'reauth_cancelled')) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert">
      {describe(error)}
    </Alert>
  );
}
