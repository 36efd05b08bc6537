import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { setCsrfToken } from '../api/client.js';
import type { Me } from '../api/types.js';
import { authApi } from './auth-api.js';

export const ME_QUERY_KEY = ['me'] as const;

async function fetchMe(): Promise<Me> {
  const me = await authApi.me();
  setCsrfToken(me.csrfToken);
  return me;
}

/** The signed-in user, workspace and policies; a 401 sends the user to sign in (see api/client.ts). */
export function useMeQuery() {
  return useQuery({ queryKey: ME_QUERY_KEY, queryFn: fetchMe, staleTime: 60_000 });
}

/** Store a fresh `Me` (from sign-in) without another round trip. */
export function useStoreMe(): (me: Me) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (me: Me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(ME_QUERY_KEY, me);
    },
    [queryClient],
  );
}

export const MeContext = createContext<Me | null>(null);

/** Inside the signed-in shell, `Me` is always loaded. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() is only available inside the signed-in shell');
  return me;
}
