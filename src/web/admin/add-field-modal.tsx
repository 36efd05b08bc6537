import { Checkbox, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea, Button } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, FIELD_TYPES, SENSITIVITY_CLASSES, type CustomerKind, type FieldType, type Sensitivity } from '../../shared/fields.js';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { CUSTOMER_QUERY_KEYS } from '../customers/customers-api.js';
import { useNotify } from '../ui/notifications.js';
import { adminApi, type NewFieldInput } from './admin-api.js';

/** The types whose values the server can look up exactly (a blind index on the normalized value). */
const EXACT_LOOKUP_TYPES: ReadonlySet<FieldType> = new Set(['text', 'email', 'phone', 'national_id', 'bank_card']);
const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(['select', 'multi_select']);

type FormField = 'kind' | 'key' | 'type' | 'labelEn' | 'labelZh' | 'sensitivity' | 'lookup' | 'options';

/** Which input a server error names (`labels.en`, `/labels/zh-CN`, …). */
function formFieldOf(field: string | undefined): FormField | null {
  if (!field) return null;
  const path = field.replace(/^\//, '').replace(/\//g, '.');
  if (path === 'labels' || path === 'labels.en') return 'labelEn';
  if (path === 'labels.zh-CN') return 'labelZh';
  if (path.startsWith('options')) return 'options';
  return (['kind', 'key', 'type', 'sensitivity', 'lookup'] as const).find((name) => name === path) ?? null;
}

const INITIAL = {
  kind: 'person' as CustomerKind,
  key: '',
  type: 'text' as FieldType,
  labelEn: '',
  labelZh: '',
  sensitivity: 'internal' as Sensitivity,
  required: false,
  exactLookup: false,
  options: '',
};

/** Adds a custom field to the registry; its type and class are fixed from then on. */
export function AddFieldModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(INITIAL);
  const set = <K extends keyof typeof INITIAL>(name: K, value: (typeof INITIAL)[K]) => setForm((current) => ({ ...current, [name]: value }));

  const lookupApplies = EXACT_LOOKUP_TYPES.has(form.type);
  const isChoice = CHOICE_TYPES.has(form.type);

  const create = useMutation({
    mutationFn: () => {
      const input: NewFieldInput = {
        kind: form.kind,
        key: form.key.trim(),
        type: form.type,
        labels: { en: form.labelEn.trim(), 'zh-CN': form.labelZh.trim() },
        sensitivity: form.sensitivity,
        required: form.required,
        lookup: lookupApplies && form.exactLookup ? 'exact' : 'none',
      };
      if (isChoice) {
        input.options = form.options
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
      }
      return adminApi.createField(input);
    },
    onSuccess: () => {
      notify(t('admin.fields.created', { key: form.key.trim() }));
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.fields });
      close();
    },
  });

  function close() {
    setForm(INITIAL);
    create.reset();
    onClose();
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  const errorMessages = t('admin.fields.errors', { returnObjects: true }) as Record<string, string | undefined>;
  const named = isApiError(create.error) ? formFieldOf(create.error.field) : null;
  const errorFor = (name: FormField) => (named === name && isApiError(create.error) ? (errorMessages[create.error.code] ?? create.error.message) : undefined);

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
              value={form.kind}
              onChange={(e) => set('kind', e.currentTarget.value as CustomerKind)}
              data={CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.kinds.${kind}`) }))}
              error={errorFor('kind')}
            />
            <TextInput
              label={t('admin.fields.key')}
              description={t('admin.fields.keyHint')}
              value={form.key}
              onChange={(e) => set('key', e.currentTarget.value)}
              required
              data-autofocus
              error={errorFor('key')}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <TextInput label={t('admin.fields.labelEn')} value={form.labelEn} onChange={(e) => set('labelEn', e.currentTarget.value)} required error={errorFor('labelEn')} />
            <TextInput label={t('admin.fields.labelZh')} value={form.labelZh} onChange={(e) => set('labelZh', e.currentTarget.value)} required error={errorFor('labelZh')} />
            <NativeSelect
              label={t('admin.fields.type')}
              value={form.type}
              onChange={(e) => set('type', e.currentTarget.value as FieldType)}
              data={FIELD_TYPES.map((type) => ({ value: type, label: t(`admin.fields.types.${type}`) }))}
              error={errorFor('type')}
            />
            <NativeSelect
              label={t('admin.fields.sensitivity')}
              value={form.sensitivity}
              onChange={(e) => set('sensitivity', e.currentTarget.value as Sensitivity)}
              data={SENSITIVITY_CLASSES.map((sensitivity) => ({ value: sensitivity, label: t(`customers.sensitivity.${sensitivity}`) }))}
              description={t(`customers.sensitivityHelp.${form.sensitivity}`)}
              error={errorFor('sensitivity')}
            />
          </SimpleGrid>
          {isChoice && (
            <Textarea
              label={t('admin.fields.options')}
              description={t('admin.fields.optionsHint')}
              value={form.options}
              onChange={(e) => set('options', e.currentTarget.value)}
              autosize
              minRows={3}
              maxRows={10}
              required
              withAsterisk={false}
              error={errorFor('options')}
            />
          )}
          <Checkbox label={t('admin.fields.required')} checked={form.required} onChange={(e) => set('required', e.currentTarget.checked)} />
          {lookupApplies && (
            <Checkbox
              label={t('admin.fields.exactLookup')}
              description={t('admin.fields.exactLookupHint')}
              checked={form.exactLookup}
              onChange={(e) => set('exactLookup', e.currentTarget.checked)}
              error={errorFor('lookup')}
            />
          )}
          {!named && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!form.key.trim() || !form.labelEn.trim() || !form.labelZh.trim()}>
              {t('admin.fields.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
