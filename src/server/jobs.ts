import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './http/route-deps.js';

const PURGE_EVERY_MS = 60 * 60_000;
const BREAK_GLASS_EVERY_MS = 60_000;

/**
 * Background work the server runs while it serves, hourly: the purge of customers deleted more
 * than 30 days ago, and the clearing of field values past their retention period; each minute, the end of
 * break-glass grants past their time. Jobs call the same services (and so the same gateway, policy and audit)
 * as routes, with a system actor.
 */
export function startJobs(services: Pick<Services, 'vault' | 'breakGlass'>, log: FastifyBaseLogger): () => void {
  let running = false;
  const purge = async () => {
    if (running) return;
    running = true;
    try {
      let erased = 0;
      for (let batch = await services.vault.purgeDeleted(); batch > 0; batch = await services.vault.purgeDeleted()) erased += batch;
      if (erased > 0) log.info({ erased }, 'purged customers deleted more than 30 days ago');
      let cleared = 0;
      for (let batch = await services.vault.applyRetention(); batch > 0; batch = await services.vault.applyRetention()) cleared += batch;
      if (cleared > 0) log.info({ cleared }, 'cleared values past their retention period');
    } catch (error) {
      log.error({ errType: error instanceof Error ? error.name : 'unknown' }, 'purge failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  void purge();
  // Break-glass grants end on their own: record each one's end within a minute of its time.
  const closeGrants = async () => {
    try {
      const closed = await services.breakGlass.closeExpired();
      if (closed > 0) log.info({ closed }, 'break-glass grants expired');
    } catch (error) {
      log.error({ errType: error instanceof Error ? error.name : 'unknown' }, 'closing expired break-glass grants failed');
    }
  };
  const grants = setInterval(closeGrants, BREAK_GLASS_EVERY_MS);
  grants.unref();
  return () => {
    clearInterval(timer);
    clearInterval(grants);
  };
}
