/**
 * One-time tokens travel in the URL fragment (`#token=…`) so they never reach a server log.
 */
export function readFragmentToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && token.trim() ? token.trim() : null;
}

/** Once the token is spent, drop it from the address bar and history. */
export function forgetFragmentToken(): void {
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
