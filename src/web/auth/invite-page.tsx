import { Alert, Button, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { useRoleName } from '../admin/role-name.js';
import { PageLoader } from '../ui/page-loader.js';
import { authApi, type Invitation } from './auth-api.js';
import { forgetFragmentToken, useFragmentToken } from './fragment-token.js';
import { NewPasswordFields, useNewPassword } from './new-password-fields.js';
import { PublicLayout } from './public-layout.js';

/** Accepting an invitation: the link carries a one-time token in its fragment. */
export function InvitePage() {
  const { t } = useTranslation();
  const token = useFragmentToken();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => authApi.invitation(token ?? ''),
    enabled: token !== null,
    retry: false,
  });

  let body;
  if (!token) body = <InvalidInvitation />;
  else if (invitation.isPending) body = <PageLoader />;
  // 404 for unknown, used, revoked or expired; 400 for a token that is not even well-formed.
  else if (invitation.isError) body = isApiError(invitation.error) && [400, 404].includes(invitation.error.status) ? <InvalidInvitation /> : <ErrorAlert error={invitation.error} />;
  else body = <AcceptForm token={token} invitation={invitation.data} />;

  return <PublicLayout title={t('invite.title')}>{body}</PublicLayout>;
}

function InvalidInvitation() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="red" title={t('invite.invalid.title')}>
        {t('invite.invalid.body')}
      </Alert>
      <Button component={Link} to="/sign-in" variant="default">
        {t('invite.invalid.signIn')}
      </Button>
    </Stack>
  );
}

function AcceptForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const describe = useErrorMessage();
  const formatDate = useFormatDate();
  const roleName = useRoleName();
  const [displayName, setDisplayName] = useState('');
  const password = useNewPassword();

  const accept = useMutation({
    mutationFn: () => authApi.acceptInvitation({ token, displayName: displayName.trim(), password: password.password }),
    onSuccess: () => {
      forgetFragmentToken();
      void navigate('/sign-in', { replace: true, state: { email: invitation.email, notice: 'accountCreated' } });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!password.matches) return password.revealMismatch();
    accept.mutate();
  };

  const fieldError = (field: string) => (accept.error && isApiError(accept.error) && accept.error.field === field ? describe(accept.error) : undefined);
  const formError = accept.error && !(isApiError(accept.error) && accept.error.field) ? accept.error : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('invite.intro', { workspace: invitation.workspaceName })}</Text>
        <Table variant="vertical" withTableBorder layout="fixed" fz="sm">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={120}>{t('invite.workspace')}</Table.Th>
              <Table.Td data-testid="invite-workspace">{invitation.workspaceName}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('invite.email')}</Table.Th>
              <Table.Td data-testid="invite-email" style={{ wordBreak: 'break-all' }}>
                {invitation.email}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('invite.role')}</Table.Th>
              <Table.Td>{roleName(invitation.role)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('invite.expires')}</Table.Th>
              <Table.Td>{formatDate(invitation.expiresAt)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <TextInput label={t('invite.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} required autoComplete="name" error={fieldError('displayName')} />
        <NewPasswordFields field={password} email={invitation.email} passwordLabel={t('password.label')} error={fieldError('password')} />
        <ErrorAlert error={formError} />
        <Button type="submit" loading={accept.isPending} disabled={!displayName.trim() || !password.password}>
          {t('invite.submit')}
        </Button>
      </Stack>
    </form>
  );
}
