import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';

interface InputErrors<K extends string> {
  /** The server's refusal, said under the input it named. */
  inputError: (input: K) => string | undefined;
  /** Whatever is not about one of the form's inputs, for the form as a whole. */
  formError: unknown;
}

/**
 * Splits a refused save (a 400, or a 409 like a repeated external id) between the input the
 * server named and the form. Known codes are said in the interface language, others in the
 * server's own words.
 */
export function useInputErrors<K extends string>(error: unknown, inputs: readonly K[]): InputErrors<K> {
  const { t } = useTranslation();
  if (!isApiError(error) || (error.status !== 400 && error.status !== 409) || !inputs.includes(error.field as K)) {
    return { inputError: () => undefined, formError: error };
  }
  const messages: Record<string, string | undefined> = { ...t('customers.fieldErrors', { returnObjects: true }), ...t('customers.sections.errors', { returnObjects: true }) };
  const message = messages[error.code] ?? error.message;
  return { inputError: (input) => (input === error.field ? message : undefined), formError: null };
}
