import type { Alert } from './alerts-api.js';

/** A calendar day in the user's own time zone, as the audit page's `from` and `to` take it. */
function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The audit page filtered to whoever the alert is about (the token, for a token rule) over the
 * days its window spans: the events behind the alert, and what the same person did around them.
 */
export function auditLinkFor(alert: Pick<Alert, 'actor' | 'tokenId' | 'windowStart' | 'windowEnd'>): string | null {
  const actor = alert.tokenId ?? alert.actor.id;
  if (!actor) return null;
  const params = new URLSearchParams({ actor, from: localDay(alert.windowStart), to: localDay(alert.windowEnd) });
  return `/audit?${params.toString()}`;
}
