import { Grid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistryField } from './customers-api.js';
import { FieldInput } from './field-input.js';
import type { FormValue, FormValues } from './form-values.js';
import { isMaskedField } from './use-field-registry.js';

const WIDE_TYPES = new Set(['long_text', 'multi_select', 'tags']);

interface CustomerFieldInputsProps {
  fields: readonly RegistryField[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (key: string, value: FormValue) => void;
  /** Editing: the record as shown, whose masked values become placeholders of write-only inputs. */
  current?: Record<string, unknown>;
}

/** The inputs of a customer form, one per registry field in registry order; shared by create and edit. */
export function CustomerFieldInputs({ fields, values, errors, onChange, current }: CustomerFieldInputsProps) {
  const { t } = useTranslation();
  return (
    <Grid gutter="md">
      {fields.map((field) => {
        const masked = current !== undefined && isMaskedField(field);
        const shown = current?.[field.key];
        return (
          <Grid.Col key={field.key} span={{ base: 12, sm: WIDE_TYPES.has(field.type) ? 12 : 6 }}>
            <FieldInput
              field={field}
              value={values[field.key] ?? ''}
              onChange={(value) => onChange(field.key, value)}
              error={errors[field.key]}
              hint={masked && shown !== undefined ? t('customers.form.keepCurrent') : undefined}
              placeholder={masked && typeof shown === 'string' ? shown : undefined}
            />
          </Grid.Col>
        );
      })}
    </Grid>
  );
}
