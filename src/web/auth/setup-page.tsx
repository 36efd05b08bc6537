import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { PageLoader } from '../ui/page-loader.js';
import { authApi } from './auth-api.js';
import { forgetFragmentToken, useFragmentToken } from './fragment-token.js';
import { NewPasswordFields, useNewPassword } from './new-password-fields.js';
import { PublicLayout } from './public-layout.js';

/** First run: create the workspace and its owner with the one-time link from the server console. */
export function SetupPage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const status = useQuery({ queryKey: ['setup-status'], queryFn: authApi.setupStatus });
  const [doneEmail, setDoneEmail] = useState<string | null>(null);

  let body;
  if (doneEmail) body = <SetupDone email={doneEmail} />;
  else if (status.isPending) body = <PageLoader />;
  else if (status.isError) body = <ErrorAlert error={status.error} />;
  else if (!status.data.needsSetup) body = <AlreadySetUp />;
  else if (!token) body = <Alert color="yellow" title={t('setup.missingToken.title')}>{t('setup.missingToken.body')}</Alert>;
  else body = <SetupForm token={token} onDone={setDoneEmail} />;

  return <PublicLayout title={t('setup.title')}>{body}</PublicLayout>;
}

function SetupForm({ token, onDone }: { token: string; onDone: (email: string) => void }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  const [workspaceName, setWorkspaceName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const password = useNewPassword();

  const setup = useMutation({
    mutationFn: () => authApi.setup({ setupToken: token, workspaceName: workspaceName.trim(), displayName: displayName.trim(), email: email.trim(), password: password.password }),
    onSuccess: () => {
      forgetFragmentToken();
      onDone(email.trim());
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!password.matches) return password.revealMismatch();
    setup.mutate();
  };

  const fieldError = (field: string) => (setup.error && isApiError(setup.error) && setup.error.field === field ? describe(setup.error) : undefined);
  const formError = setup.error && !(isApiError(setup.error) && setup.error.field) ? setup.error : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('setup.intro')}
        </Text>
        <TextInput label={t('setup.workspaceName')} value={workspaceName} onChange={(e) => setWorkspaceName(e.currentTarget.value)} required error={fieldError('workspaceName')} autoComplete="organization" />
        <TextInput label={t('setup.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} required error={fieldError('displayName')} autoComplete="name" />
        <TextInput label={t('setup.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required error={fieldError('email')} autoComplete="email" />
        <NewPasswordFields field={password} email={email} passwordLabel={t('password.label')} error={fieldError('password')} />
        <ErrorAlert error={formError} />
        <Button type="submit" loading={setup.isPending} disabled={!workspaceName.trim() || !displayName.trim() || !email.trim() || !password.password}>
          {t('setup.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function SetupDone({ email }: { email: string }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid="setup-done">
      <Alert color="teal" title={t('setup.done.title')}>
        {t('setup.done.body')}
      </Alert>
      <Button component={Link} to="/sign-in" state={{ email }}>
        {t('setup.done.signIn')}
      </Button>
    </Stack>
  );
}

function AlreadySetUp() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="blue" title={t('setup.alreadyDone.title')}>
        {t('setup.alreadyDone.body')}
      </Alert>
      <Button component={Link} to="/sign-in">
        {t('setup.alreadyDone.signIn')}
      </Button>
    </Stack>
  );
}
