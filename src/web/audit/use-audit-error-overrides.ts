import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** The audit API's own error codes, in the page's words. */
export function useAuditErrorOverrides(): Record<string, string> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      invalid_time: t('audit.errors.invalid_time'),
      invalid_range: t('audit.errors.invalid_range'),
      invalid_cursor: t('audit.errors.invalid_cursor'),
      exposure_subject: t('audit.errors.exposure_subject'),
      exposure_too_broad: t('audit.errors.exposure_too_broad'),
      forbidden: t('audit.errors.forbidden'),
    }),
    [t],
  );
}
