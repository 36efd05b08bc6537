import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistryField } from './customers-api.js';
import { formatMoney, isMoney } from './money.js';
import { useOptionLabel } from './use-field-registry.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A value as a person reads it, in the interface language. Masked values are strings that do
 * not parse as their type, and are shown as they came.
 */
export function useFormatFieldValue(): (field: RegistryField | undefined, value: unknown) => string {
  const { t, i18n } = useTranslation();
  const optionLabel = useOptionLabel();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useCallback(
    (field, value) => {
      if (value === undefined || value === null) return '';
      if (typeof value === 'boolean') return value ? t('customers.yes') : t('customers.no');
      if (isMoney(value)) return formatMoney(value, language);
      if (Array.isArray(value)) {
        const items = value.map((item) => (field ? optionLabel(field, String(item)) : String(item)));
        return items.join(language.startsWith('zh') ? '、' : ', ');
      }
      if (typeof value === 'number') return new Intl.NumberFormat(language).format(value);
      if (typeof value !== 'string') return JSON.stringify(value);
      switch (field?.type) {
        case 'select':
          return optionLabel(field, value);
        case 'date':
          // A calendar date has no zone: format it as the same day everywhere.
          return ISO_DATE.test(value) ? new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`)) : value;
        case 'datetime': {
          const date = new Date(value);
          return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
        }
        default:
          return value;
      }
    },
    [t, language, optionLabel],
  );
}
