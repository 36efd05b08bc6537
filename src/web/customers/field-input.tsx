import { Checkbox, Group, Input, NativeSelect, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../shared/fields.js';
import type { RegistryField } from './customers-api.js';
import type { FormValue, MoneyInput } from './form-values.js';
import { CompanySelect } from './company-link.js';
import { SensitivityBadge } from './sensitivity-badge.js';
import { useFieldLabel, useOptionLabel } from './use-field-registry.js';

interface FieldInputProps {
  field: RegistryField;
  value: FormValue;
  onChange: (value: FormValue) => void;
  error?: string;
  /** Shown under the class badge, e.g. "leave empty to keep" for a write-only masked value. */
  hint?: string;
  /** The masked current value, shown as the empty input's placeholder. */
  placeholder?: string;
}

/** The server's bounds for free labels (`field-values.ts`, type `tags`). */
const MAX_TAGS = 30;
const MAX_TAG_LENGTH = 40;

/** What each text-like type asks the browser for: keyboard, type and no autofill of the user's own data. */
const TEXT_INPUTS: Partial<Record<FieldType, { type?: string; inputMode?: 'tel' | 'email' | 'url' | 'numeric' | 'decimal' | 'text' }>> = {
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  url: { type: 'url', inputMode: 'url' },
  national_id: { inputMode: 'text' },
  bank_card: { inputMode: 'numeric' },
  number: { inputMode: 'decimal' },
  date: { type: 'date' },
  datetime: { type: 'datetime-local' },
};

/** One input for one registry field, chosen by its type; labelled in the interface language. */
export function FieldInput({ field, value, onChange, error, hint, placeholder }: FieldInputProps) {
  const { t } = useTranslation();
  const labelOf = useFieldLabel();
  const optionLabel = useOptionLabel();
  const label = labelOf(field);
  const description: ReactNode = (
    <Group component="span" gap={6} wrap="wrap">
      {/* "Required" is said here, not as an asterisk in the label, which would become part of the input's name. */}
      {field.required && (
        <Text span size="xs" c="red.8" fw={600}>
          {t('customers.form.required')}
        </Text>
      )}
      <SensitivityBadge sensitivity={field.sensitivity} />
      {hint && (
        <Text span size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Group>
  );
  const text = typeof value === 'string' ? value : '';
  const common = {
    label,
    description,
    error,
    required: field.required,
    withAsterisk: false,
    'data-field': field.key,
  };

  switch (field.type) {
    case 'long_text':
      return <Textarea {...common} value={text} placeholder={placeholder} onChange={(e) => onChange(e.currentTarget.value)} autosize minRows={2} maxRows={8} autoComplete="off" />;
    case 'select':
      return (
        <NativeSelect
          {...common}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[{ value: '', label: placeholder ?? t('customers.form.choose') }, ...(field.options ?? []).map((option) => ({ value: option, label: optionLabel(field, option) }))]}
        />
      );
    case 'boolean':
      return (
        <NativeSelect
          {...common}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[
            { value: '', label: placeholder ?? t('customers.form.choose') },
            { value: 'true', label: t('customers.yes') },
            { value: 'false', label: t('customers.no') },
          ]}
        />
      );
    case 'multi_select':
      return (
        <Checkbox.Group {...common} value={Array.isArray(value) ? value : []} onChange={onChange}>
          <Group gap="md" mt={6}>
            {(field.options ?? []).map((option) => (
              <Checkbox key={option} value={option} label={optionLabel(field, option)} />
            ))}
          </Group>
        </Checkbox.Group>
      );
    case 'tags':
      return (
        <TagsInput
          {...common}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
          placeholder={placeholder ?? t('customers.form.tagsHint')}
          splitChars={[',', '，', '、']}
          maxTags={MAX_TAGS}
          maxLength={MAX_TAG_LENGTH}
          clearable
        />
      );
    case 'company':
      return <CompanySelect {...common} value={text} onChange={onChange} />;
    case 'money':
      return <MoneyFieldInput field={field.key} label={label} description={description} error={error} required={field.required} value={typeof value === 'object' && !Array.isArray(value) ? value : { amount: '', currency: '' }} onChange={onChange} placeholder={placeholder} />;
    default: {
      const kind = TEXT_INPUTS[field.type] ?? {};
      return (
        <TextInput
          {...common}
          type={kind.type ?? 'text'}
          inputMode={kind.inputMode}
          value={text}
          placeholder={placeholder}
          onChange={(e) => onChange(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={field.type === 'url' ? 2000 : 1000}
        />
      );
    }
  }
}

function MoneyFieldInput({
  field,
  label,
  description,
  error,
  required,
  value,
  onChange,
  placeholder,
}: {
  field: string;
  label: string;
  description: ReactNode;
  error?: string;
  required: boolean;
  value: MoneyInput;
  onChange: (value: MoneyInput) => void;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  return (
    <Input.Wrapper label={label} description={description} error={error} withAsterisk={false}>
      <Stack gap={4} mt={4}>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            aria-label={`${label}: ${t('customers.form.amount')}`}
            placeholder={placeholder ?? t('customers.form.amount')}
            inputMode="decimal"
            required={required}
            data-field={field}
            value={value.amount}
            onChange={(e) => onChange({ ...value, amount: e.currentTarget.value })}
            error={Boolean(error)}
            style={{ flex: 1 }}
          />
          <TextInput
            aria-label={`${label}: ${t('customers.form.currency')}`}
            placeholder="CNY"
            maxLength={3}
            value={value.currency}
            onChange={(e) => onChange({ ...value, currency: e.currentTarget.value.toUpperCase() })}
            error={Boolean(error)}
            w={80}
          />
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}
