import { REASSIGN_BATCH, type BulkReassignResult } from './owner-api.js';

/** What a bulk reassignment did, over all its calls. */
export interface BulkReassignOutcome extends BulkReassignResult {
  /** Customers not sent because a call failed after earlier ones succeeded (that call's own included). */
  unsent: number;
  /** Why the rest was not sent; null when every call succeeded. */
  error: unknown;
}

/** The ids in runs of at most `size`, in order. */
export function batches<T>(ids: readonly T[], size: number = REASSIGN_BATCH): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < ids.length; start += size) runs.push(ids.slice(start, start + size));
  return runs;
}

/**
 * Hands the customers over in calls the server accepts (≤ REASSIGN_BATCH ids each), one after
 * another, telling `onProgress` how many were sent. Each call is its own transaction on the
 * server: when the first fails nothing changed and its error is thrown (the form shows it, e.g.
 * `owner_out_of_scope`); when a later one fails, the earlier changes stand, so the outcome says
 * what was done, what was not sent, and why.
 */
export async function reassignInBatches(
  ids: readonly string[],
  send: (batch: string[]) => Promise<BulkReassignResult>,
  onProgress: (sent: number) => void = () => undefined,
): Promise<BulkReassignOutcome> {
  const outcome: BulkReassignOutcome = { reassigned: 0, notFound: [], unsent: 0, error: null };
  const unique = [...new Set(ids)];
  let sent = 0;
  for (const batch of batches(unique)) {
    try {
      const result = await send(batch);
      outcome.reassigned += result.reassigned;
      outcome.notFound.push(...result.notFound);
    } catch (error) {
      if (sent === 0) throw error;
      return { ...outcome, unsent: unique.length - sent, error };
    }
    sent += batch.length;
    onProgress(sent);
  }
  return outcome;
}
