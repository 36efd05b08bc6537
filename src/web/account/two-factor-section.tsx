import { Alert, Badge, Button, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { CopyValue } from '../ui/copy-value.js';
import { useNotify } from '../ui/notifications.js';
import { PageLoader } from '../ui/page-loader.js';
import { ACCOUNT_QUERY_KEYS, accountApi, type MfaStatus, type TotpSetup } from './account-api.js';
import { RecoveryCodesPanel } from './recovery-codes-panel.js';
import { SectionCard } from './section-card.js';

/** Authenticator app (TOTP) and recovery codes. */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ACCOUNT_QUERY_KEYS.mfa, queryFn: accountApi.mfaStatus });
  // Codes are only ever in memory, and only until the user says they saved them.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const showCodes = (codes: string[]) => {
    setRecoveryCodes(codes);
    void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEYS.mfa });
    void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  };

  let body;
  if (recoveryCodes) body = <RecoveryCodesPanel codes={recoveryCodes} onSaved={() => setRecoveryCodes(null)} />;
  else if (status.isPending) body = <PageLoader />;
  else if (status.isError) body = <ErrorAlert error={status.error} />;
  else if (status.data.totpEnabled) body = <TotpEnabled status={status.data} onNewCodes={showCodes} />;
  else body = <TotpEnrolment onEnabled={showCodes} />;

  return (
    <SectionCard title={t('account.mfa.title')} description={t('account.mfa.description')}>
      {body}
    </SectionCard>
  );
}

function TotpEnrolment({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const begin = useMutation({ mutationFn: accountApi.beginTotpSetup, onSuccess: setSetup });

  if (!setup) {
    return (
      <Stack gap="sm" align="flex-start">
        <Group gap="xs">
          <Text size="sm">{t('account.mfa.status')}</Text>
          <Badge color="gray" variant="light">
            {t('account.mfa.off')}
          </Badge>
        </Group>
        <Text size="sm">{t('account.mfa.offExplanation')}</Text>
        <ErrorAlert error={begin.error} />
        <Button onClick={() => begin.mutate()} loading={begin.isPending}>
          {t('account.mfa.setUp')}
        </Button>
      </Stack>
    );
  }
  return <TotpConfirm setup={setup} onEnabled={onEnabled} onCancel={() => setSetup(null)} />;
}

function TotpConfirm({ setup, onEnabled, onCancel }: { setup: TotpSetup; onEnabled: (codes: string[]) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  const [code, setCode] = useState('');
  const enable = useMutation({
    mutationFn: () => accountApi.enableTotp(code.replace(/\s/g, '')),
    onSuccess: ({ recoveryCodes }) => onEnabled(recoveryCodes),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate();
  };
  const codeError = isApiError(enable.error, 'invalid_mfa_code') ? describe(enable.error) : undefined;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('account.mfa.scan')}</Text>
        <Image src={setup.qrCodeDataUrl} alt={t('account.mfa.qrAlt')} w={200} h={200} fit="contain" data-testid="totp-qr" bd="1px solid var(--mantine-color-gray-3)" radius="sm" />
        <Stack gap={4}>
          <Text size="sm">{t('account.mfa.manualKey')}</Text>
          <CopyValue value={setup.secret} testId="totp-secret" label={t('account.mfa.secretLabel')} />
        </Stack>
        <TextInput
          label={t('account.mfa.code')}
          description={t('account.mfa.codeHint')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          maw={220}
          required
          error={codeError}
        />
        {!codeError && <ErrorAlert error={enable.error} />}
        <Group gap="xs">
          <Button type="submit" loading={enable.isPending} disabled={code.replace(/\s/g, '').length < 6}>
            {t('account.mfa.enable')}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={enable.isPending}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type PendingAction = 'disable' | 'regenerate' | null;

function TotpEnabled({ status, onNewCodes }: { status: MfaStatus; onNewCodes: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PendingAction>(null);

  const regenerate = useMutation({
    mutationFn: accountApi.regenerateRecoveryCodes,
    onSuccess: ({ recoveryCodes }) => {
      setPending(null);
      onNewCodes(recoveryCodes);
    },
  });
  const disable = useMutation({
    mutationFn: accountApi.disableTotp,
    onSuccess: () => {
      setPending(null);
      notify(t('account.mfa.disabled'));
      void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEYS.mfa });
      void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });
  const close = () => {
    setPending(null);
    regenerate.reset();
    disable.reset();
  };

  return (
    <Stack gap="sm" align="flex-start">
      <Group gap="xs">
        <Text size="sm">{t('account.mfa.status')}</Text>
        <Badge color="teal" variant="light">
          {t('account.mfa.on')}
        </Badge>
      </Group>
      <Text size="sm" data-testid="recovery-codes-remaining">
        {t('account.mfa.codesRemaining', { count: status.recoveryCodesRemaining })}
      </Text>
      {status.recoveryCodesRemaining <= 3 && (
        <Alert color="yellow" variant="light">
          {t('account.mfa.codesLow')}
        </Alert>
      )}
      <Group gap="xs">
        <Button variant="default" onClick={() => setPending('regenerate')}>
          {t('account.mfa.regenerate')}
        </Button>
        <Button variant="light" color="red" onClick={() => setPending('disable')}>
          {t('account.mfa.disable')}
        </Button>
      </Group>
      <ConfirmDialog
        opened={pending === 'regenerate'}
        title={t('account.mfa.regenerateConfirm.title')}
        confirmLabel={t('account.mfa.regenerateConfirm.confirm')}
        loading={regenerate.isPending}
        error={regenerate.error}
        onConfirm={() => regenerate.mutate()}
        onCancel={close}
      >
        {t('account.mfa.regenerateConfirm.body')}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pending === 'disable'}
        title={t('account.mfa.disableConfirm.title')}
        confirmLabel={t('account.mfa.disableConfirm.confirm')}
        danger
        loading={disable.isPending}
        error={disable.error}
        onConfirm={() => disable.mutate()}
        onCancel={close}
      >
        {t('account.mfa.disableConfirm.body')}
      </ConfirmDialog>
    </Stack>
  );
}
