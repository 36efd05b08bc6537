import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { conflict } from '../http/errors.js';
import { RewrapCancelled, type KeyRotation, type RewrapProgress } from '../vault/key-rotation.js';

export type RewrapState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/** What `GET /api/admin/keys` says about a workspace's rewrap: the same progress the CLI prints. */
export interface RewrapStatus extends RewrapProgress {
  state: RewrapState;
  startedAt: string | null;
  finishedAt: string | null;
  error?: string;
}

const IDLE: RewrapStatus = { state: 'idle', done: 0, total: 0, rate: 0, eta: null, startedAt: null, finishedAt: null };

/** Said instead of the error itself, whose message could quote what the database choked on. */
const FAILED_MESSAGE = 'The rewrap stopped on an error. The customer keys it moved stay moved; start it again to resume.';

interface Job {
  status: RewrapStatus;
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * Runs the rewrap of the web app in the background, one per workspace, and keeps its progress
 * in memory. Each batch is its own transaction, so a cancel (or a restart of the server,
 * which forgets the progress) loses nothing: starting again picks up the keys still left.
 * Two app servers could each run one for the same workspace; that is harmless (each key ends
 * up wrapped by the current version either way), only wasted work.
 */
export function createRewrapJobs({ keyRotation, clock, onFailure }: { keyRotation: Pick<KeyRotation, 'rewrap'>; clock: Clock; onFailure: (error: unknown) => void }) {
  const jobs = new Map<string, Job>();
  const now = () => clock.now().toISOString();
  const isRunning = (workspaceId: string) => jobs.get(workspaceId)?.status.state === 'running';

  function finish(job: Job, state: Exclude<RewrapState, 'idle' | 'running'>, extra: Partial<RewrapStatus> = {}): void {
    job.status = { ...job.status, ...extra, state, eta: state === 'done' ? 0 : null, finishedAt: now() };
  }

  return {
    status(workspaceId: string): RewrapStatus {
      return jobs.get(workspaceId)?.status ?? IDLE;
    },

    isRunning,

    /** Starts a rewrap unless one is running; answers at once with its first status. */
    start(actor: Actor): RewrapStatus {
      if (isRunning(actor.workspaceId)) throw conflict('rewrap_running', 'A rewrap is already running for this workspace.');
      const controller = new AbortController();
      const job: Job = { status: { ...IDLE, state: 'running', startedAt: now() }, controller, finished: Promise.resolve() };
      jobs.set(actor.workspaceId, job);
      job.finished = keyRotation
        .rewrap(
          actor,
          (progress) => {
            job.status = { ...job.status, ...progress };
          },
          undefined,
          controller.signal,
        )
        .then(
          ({ rewrapped }) => finish(job, 'done', { done: rewrapped, total: Math.max(job.status.total, rewrapped) }),
          (error: unknown) => {
            if (error instanceof RewrapCancelled) return finish(job, 'cancelled');
            onFailure(error);
            finish(job, 'failed', { error: FAILED_MESSAGE });
          },
        );
      return job.status;
    },

    /** Stops the running rewrap after its current batch; resolves once it has stopped. */
    async cancel(workspaceId: string): Promise<RewrapStatus> {
      const job = jobs.get(workspaceId);
      if (!job || job.status.state !== 'running') throw conflict('rewrap_not_running', 'No rewrap is running for this workspace.');
      job.controller.abort();
      await job.finished;
      return job.status;
    },

    /** Stops every running rewrap (the server is shutting down) and waits for them. */
    async stopAll(): Promise<void> {
      for (const job of jobs.values()) job.controller.abort();
      await Promise.all([...jobs.values()].map((job) => job.finished));
    },
  };
}
