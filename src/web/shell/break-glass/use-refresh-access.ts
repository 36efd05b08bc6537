import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ME_QUERY_KEY } from '../../auth/use-me.js';
import { BREAK_GLASS_QUERY_KEY } from './break-glass-api.js';

/** Every cached piece of customer data starts with this key (records, lists, sections, fields). */
const CUSTOMER_DATA_KEY = ['customers'] as const;

/**
 * After break-glass starts or ends: `me` is read again so its policies (and the banner) follow,
 * and what is on screen of customers is read again with the access the user has now.
 */
export function useRefreshAccess(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    await Promise.all([queryClient.invalidateQueries({ queryKey: BREAK_GLASS_QUERY_KEY }), queryClient.invalidateQueries({ queryKey: CUSTOMER_DATA_KEY })]);
  }, [queryClient]);
}
