import type { FastifyBaseLogger } from 'fastify';
import type { Services } from './http/route-deps.js';

const HOUR_MS = 60 * 60_000;
const MINUTE_MS = 60_000;
const DETECT_EVERY_MS = 5_000;

/**
 * Background work the server runs while it serves. Hourly: the purge of customers deleted more
 * than 30 days ago, the clearing of field values past their retention period, the audit
 * trail's pruning past its retention period and (PostgreSQL) its monthly partitions made ahead. Each minute: the end of break-glass grants
 * past their time, a signed checkpoint of every audit chain that moved, and the backup schedule. Jobs call the same
 * services (and so the same gateway, policy and audit) as routes, with a system actor. Returns
 * the function that stops them.
 */
export function startJobs(services: Pick<Services, 'vault' | 'breakGlass' | 'auditIntegrity' | 'alerts' | 'backupSchedule' | 'exports' | 'imports' | 'quality'>, log: FastifyBaseLogger): () => void {
  // An import this server was running when it stopped is not running now: it waits to be resumed (imports/service.ts).
  services.imports.markInterrupted().then(
    (interrupted) => interrupted > 0 && log.warn({ interrupted }, 'imports interrupted by the last stop wait to be resumed'),
    (error: unknown) => log.error({ err: error }, 'could not mark interrupted imports'),
  );
  const timers = [
    every(HOUR_MS, log, 'purge', async () => {
      let erased = 0;
      for (let batch = await services.vault.purgeDeleted(); batch > 0; batch = await services.vault.purgeDeleted()) erased += batch;
      if (erased > 0) log.info({ erased }, 'purged customers deleted more than 30 days ago');
      let cleared = 0;
      for (let batch = await services.vault.applyRetention(); batch > 0; batch = await services.vault.applyRetention()) cleared += batch;
      if (cleared > 0) log.info({ cleared }, 'cleared values past their retention period');
    }),
    every(HOUR_MS, log, 'audit partitions and retention', async () => {
      const made = await services.auditIntegrity.ensurePartitions();
      if (made > 0) log.info({ made }, 'made audit partitions');
      const pruned = await services.auditIntegrity.prune();
      if (pruned > 0) log.info({ pruned }, 'pruned audit events past their retention period');
    }),
    // Export files live an hour (exports/service.ts): expired ones deleted with their keys; jobs a restart cut short failed.
    every(HOUR_MS, log, 'export sweep', async () => {
      const { expired, interrupted } = await services.exports.sweep();
      if (expired + interrupted > 0) log.info({ expired, interrupted }, 'swept customer exports');
    }),
    // Uploaded files wait 7 days to be imported or resumed (imports/service.ts), then are deleted.
    every(HOUR_MS, log, 'import sweep', async () => {
      const swept = await services.imports.sweep();
      if (swept > 0) log.info({ swept }, 'deleted uploaded import files past their time');
    }),
    // A fresh data-quality report each night for the workspaces that use it (quality/service.ts: 03:00–05:00).
    every(HOUR_MS, log, 'nightly data-quality report', async () => {
      const ran = await services.quality.nightly();
      if (ran > 0) log.info({ ran }, 'ran the nightly data-quality reports');
    }),
    // Break-glass grants end on their own: record each one's end within a minute of its time.
    every(MINUTE_MS, log, 'break-glass expiry', async () => {
      const closed = await services.breakGlass.closeExpired();
      if (closed > 0) log.info({ closed }, 'break-glass grants expired');
    }),
    every(MINUTE_MS, log, 'audit checkpoints', () => services.auditIntegrity.signHeads()),
    // The audit trail's index by object catches up on runs a failed pass or another process (the CLI) left.
    every(MINUTE_MS, log, 'audit object index', () => services.auditIntegrity.indexObjects()),
    // Detection rules read the audit trail every few seconds: an alert follows its cause closely (alerts/service.ts).
    every(DETECT_EVERY_MS, log, 'alert detection', async () => {
      const { raised, mailFailed } = await services.alerts.runOnce();
      if (raised > 0) log.warn({ raised }, 'detection rules raised alerts');
      if (mailFailed > 0) log.error({ mailFailed }, 'alert mail was not accepted by the SMTP server');
    }),
    // The backup schedule (backup/schedule.ts) is checked each minute: a run starts within a minute of its time.
    every(MINUTE_MS, log, 'scheduled backup', async () => {
      const { ran, overdueTold, mailFailed } = await services.backupSchedule.tick();
      if (ran) log.info({ run: ran }, 'scheduled backup ran');
      if (overdueTold) log.warn('backups are overdue: no backup succeeded for 26 hours');
      if (mailFailed > 0) log.error({ mailFailed }, 'backup alert mail was not accepted by the SMTP server');
    }),
  ];
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}

/** Runs `job` now and then every `ms`, never two runs at once; a failure is logged by its kind only. */
function every(ms: number, log: FastifyBaseLogger, name: string, job: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (error) {
      log.error({ job: name, errType: error instanceof Error ? error.name : 'unknown' }, 'background job failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, ms);
  timer.unref();
  void run();
  return timer;
}
