import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerKind } from '../../shared/fields.js';
import { toLanguage } from '../i18n/languages.js';
import { CUSTOMER_QUERY_KEYS, customersApi, type RegistryField } from './customers-api.js';

/** The workspace's field registry: which fields customers have, their labels, types and classes. */
export function useFieldRegistry() {
  return useQuery({ queryKey: CUSTOMER_QUERY_KEYS.fields, queryFn: customersApi.fields, staleTime: 60_000, select: (data) => data.items });
}

/** The fields offered for a kind of customer, in registry order (archived ones left out). */
export function fieldsOfKind(fields: readonly RegistryField[], kind: CustomerKind): RegistryField[] {
  return fields.filter((field) => field.kind === kind && !field.archived);
}

export function findField(fields: readonly RegistryField[] | undefined, kind: CustomerKind, key: string): RegistryField | undefined {
  return fields?.find((field) => field.kind === kind && field.key === key);
}

/** A field's label in the interface language (the registry carries both). */
export function useFieldLabel(): (field: RegistryField) => string {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.resolvedLanguage ?? i18n.language);
  return useCallback((field: RegistryField) => field.labels[language] || field.labels.en || field.key, [language]);
}

/** A choice's words: translated for built-in fields, as defined for custom ones. */
export function useOptionLabel(): (field: RegistryField, option: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (field: RegistryField, option: string) => {
      if (!field.builtIn) return option;
      const byField = t('customers.options', { returnObjects: true }) as Record<string, Record<string, string> | undefined>;
      return byField[field.key]?.[option] ?? option;
    },
    [t],
  );
}

/** Sensitive values never leave the server in clear except through a reveal. */
export function isMaskedField(field: RegistryField | undefined): boolean {
  return field?.sensitivity === 'sensitive';
}
