import { useTranslation } from 'react-i18next';

/** The duplicates page's words for the errors its actions can meet, by code (the server's messages are in English). */
export function useDuplicateErrors(): Record<string, string> {
  const { t } = useTranslation();
  return t('duplicates.errors', { returnObjects: true }) as Record<string, string>;
}
