import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Messages } from '../i18n/en.js';
import { ApiError } from './api-error.js';

type ErrorKey = `errors.${Exclude<keyof Messages['errors'], 'waitSeconds_one' | 'waitSeconds_other' | 'waitMinutes_one' | 'waitMinutes_other'>}`;

function waitText(t: TFunction, seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds >= 120) return t('errors.waitMinutes', { count: Math.ceil(seconds / 60) });
  return t('errors.waitSeconds', { count: Math.max(1, seconds) });
}

/** The translated sentence for an error; unknown codes get the generic one. */
export function describeError(error: unknown, t: TFunction, exists: (key: string) => boolean): string {
  if (!(error instanceof ApiError)) return t('errors.generic');
  if (error.status === 429) {
    const base = exists(`errors.${error.code}`) ? t(`errors.${error.code}` as ErrorKey) : t('errors.too_many_attempts');
    return [base, waitText(t, error.retryAfterSeconds)].filter(Boolean).join(' ');
  }
  if (error.code === 'invalid_input' && error.field) return t('errors.invalid_input_field', { field: error.field });
  if (exists(`errors.${error.code}`)) return t(`errors.${error.code}` as ErrorKey);
  return t('errors.generic');
}

export function useErrorMessage(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback((error: unknown) => describeError(error, t, (key) => i18n.exists(key)), [t, i18n]);
}
