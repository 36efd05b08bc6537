import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Better words for what the list and its saved views can be refused, next to the customer pages' own. */
export function useListErrorOverrides(): Record<string, string> {
  const { t } = useTranslation();
  return useMemo(() => ({ ...t('customers.errors', { returnObjects: true }), ...t('customers.list.errors', { returnObjects: true }) }), [t]);
}
