import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** What to call a customer in headings and messages: their name as shown (maybe masked), or "Unnamed". */
export function useCustomerName(): (record: Record<string, unknown> | undefined) => string {
  const { t } = useTranslation();
  return useCallback((record) => (typeof record?.name === 'string' && record.name.trim() ? record.name : t('customers.unnamed')), [t]);
}
