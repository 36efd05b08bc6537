import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { setCsrfToken } from '../api/client.js';

/**
 * Forget everything this tab knew about the user once the server has ended the session
 * (sign-out, "sign out everywhere"), and go to sign-in.
 */
export function useForgetSession(): (notice?: string) => void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    (notice?: string) => {
      setCsrfToken(null);
      void Promise.resolve(navigate('/sign-in', { replace: true, state: notice ? { notice } : null })).then(() => queryClient.clear());
    },
    [navigate, queryClient],
  );
}
