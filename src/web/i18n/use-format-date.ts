import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Formats an ISO time for the current language; null reads as "never". */
export function useFormatDate(): (iso: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useCallback(
    (iso) => {
      if (!iso) return t('common.never');
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
    },
    [language, t],
  );
}
