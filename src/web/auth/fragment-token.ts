import { useState } from 'react';
import { useLocation } from 'react-router';

/**
 * One-time tokens travel in the URL fragment (`#token=…`) so they never reach a server log.
 */
function readFragmentToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() ? token.trim() : null;
}

/**
 * The token of the current link, kept once read: it survives `forgetFragmentToken()`, and a
 * link pasted into a tab already on the page (a same-document hash change) still counts.
 */
export function useFragmentToken(): string | null {
  const { hash } = useLocation();
  const fromHash = readFragmentToken(hash);
  const [token, setToken] = useState(fromHash);
  if (fromHash && fromHash !== token) setToken(fromHash);
  return fromHash ?? token;
}

/** Once the token is spent, drop it from the address bar and history. */
export function forgetFragmentToken(): void {
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
