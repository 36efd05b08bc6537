import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { useMe } from '../auth/use-me.js';
import { LANGUAGE_NAMES, LANGUAGES, isLanguage } from '../i18n/languages.js';
import { useNotify } from '../ui/notifications.js';
import { accountApi } from './account-api.js';
import { SectionCard } from './section-card.js';
import { useUpdateMeUser } from './use-update-me.js';

export function ProfileSection() {
  return (
    <Stack>
      <ProfileForm />
      <EmailForm />
    </Stack>
  );
}

function ProfileForm() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const updateMeUser = useUpdateMeUser();
  const [displayName, setDisplayName] = useState(me.user.displayName);
  // '' = no preference: the browser's language decides.
  const [locale, setLocale] = useState<string>(isLanguage(me.user.locale) ? me.user.locale : '');

  const save = useMutation({
    mutationFn: () => accountApi.updateProfile({ displayName: displayName.trim(), locale: isLanguage(locale) ? locale : null }),
    onSuccess: ({ user }) => {
      updateMeUser(user);
      if (isLanguage(user.locale)) void i18n.changeLanguage(user.locale);
      notify(t('account.profile.saved'));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <SectionCard title={t('account.profile.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={420}>
          <TextInput label={t('account.profile.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} required autoComplete="name" />
          <NativeSelect
            label={t('account.profile.language')}
            description={t('account.profile.languageHint')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value)}
            data={[{ value: '', label: t('account.profile.languageBrowser') }, ...LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))]}
          />
          <ErrorAlert error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!displayName.trim()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}

function EmailForm() {
  const { t } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const describe = useErrorMessage();
  const updateMeUser = useUpdateMeUser();
  const [email, setEmail] = useState('');

  const change = useMutation({
    mutationFn: () => accountApi.changeEmail(email.trim()),
    onSuccess: ({ user }) => {
      updateMeUser(user);
      setEmail('');
      notify(t('account.email.changed'));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };

  const onField = isApiError(change.error) && (change.error.field === 'email' || change.error.code === 'email_taken');

  return (
    <SectionCard title={t('account.email.title')} description={t('account.email.description')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={420}>
          <Text size="sm">
            {t('account.email.current')}{' '}
            <Text span fw={600} data-testid="current-email" style={{ wordBreak: 'break-all' }}>
              {me.user.email}
            </Text>
          </Text>
          <TextInput label={t('account.email.newEmail')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} required autoComplete="email" error={onField ? describe(change.error) : undefined} />
          {!onField && <ErrorAlert error={change.error} />}
          <Group>
            <Button type="submit" loading={change.isPending} disabled={!email.trim()}>
              {t('account.email.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
