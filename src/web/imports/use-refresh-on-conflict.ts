import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { isApiError } from '../api/api-error.js';
import { importQueryKey } from './imports-api.js';

/**
 * `import_state` means the job moved on since the page showed it (another tab started it, it
 * finished): the mutation's `onError` asks for the job again, so the page shows where it stands.
 */
export function useRefreshOnConflict(id: string): (error: unknown) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (error: unknown) => {
      if (isApiError(error, 'import_state')) void queryClient.invalidateQueries({ queryKey: importQueryKey(id) });
    },
    [id, queryClient],
  );
}
