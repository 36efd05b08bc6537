import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { authApi, type LoginInput } from './auth-api.js';
import { PublicLayout } from './public-layout.js';
import { useStoreMe } from './use-me.js';

type Step = 'password' | 'code';

/** What the page before handed over: the email to prefill, and why we are here. */
function stateText(state: unknown, key: 'email' | 'notice'): string {
  if (!state || typeof state !== 'object' || !(key in state)) return '';
  const value = (state as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

/** Email and password, then — for users with a second factor — the authenticator or a recovery code. */
export function SignInPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const storeMe = useStoreMe();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState(() => stateText(location.state, 'email'));
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [workspace, setWorkspace] = useState<string | null>(null);
  const setupStatus = useQuery({ queryKey: ['setup-status'], queryFn: authApi.setupStatus, retry: false });

  const login = useMutation({
    mutationFn: (input: LoginInput) => authApi.login(input),
    onSuccess: (me) => {
      storeMe(me);
      // The shell's banner explains why they land on the second-factor set-up.
      if (me.mfaEnrollmentRequired) void navigate('/account/security', { replace: true });
      else void navigate('/', { replace: true });
    },
    onError: (error) => {
      if (isApiError(error, 'mfa_required')) setStep('code');
      if (isApiError(error, 'workspace_required')) setWorkspace((current) => current ?? '');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: LoginInput = { email: email.trim(), password };
    if (step === 'code') input.code = code.replace(/\s/g, '');
    if (workspace?.trim()) input.workspace = workspace.trim();
    login.mutate(input);
  };

  const backToPassword = () => {
    setStep('password');
    setCode('');
    setPassword('');
    login.reset();
  };

  return (
    <PublicLayout title={step === 'password' ? t('signIn.title') : t('signIn.codeTitle')}>
      {step === 'password' && stateText(location.state, 'notice') === 'accountCreated' && (
        <Alert color="teal" title={t('signIn.accountCreated.title')}>
          {t('signIn.accountCreated.body')}
        </Alert>
      )}
      {stateText(location.state, 'notice') === 'signedOut' && (
        <Alert color="blue">{t('signIn.signedOutEverywhere')}</Alert>
      )}
      {setupStatus.data?.needsSetup && (
        <Alert color="yellow" title={t('signIn.notSetUp.title')}>
          {t('signIn.notSetUp.body')}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {step === 'password' ? (
            <>
              <TextInput label={t('signIn.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoComplete="username" required autoFocus={!email} />
              <PasswordInput label={t('signIn.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="current-password" required autoFocus={Boolean(email)} />
              {workspace !== null && (
                <TextInput label={t('signIn.workspace')} description={t('signIn.workspaceHint')} value={workspace} onChange={(e) => setWorkspace(e.currentTarget.value)} required />
              )}
            </>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                {useRecoveryCode ? t('signIn.recoveryIntro') : t('signIn.codeIntro')}
              </Text>
              {useRecoveryCode ? (
                <TextInput key="recovery" label={t('signIn.recoveryCode')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="off" autoCapitalize="off" spellCheck={false} required autoFocus />
              ) : (
                <TextInput key="totp" label={t('signIn.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} autoComplete="one-time-code" inputMode="numeric" maxLength={8} required autoFocus />
              )}
              <Anchor
                component="button"
                type="button"
                size="sm"
                ta="left"
                onClick={() => {
                  setUseRecoveryCode((current) => !current);
                  setCode('');
                  login.reset();
                }}
              >
                {useRecoveryCode ? t('signIn.useAuthenticator') : t('signIn.useRecoveryCode')}
              </Anchor>
            </>
          )}
          {/* "mfa_required" is the next step, not a failure. */}
          <ErrorAlert error={isApiError(login.error, 'mfa_required') ? null : login.error} />
          <Button type="submit" loading={login.isPending} disabled={step === 'password' ? !email.trim() || !password : !code.trim()}>
            {step === 'password' ? t('signIn.submit') : t('signIn.verify')}
          </Button>
          {step === 'code' && (
            <Anchor component="button" type="button" size="sm" onClick={backToPassword}>
              {t('signIn.back')}
            </Anchor>
          )}
        </Stack>
      </form>
    </PublicLayout>
  );
}
