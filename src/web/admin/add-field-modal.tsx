import { Button, Checkbox, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, FIELD_TYPES, SENSITIVITY_CLASSES, type CustomerKind, type FieldType, type Sensitivity } from '../../shared/fields.js';
import { ErrorAlert } from '../api/error-alert.js';
import { CUSTOMER_QUERY_KEYS } from '../customers/customers-api.js';
import { useNotify } from '../ui/notifications.js';
import { adminApi, type NewFieldInput } from './admin-api.js';
import { CHOICE_TYPES, EMPTY_DRAFT, EXACT_LOOKUP_TYPES, optionsToSave, readRules, type FieldDraft } from './field-form.js';
import { LabelInputs, OptionsEditor, PurposesInput, RuleInputs, useServerFieldError } from './field-form-inputs.js';

/** What only a new field has: chosen once, fixed from then on. */
const INITIAL_IDENTITY = {
  kind: 'person' as CustomerKind,
  key: '',
  type: 'text' as FieldType,
  sensitivity: 'internal' as Sensitivity,
  exactLookup: false,
};

const NO_SAVED_OPTIONS: ReadonlySet<string> = new Set();

/** Adds a custom field to the registry, with its rules; its type is fixed from then on, its class changes only by reclassification. */
export function AddFieldModal({ opened, onClose, purposeSuggestions }: { opened: boolean; onClose: () => void; purposeSuggestions: readonly string[] }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [identity, setIdentity] = useState(INITIAL_IDENTITY);
  const [draft, setDraft] = useState<FieldDraft>(EMPTY_DRAFT);
  const setId = <K extends keyof typeof INITIAL_IDENTITY>(name: K, value: (typeof INITIAL_IDENTITY)[K]) => setIdentity((current) => ({ ...current, [name]: value }));
  const set = <K extends keyof FieldDraft>(name: K, value: FieldDraft[K]) => setDraft((current) => ({ ...current, [name]: value }));

  const lookupApplies = EXACT_LOOKUP_TYPES.has(identity.type);
  const isChoice = CHOICE_TYPES.has(identity.type);
  const rules = readRules(identity.type, draft);
  const valid = Object.keys(rules.problems).length === 0 && identity.key.trim() !== '' && draft.labelEn.trim() !== '' && draft.labelZh.trim() !== '';

  const create = useMutation({
    mutationFn: () => {
      const input: NewFieldInput = {
        kind: identity.kind,
        key: identity.key.trim(),
        type: identity.type,
        labels: { en: draft.labelEn.trim(), 'zh-CN': draft.labelZh.trim() },
        sensitivity: identity.sensitivity,
        required: draft.required,
        // A unique field is looked up exactly: the server checks uniqueness through that index.
        lookup: lookupApplies && (identity.exactLookup || rules.unique) ? 'exact' : 'none',
        purposes: draft.purposes,
      };
      if (isChoice) input.options = optionsToSave(draft);
      if (rules.unique) input.unique = true;
      if (rules.validation) input.validation = rules.validation;
      if (rules.retentionDays !== null) input.retentionDays = rules.retentionDays;
      return adminApi.createField(input);
    },
    onSuccess: () => {
      notify(t('admin.fields.created', { key: identity.key.trim() }));
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.fields });
      close();
    },
  });

  function close() {
    setIdentity(INITIAL_IDENTITY);
    setDraft(EMPTY_DRAFT);
    create.reset();
    onClose();
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) create.mutate();
  };

  const { named, errorFor } = useServerFieldError(create.error);

  return (
    <Modal opened={opened} onClose={close} title={t('admin.fields.addTitle')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('admin.fields.immutable')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('admin.fields.kind')}
              value={identity.kind}
              onChange={(e) => setId('kind', e.currentTarget.value as CustomerKind)}
              data={CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.kinds.${kind}`) }))}
              error={errorFor('kind')}
            />
            <TextInput
              label={t('admin.fields.key')}
              description={t('admin.fields.keyHint')}
              value={identity.key}
              onChange={(e) => setId('key', e.currentTarget.value)}
              required
              data-autofocus
              error={errorFor('key')}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <NativeSelect
              label={t('admin.fields.type')}
              value={identity.type}
              onChange={(e) => setId('type', e.currentTarget.value as FieldType)}
              data={FIELD_TYPES.map((type) => ({ value: type, label: t(`admin.fields.types.${type}`) }))}
              error={errorFor('type')}
            />
            <NativeSelect
              label={t('admin.fields.sensitivity')}
              value={identity.sensitivity}
              onChange={(e) => setId('sensitivity', e.currentTarget.value as Sensitivity)}
              data={SENSITIVITY_CLASSES.map((sensitivity) => ({ value: sensitivity, label: t(`customers.sensitivity.${sensitivity}`) }))}
              description={t(`customers.sensitivityHelp.${identity.sensitivity}`)}
              error={errorFor('sensitivity')}
            />
          </SimpleGrid>
          <LabelInputs draft={draft} set={set} errorFor={errorFor} />
          {isChoice && <OptionsEditor draft={draft} set={set} saved={NO_SAVED_OPTIONS} error={errorFor('options')} />}
          <PurposesInput draft={draft} set={set} suggestions={purposeSuggestions} error={errorFor('purposes')} />
          <Checkbox label={t('admin.fields.required')} checked={draft.required} onChange={(e) => set('required', e.currentTarget.checked)} error={errorFor('required')} />
          {lookupApplies && (
            <Checkbox
              label={t('admin.fields.exactLookup')}
              description={t(rules.unique ? 'admin.fields.exactLookupUnique' : 'admin.fields.exactLookupHint')}
              checked={identity.exactLookup || rules.unique}
              disabled={rules.unique}
              onChange={(e) => setId('exactLookup', e.currentTarget.checked)}
              error={errorFor('lookup')}
            />
          )}
          <RuleInputs type={identity.type} draft={draft} set={set} problems={rules.problems} errorFor={errorFor} />
          {!named && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!valid}>
              {t('admin.fields.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
