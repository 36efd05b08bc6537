import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Me, User } from '../api/types.js';
import { ME_QUERY_KEY } from '../auth/use-me.js';

/** Fold a changed user from an account answer into the cached `Me`. */
export function useUpdateMeUser(): (user: User) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (user: User) => {
      queryClient.setQueryData<Me>(ME_QUERY_KEY, (me) => (me ? { ...me, user } : me));
    },
    [queryClient],
  );
}
