import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error.js';
import { batches, reassignInBatches } from './bulk-reassign.js';
import { REASSIGN_BATCH } from './owner-api.js';

const ids = (count: number) => Array.from({ length: count }, (_, index) => `id-${index}`);

describe('handing many customers over in calls the server accepts', () => {
  it('splits the ids into runs of at most 500, in order', () => {
    expect(batches(ids(0))).toEqual([]);
    expect(batches(ids(500)).map((run) => run.length)).toEqual([500]);
    expect(batches(ids(1201)).map((run) => run.length)).toEqual([500, 500, 201]);
    expect(batches(ids(1201)).flat()).toEqual(ids(1201));
    expect(REASSIGN_BATCH).toBe(500);
  });

  it('sends each run once, adds up what the server did and tells the progress after each', async () => {
    const sent: number[] = [];
    const progress: number[] = [];
    const outcome = await reassignInBatches(
      [...ids(1100), 'id-3'],
      async (batch) => {
        sent.push(batch.length);
        return { reassigned: batch.length - 1, notFound: [batch[0]!] };
      },
      (count) => progress.push(count),
    );
    // A repeated id is sent once.
    expect(sent).toEqual([500, 500, 100]);
    expect(progress).toEqual([500, 1000, 1100]);
    expect(outcome).toEqual({ reassigned: 1097, notFound: ['id-0', 'id-500', 'id-1000'], unsent: 0, error: null });
  });

  it('throws the first call’s error, when nothing changed, for the form to show', async () => {
    const refused = new ApiError(403, 'owner_out_of_scope', 'no', 'ownerId');
    await expect(reassignInBatches(ids(700), () => Promise.reject(refused))).rejects.toBe(refused);
  });

  it('keeps what earlier calls did when a later one fails, and says how many were not sent and why', async () => {
    const lost = new ApiError(0, 'network_error', 'offline');
    let calls = 0;
    const outcome = await reassignInBatches(ids(1200), async (batch) => {
      calls += 1;
      if (calls === 2) throw lost;
      return { reassigned: batch.length, notFound: [] };
    });
    expect(calls).toBe(2);
    expect(outcome).toEqual({ reassigned: 500, notFound: [], unsent: 700, error: lost });
  });
});
