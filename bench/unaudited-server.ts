// Bench only: `custos serve` with the audit events of reads switched off — the baseline the
// audit benchmark measures the cost of read auditing against. The product has no such switch
// and must not get one. Everything else is what `custos serve` does (src/server/cli.ts): the
// configuration from the environment, the master key, the whole app, its background jobs and
// the line the bench waits for. The records gateway calls `audit.recordRead` on the audit
// service object itself when a read is answered, so replacing that property here reaches every
// read; bench/audit.ts checks it by counting `customer.viewed` events.
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { startJobs } from '../src/server/jobs.js';
import { createLocalKeyProvider, loadMasterKey } from '../src/server/keys/key-provider.js';

const config = loadConfig(process.env);
const master = loadMasterKey(process.env, config.dataDir);
if (master.generatedAt) process.stderr.write(`A new master key was written to ${master.generatedAt} (mode 0600).\n`);
const { app, services } = await buildApp({ config, keys: createLocalKeyProvider(master.key) });

// Resolves at once: the read is answered without its event being written or waited for.
services.audit.recordRead = () => Promise.resolve();

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// Hooks must be in place before listening: Fastify refuses new ones afterwards.
let stopJobs = () => undefined as void;
app.addHook('onClose', async () => stopJobs());
await app.listen({ host: config.host, port: config.port });
stopJobs = startJobs(services, app.log);
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl;
process.stdout.write(`Custos is running at ${url} (reads not audited: bench only)\n`);
