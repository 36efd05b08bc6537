import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import type { FieldProblems } from './form-values.js';

/**
 * Splits a failed save into the message for one input (the server names the field at fault)
 * and whatever is left for the form as a whole. Known problems are said in the interface
 * language; others in the server's own words.
 */
export function useFieldErrors(): (error: unknown, problems: FieldProblems, keys: readonly string[]) => { byField: Record<string, string>; formError: unknown } {
  const { t } = useTranslation();
  return useCallback(
    (error, problems, keys) => {
      const messages = t('customers.fieldErrors', { returnObjects: true }) as Record<string, string | undefined>;
      const byField: Record<string, string> = {};
      for (const [key, problem] of Object.entries(problems)) byField[key] = messages[problem] ?? problem;
      if (isApiError(error) && error.field && keys.includes(error.field)) {
        byField[error.field] = messages[error.code] ?? error.message;
        return { byField, formError: null };
      }
      return { byField, formError: error };
    },
    [t],
  );
}

/** Better words than the generic ones for codes the customer pages meet. */
export function useCustomerErrorOverrides(): Record<string, string> {
  const { t } = useTranslation();
  return t('customers.errors', { returnObjects: true });
}
