import { Alert, Badge, Button, Checkbox, Grid, Group, NativeSelect, Skeleton, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useCan } from '../../auth/use-can.js';
import { useNotify } from '../../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS } from '../customers-api.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { PREFERENCE_CHANNELS, PREFERENCE_LANGUAGES, SECTION_QUERY_KEYS, sectionsApi, type PreferenceChannel, type PreferenceLanguage, type Preferences } from '../sections-api.js';
import { SectionCard } from './section-card.js';
import { useInputErrors } from './use-input-errors.js';

/** Bounds on topics, as for the free labels of a `tags` field. */
const MAX_TOPICS = 30;
const MAX_TOPIC_LENGTH = 40;
const INPUTS = ['channels', 'language', 'topics', 'doNotContact'] as const;

/** How the customer wants to be reached, and whether at all: shown, and changed in an edit mode. */
export function PreferencesSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  // They are the customer's own fields: changing them is updating the customer.
  const mayEdit = useCan()('customers', 'update');
  // Every read is audited: fetch on arrival and after changes only.
  const preferences = useQuery({ queryKey: SECTION_QUERY_KEYS.preferences(customerId), queryFn: () => sectionsApi.preferences(customerId), refetchOnWindowFocus: false });
  const [editing, setEditing] = useState(false);

  return (
    <SectionCard
      title={t('customers.sections.preferences.title')}
      intro={t('customers.sections.preferences.intro')}
      testId="preferences"
      actions={
        preferences.data?.doNotContact ? (
          <Badge color="red" variant="filled" data-testid="do-not-contact-badge">
            {t('customers.sections.preferences.doNotContactBadge')}
          </Badge>
        ) : null
      }
    >
      {preferences.isPending ? (
        <Skeleton h={96} aria-busy aria-label={t('customers.sections.preferences.loading')} />
      ) : preferences.isError ? (
        <ErrorAlert error={preferences.error} overrides={overrides} />
      ) : editing ? (
        <PreferencesForm customerId={customerId} initial={preferences.data} onDone={() => setEditing(false)} />
      ) : (
        <PreferencesView preferences={preferences.data} onEdit={mayEdit ? () => setEditing(true) : undefined} />
      )}
    </SectionCard>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Grid gutter={{ base: 2, sm: 'md' }} align="center">
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>{children}</Grid.Col>
    </Grid>
  );
}

function Badges({ items, empty, testId }: { items: readonly string[]; empty: string; testId: string }) {
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  }
  return (
    <Group gap={4} data-testid={testId}>
      {items.map((item) => (
        <Badge key={item} variant="light" color="gray" size="sm" tt="none">
          {item}
        </Badge>
      ))}
    </Group>
  );
}

function PreferencesView({ preferences, onEdit }: { preferences: Preferences; onEdit?: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {preferences.doNotContact && (
        <Alert color="red" variant="light" data-testid="do-not-contact-warning">
          {t('customers.sections.preferences.doNotContactWarning')}
        </Alert>
      )}
      <Row label={t('customers.sections.preferences.channels')}>
        <Badges items={preferences.channels.map((channel) => t(`customers.options.preferredChannels.${channel}`))} empty={t('customers.sections.preferences.noChannels')} testId="preferences-channels" />
      </Row>
      <Row label={t('customers.sections.preferences.language')}>
        <Text size="sm" data-testid="preferences-language">
          {preferences.language ? t(`customers.options.preferredLanguage.${preferences.language}`) : t('customers.sections.preferences.noLanguage')}
        </Text>
      </Row>
      <Row label={t('customers.sections.preferences.topics')}>
        <Badges items={preferences.topics} empty={t('customers.sections.preferences.noTopics')} testId="preferences-topics" />
      </Row>
      <Row label={t('customers.sections.preferences.doNotContact')}>
        <Text size="sm" data-testid="preferences-do-not-contact">
          {preferences.doNotContact ? t('customers.yes') : t('customers.no')}
        </Text>
      </Row>
      {onEdit && (
        <Group justify="flex-end">
          <Button variant="light" size="compact-sm" onClick={onEdit} data-testid="edit-preferences">
            {t('customers.sections.preferences.edit')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function PreferencesForm({ customerId, initial, onDone }: { customerId: string; initial: Preferences; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Preferences>(initial);

  const save = useMutation({
    mutationFn: () => sectionsApi.savePreferences(customerId, values),
    onSuccess: (saved) => {
      queryClient.setQueryData(SECTION_QUERY_KEYS.preferences(customerId), saved);
      // They are the customer's fields too: the profile shows them.
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(customerId), exact: true });
      notify(t('customers.sections.preferences.saved'));
      onDone();
    },
  });
  const { inputError, formError } = useInputErrors(save.error, INPUTS);
  const set = <K extends keyof Preferences>(key: K, value: Preferences[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    if (save.error) save.reset();
  };

  return (
    <form
      noValidate
      data-testid="preferences-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <Checkbox.Group label={t('customers.sections.preferences.channels')} value={values.channels} onChange={(channels) => set('channels', channels as PreferenceChannel[])} error={inputError('channels')}>
          <Group gap="md" mt={6}>
            {PREFERENCE_CHANNELS.map((channel) => (
              <Checkbox key={channel} value={channel} label={t(`customers.options.preferredChannels.${channel}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <NativeSelect
          label={t('customers.sections.preferences.language')}
          value={values.language ?? ''}
          onChange={(event) => set('language', (event.currentTarget.value || null) as PreferenceLanguage | null)}
          data={[{ value: '', label: t('customers.sections.preferences.noLanguage') }, ...PREFERENCE_LANGUAGES.map((language) => ({ value: language, label: t(`customers.options.preferredLanguage.${language}`) }))]}
          error={inputError('language')}
        />
        <TagsInput
          label={t('customers.sections.preferences.topics')}
          placeholder={t('customers.form.tagsHint')}
          value={values.topics}
          onChange={(topics) => set('topics', topics)}
          splitChars={[',', '，', '、']}
          maxTags={MAX_TOPICS}
          maxLength={MAX_TOPIC_LENGTH}
          clearable
          error={inputError('topics')}
        />
        <Switch
          label={t('customers.sections.preferences.doNotContact')}
          description={t('customers.sections.preferences.doNotContactHint')}
          color="red"
          checked={values.doNotContact}
          onChange={(event) => set('doNotContact', event.currentTarget.checked)}
          error={inputError('doNotContact')}
        />
        <ErrorAlert error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="save-preferences">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
