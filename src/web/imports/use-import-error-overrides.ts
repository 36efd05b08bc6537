import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';

/** The import API's error codes, each explained under `imports.errors`. */
const IMPORT_ERRORS = ['import_not_found', 'import_state', 'file_too_large', 'unreadable_file', 'match_column_missing'] as const;

/**
 * Words for the import's errors, for ErrorAlert's `overrides`. `mapping_invalid` names the
 * column (its header, in `field`) whose field the server refused.
 */
export function useImportErrorOverrides(error: unknown): Record<string, string> {
  const { t } = useTranslation();
  const overrides: Record<string, string> = Object.fromEntries(IMPORT_ERRORS.map((code) => [code, t(`imports.errors.${code}`)]));
  overrides.mapping_invalid = isApiError(error) && error.field ? t('imports.errors.mapping_invalid_column', { column: error.field }) : t('imports.errors.mapping_invalid');
  return overrides;
}
