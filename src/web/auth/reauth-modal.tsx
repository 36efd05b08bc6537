import { Anchor, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { setReauthHandler } from '../api/client.js';
import type { Me } from '../api/types.js';
import { authApi } from './auth-api.js';
import { ME_QUERY_KEY } from './use-me.js';

type Method = 'password' | 'code';

/**
 * The reusable "confirm it's you" step: when a call answers `reauth_required`, the API client
 * waits on this dialog, then retries the call it interrupted.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [method, setMethod] = useState<Method>('password');
  const [secret, setSecret] = useState('');
  const settle = useRef<((confirmed: boolean) => void) | null>(null);

  const mfaEnabled = queryClient.getQueryData<Me>(ME_QUERY_KEY)?.user.mfaEnabled ?? false;

  useEffect(() => {
    setReauthHandler(
      () =>
        new Promise<boolean>((resolve) => {
          settle.current = resolve;
          setMethod('password');
          setSecret('');
          setOpened(true);
        }),
    );
    return () => setReauthHandler(null);
  }, []);

  const reauth = useMutation({
    mutationFn: () => authApi.reauth(method === 'password' ? { password: secret } : { code: secret.trim() }),
    onSuccess: () => finish(true),
  });

  function finish(confirmed: boolean) {
    setOpened(false);
    setSecret('');
    reauth.reset();
    settle.current?.(confirmed);
    settle.current = null;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (secret) reauth.mutate();
  };

  const switchMethod = () => {
    setMethod((current) => (current === 'password' ? 'code' : 'password'));
    setSecret('');
    reauth.reset();
  };

  return (
    <>
      {children}
      <Modal opened={opened} onClose={() => finish(false)} title={t('reauth.title')} centered zIndex={400}>
        <form onSubmit={submit}>
          <Stack>
            <Text size="sm">{t('reauth.explanation')}</Text>
            {method === 'password' ? (
              <PasswordInput
                label={t('reauth.password')}
                value={secret}
                onChange={(event) => setSecret(event.currentTarget.value)}
                autoComplete="current-password"
                data-autofocus
                required
              />
            ) : (
              <TextInput
                label={t('reauth.code')}
                description={t('reauth.codeHint')}
                value={secret}
                onChange={(event) => setSecret(event.currentTarget.value)}
                autoComplete="one-time-code"
                inputMode="numeric"
                data-autofocus
                required
              />
            )}
            {mfaEnabled && (
              <Anchor component="button" type="button" size="sm" onClick={switchMethod} ta="left">
                {method === 'password' ? t('reauth.useCode') : t('reauth.usePassword')}
              </Anchor>
            )}
            <ErrorAlert error={reauth.error} overrides={{ invalid_credentials: t('reauth.wrongPassword') }} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => finish(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={reauth.isPending}>
                {t('reauth.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
