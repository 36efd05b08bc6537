import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { BULK_WRITER, IMPORT_WRITER, migrateToLatest, openDatabase, type DatabaseOptions } from './db/database.js';
import { AppError } from './http/errors.js';
import { createLocalKeyProvider, KeyError, loadMasterKey, type KeyProvider } from './keys/key-provider.js';
import type { TokenNarrowing } from './access/engine.js';
import { OBJECTS, type ObjectKey } from '../shared/permissions.js';
import { systemActor, type Actor } from './actor.js';
import type { Services } from './http/route-deps.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from './auth/token-service.js';
import { createDemoGenerator } from './demo/generate.js';
import { startJobs } from './jobs.js';
import fs from 'node:fs';
import type { Checkpoint } from './audit/chain.js';
import type { ChainReport } from './audit/verify.js';
import path from 'node:path';
import { systemClock } from './clock.js';
import { BackupError } from './backup/backup.js';
import { BackupFormatError } from './backup/format.js';
import { PgToolError } from './backup/postgres.js';
import { readErasuresFrom, reapplyErasures, restoreBackup } from './backup/restore.js';
import { createBackupService, describeVerification, existingMasterKey, progressLines, recordRestored } from './backup/service.js';
import { verifyBackup } from './backup/verify.js';
import { recoverFromBackup } from './backup/recover.js';
import { MAX_RECOVER_BATCH } from './vault/gateway.js';
import { parseMappingFile, type MappingFileValue } from './imports/parse/index.js';

/** A mistake of the person at the terminal: printed as one line, exit code 2. */
class UsageError extends Error {}

interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  readStdin: async () => {
    if (process.stdin.isTTY) throw new UsageError('--password-stdin reads the password from standard input: pipe it in.');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
};

interface Verb {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many bare arguments the verb takes (e.g. `team add NAME`); none unless said. */
  positionals?: number;
  run(values: Record<string, string | boolean | undefined>, io: Io, positionals: string[]): Promise<number>;
}

function keysFor(config: Config, io: Io) {
  const master = loadMasterKey(io.env, config.dataDir);
  if (master.generatedAt) {
    io.err(`A new master key was written to ${master.generatedAt} (mode 0600).`);
    io.err('Keep a copy of it apart from your backups: without it, encrypted data cannot be read.');
  }
  return createLocalKeyProvider(master.key);
}

function describeChain(report: ChainReport): string {
  const name = report.workspaceId === '*' ? 'installation' : `workspace ${report.workspaceId}`;
  if (report.problem) return `FAIL ${name}: ${report.problem.message}`;
  const tail = report.unsigned > 0 ? `, ${report.unsigned} after the last checkpoint (not yet signed)` : '';
  return `ok   ${name}: ${report.events} events, ${report.checkpoints} checkpoints, signed through #${report.signedThrough}${tail}`;
}

/** Checkpoints exported earlier (`custos audit checkpoints`): one JSON object a line. */
function readCheckpoints(file: string): Checkpoint[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read the checkpoints file ${file}`);
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let value: Partial<Checkpoint>;
      try {
        value = JSON.parse(line) as Partial<Checkpoint>;
      } catch {
        throw new UsageError(`${file}:${i + 1} is not JSON`);
      }
      const strings = ['workspaceId', 'hash', 'at', 'keyFingerprint', 'signature'] as const;
      if (!Number.isSafeInteger(value.seq) || strings.some((key) => typeof value[key] !== 'string')) throw new UsageError(`${file}:${i + 1} is not a checkpoint`);
      return value as Checkpoint;
    });
}

async function withApp<T>(io: Io, work: (built: Awaited<ReturnType<typeof buildApp>>, keys: KeyProvider, config: Config) => Promise<T>, database: Partial<DatabaseOptions> = {}): Promise<T> {
  const config = loadConfig(io.env);
  const opened = openDatabase({ ...config, ...database });
  try {
    const keys = keysFor(config, io);
    const built = await buildApp({ config, keys, logger: false, database: opened });
    try {
      return await work(built, keys, config);
    } finally {
      await built.app.close();
    }
  } finally {
    await opened.close();
  }
}

/** Customers a transaction: bigger batches write each touched index page fewer times. */
const SEED_BATCH = 5_000;

/** Rewraps with a progress line on stderr and the summary as JSON on stdout. */
async function rewrapWithProgress(io: Io, services: Services, actor: Actor): Promise<number> {
  const result = await services.keyRotation.rewrap(actor, (p) => {
    io.err(`rewrap: ${p.done}/${p.total} customer keys, ${Math.round(p.rate)}/s${p.eta === null ? '' : `, about ${Math.ceil(p.eta)} s left`}`);
  });
  io.out(JSON.stringify(result));
  return 0;
}

const verbs: Record<string, Verb> = {
  serve: {
    summary: 'Start the web server (migrates the database first).',
    usage: 'custos serve',
    options: {},
    async run(_values, io) {
      const config = loadConfig(io.env);
      const { app, services } = await buildApp({ config, keys: keysFor(config, io) });
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
      // PORT=0 asks the system for a free port: print the one it gave.
      const url = config.port === 0 ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl;
      io.out(`Custos is running at ${url}`);
      io.out(`Data: ${config.databaseUrl ? 'PostgreSQL' : config.sqlitePath}`);
      const setupToken = await services.workspaces.issueSetupToken();
      if (setupToken) {
        io.out(`First run: create the first administrator at ${url}/setup#token=${setupToken}`);
        io.out('(the link works once, until this server stops; or run `custos create-admin` instead)');
      } else {
        io.out(`Sign in at ${url}/sign-in with your email, password and authenticator code.`);
      }
      return new Promise<number>(() => undefined);
    },
  },

  migrate: {
    summary: 'Bring the database schema up to date and exit.',
    usage: 'custos migrate',
    options: {},
    async run(_values, io) {
      const config = loadConfig(io.env);
      const database = openDatabase(config);
      try {
        const result = await migrateToLatest(database.db);
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
        return 0;
      } finally {
        await database.close();
      }
    },
  },

  'create-admin': {
    summary: 'Create a workspace and its first owner without the browser (for scripts).',
    usage: 'custos create-admin --email E --password-stdin [--workspace NAME] [--name DISPLAY_NAME]',
    options: {
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      workspace: { type: 'string' },
      name: { type: 'string' },
    },
    async run(values, io) {
      const email = values.email;
      if (typeof email !== 'string') throw new UsageError('--email is required');
      if (!values['password-stdin']) throw new UsageError('--password-stdin is required: the password is read from standard input');
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      const workspaceName = typeof values.workspace === 'string' ? values.workspace : 'Default';
      const displayName = typeof values.name === 'string' ? values.name : email.split('@')[0] || email;
      return withApp(io, async ({ services }) => {
        const { workspaceId, user } = await services.workspaces.createWithOwner({ workspaceName, email, displayName, password });
        io.out(`Created workspace "${workspaceName}" (${workspaceId}) and its owner ${user.email}.`);
        return 0;
      });
    },
  },

  'audit verify': {
    summary: 'Check the audit trail against its hash chains and signed checkpoints; exits 1 and names the first bad entry.',
    usage: 'custos audit verify [--workspace NAME] [--checkpoints FILE] [--json]',
    options: { workspace: { type: 'string' }, checkpoints: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, io) {
      const external = typeof values.checkpoints === 'string' ? readCheckpoints(values.checkpoints) : [];
      return withApp(io, async ({ services }) => {
        const workspaceId = typeof values.workspace === 'string' ? (await services.workspaces.resolve(values.workspace)).id : undefined;
        const started = performance.now();
        const reports = await services.auditIntegrity.verify({ workspaceId, external });
        const seconds = (performance.now() - started) / 1000;
        const events = reports.reduce((sum, report) => sum + report.events, 0);
        for (const report of reports) {
          await services.audit.record(systemActor(report.workspaceId, 'cli'), {
            action: 'audit.verified',
            outcome: report.problem ? 'failure' : 'success',
            metadata: { events: report.events, problem: report.problem ? { seq: report.problem.seq, kind: report.problem.kind } : null },
          });
        }
        if (values.json) io.out(JSON.stringify({ ok: reports.every((r) => !r.problem), events, seconds, workspaces: reports }));
        else for (const report of reports) io.out(describeChain(report));
        if (!values.json) io.err(`Checked ${events} events in ${seconds.toFixed(2)} s (${Math.round(events / Math.max(seconds, 1e-6))}/s).`);
        return reports.every((report) => !report.problem) ? 0 : 1;
      });
    },
  },

  'audit checkpoints': {
    summary: 'Sign the audit chains\' current heads, then write every checkpoint as JSON lines, to keep apart from the server.',
    usage: 'custos audit checkpoints [--workspace NAME] [--out FILE]',
    options: { workspace: { type: 'string' }, out: { type: 'string' } },
    async run(values, io) {
      return withApp(io, async ({ services }) => {
        const workspaceId = typeof values.workspace === 'string' ? (await services.workspaces.resolve(values.workspace)).id : undefined;
        await services.auditIntegrity.signHeads();
        const checkpoints = await services.auditIntegrity.list(workspaceId);
        const lines = checkpoints.map((checkpoint) => JSON.stringify(checkpoint)).join('\n') + (checkpoints.length > 0 ? '\n' : '');
        if (typeof values.out === 'string') {
          fs.writeFileSync(values.out, lines, { mode: 0o600 });
          io.err(`Wrote ${checkpoints.length} checkpoints (key ${services.auditIntegrity.fingerprint}) to ${values.out}.`);
        } else {
          process.stdout.write(lines);
        }
        for (const id of new Set(checkpoints.map((checkpoint) => checkpoint.workspaceId))) {
          await services.audit.record(systemActor(id, 'cli'), {
            action: 'audit.checkpoints_exported',
            outcome: 'success',
            metadata: { count: checkpoints.filter((checkpoint) => checkpoint.workspaceId === id).length },
          });
        }
        return 0;
      });
    },
  },

  backup: {
    summary: 'Write an encrypted, consistent backup of the installation to a new file, while the server runs.',
    usage: 'custos backup --out FILE [--json]',
    options: { out: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, io) {
      const out = values.out;
      if (typeof out !== 'string') throw new UsageError('--out FILE is required');
      return withApp(io, async ({ services, database, clock }, keys, config) => {
        const backups = createBackupService({ database, databaseUrl: config.databaseUrl, dataDir: config.dataDir, keys, clock, audit: services.audit });
        const result = await backups.create({ out, by: 'cli', onProgress: progressLines(io.err, 'backup') });
        const rows = Object.values(result.manifest.tables).reduce((sum, n) => sum + n, 0);
        if (values.json) io.out(JSON.stringify({ file: result.file, bytes: result.bytes, image: result.image, passes: result.passes, seconds: result.seconds, manifest: result.manifest }));
        else io.out(`Wrote ${result.file}: ${result.bytes} bytes, ${rows} rows in ${Object.keys(result.manifest.tables).length} tables, in ${result.seconds.toFixed(2)} s.`);
        io.err('It opens only with this installation’s master key: keep a copy of the key apart from the backups. Check it with `custos backup verify`.');
        return 0;
      });
    },
  },

  'backup verify': {
    summary: 'Restore a backup into a temporary database and check it (integrity, row counts, audit chains); exits 1 naming the problem.',
    usage: 'custos backup verify FILE [--json]',
    options: { json: { type: 'boolean' } },
    positionals: 1,
    async run(values, io, positionals) {
      const file = positionals[0];
      if (!file) throw new UsageError('the backup FILE is required');
      if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist`);
      const config = loadConfig(io.env);
      const onProgress = progressLines(io.err, 'verify');
      // Recorded in the installation configured here, when there is one; a backup can be checked on a machine without it.
      const report =
        config.databaseUrl || fs.existsSync(config.sqlitePath)
          ? await withApp(io, ({ services, database, clock }, keys) =>
              createBackupService({ database, databaseUrl: config.databaseUrl, dataDir: config.dataDir, keys, clock, audit: services.audit }).verify(file, { by: 'cli', onProgress }),
            )
          : await verifyBackup(file, createLocalKeyProvider(existingMasterKey(io.env, config.dataDir).key), { databaseUrl: null, clock: systemClock, onProgress });
      if (values.json) io.out(JSON.stringify(report));
      else io.out(describeVerification(file, report));
      if (!values.json) io.err(`Checked in ${report.seconds.toFixed(2)} s${report.restoreSeconds === null ? '' : ` (the restore took ${report.restoreSeconds.toFixed(2)} s)`}.`);
      return report.ok ? 0 : 1;
    },
  },

  'backup recover': {
    summary: 'Set customers back to what a backup held (to undo a bad bulk edit), through the records gateway; --dry-run only lists the fields that differ.',
    usage: 'custos backup recover --from FILE --customer ID [--customer ID…] [--workspace NAME] [--dry-run] [--json]',
    options: { from: { type: 'string' }, customer: { type: 'string', multiple: true }, workspace: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
    async run(values, io) {
      const file = values.from;
      const ids = Array.isArray(values.customer) ? values.customer.filter((id): id is string => typeof id === 'string') : [];
      if (typeof file !== 'string') throw new UsageError('--from FILE is required');
      if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist`);
      if (ids.length < 1 || ids.length > MAX_RECOVER_BATCH) throw new UsageError(`give 1 to ${MAX_RECOVER_BATCH} customers: --customer ID`);
      return withApp(io, async ({ services }, keys, config) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const report = await recoverFromBackup({ vault: services.vault, keys, databaseUrl: config.databaseUrl }, systemActor(workspace.id, 'cli'), { path: file }, ids, { dryRun: Boolean(values['dry-run']) });
        if (values.json) io.out(JSON.stringify(report));
        else for (const customer of report.customers) io.out(`${customer.id}: ${customer.fields.length === 0 ? 'as in the backup' : `${report.dryRun ? 'would set back' : 'set back'} ${customer.fields.join(', ')}`}`);
        io.err(`${report.dryRun ? 'Dry run: nothing written. ' : ''}Backup of ${report.backupCreatedAt}.`);
        return 0;
      });
    },
  },

  restore: {
    summary: 'Restore a backup as a new installation: a new data directory (SQLite) or an empty PostgreSQL schema; never replaces a database without --force.',
    usage: 'custos restore --from FILE (--data-dir DIR | --database-url URL) [--force] [--reapply-erasures-from LIVE_DIR_OR_URL] [--json]',
    options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, force: { type: 'boolean' }, 'reapply-erasures-from': { type: 'string' }, json: { type: 'boolean' } },
    async run(values, io) {
      const file = values.from;
      const dataDir = typeof values['data-dir'] === 'string' ? path.resolve(values['data-dir']) : null;
      const databaseUrl = typeof values['database-url'] === 'string' ? values['database-url'] : null;
      if (typeof file !== 'string') throw new UsageError('--from FILE is required');
      if ((dataDir === null) === (databaseUrl === null)) throw new UsageError('give one target: --data-dir DIR (SQLite) or --database-url URL (PostgreSQL)');
      const config = loadConfig(io.env);
      const keys = createLocalKeyProvider(existingMasterKey(io.env, config.dataDir).key);
      // The old installation's erasures are read first: restoring may replace it.
      const live = typeof values['reapply-erasures-from'] === 'string' ? values['reapply-erasures-from'] : null;
      if (live && (live === databaseUrl || path.resolve(live) === dataDir)) throw new UsageError('--reapply-erasures-from names the restore target itself');
      const erasures = live ? await readErasuresFrom(live) : [];

      const report = await restoreBackup({ file, keys, to: dataDir ? { dataDir } : { databaseUrl: databaseUrl! }, force: Boolean(values.force), onProgress: progressLines(io.err, 'restore') });
      const target = loadConfig({ ...io.env, CUSTOS_DATA_DIR: dataDir ?? config.dataDir, CUSTOS_DATABASE_URL: databaseUrl ?? '' });
      const opened = openDatabase(target);
      let reapplied: number;
      try {
        const { app, services } = await buildApp({ config: target, keys, logger: false, database: opened });
        try {
          reapplied = await reapplyErasures(services.vault, erasures);
          await recordRestored(opened.db, services.audit, file, report, reapplied);
        } finally {
          await app.close();
        }
      } finally {
        await opened.close();
      }
      if (values.json) io.out(JSON.stringify({ restoredTo: report.restoredTo, rows: report.rows, seconds: report.seconds, erasuresReapplied: reapplied, manifest: report.manifest }));
      else io.out(`Restored the backup of ${report.manifest.createdAt} (${report.rows} rows) into ${report.restoredTo} in ${report.seconds.toFixed(2)} s${live ? `; re-applied ${reapplied} erasures recorded since` : ''}.`);
      const keyFile = io.env.CUSTOS_MASTER_KEY ? null : path.resolve(io.env.CUSTOS_MASTER_KEY_FILE || path.join(config.dataDir, 'master.key'));
      if (dataDir && keyFile && keyFile !== path.join(dataDir, 'master.key')) io.err(`Start Custos on it with CUSTOS_DATA_DIR=${dataDir} CUSTOS_MASTER_KEY_FILE=${keyFile}: without that key it cannot read this data.`);
      if (!live) io.err('Customers erased since the backup was made are readable again: re-apply their erasures (see docs/OPERATIONS.md, Backups).');
      return 0;
    },
  },

  'keys status': {
    summary: 'Show the key versions of a workspace and how many customer keys each wraps.',
    usage: 'custos keys status [--workspace NAME] [--json]',
    options: { workspace: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, io) {
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const keys = await services.keyRotation.status(workspace.id);
        if (values.json) {
          io.out(JSON.stringify({ workspace: workspace.name, keys }));
          return 0;
        }
        io.out(`Workspace "${workspace.name}"`);
        if (keys.length === 0) io.out('  no keys yet (they are made with the first customer)');
        for (const key of keys) {
          const state = key.retiredAt ? `retired ${key.retiredAt}` : 'in use';
          const wraps = key.subjectKeys === null ? '' : `, wraps ${key.subjectKeys} customer keys`;
          io.out(`  ${key.purpose} key v${key.version}: ${state}, created ${key.createdAt}, under master key ${key.masterKeyId}${wraps}`);
        }
        return 0;
      });
    },
  },

  'keys rotate': {
    summary: 'Make a new data key version and move every customer key to it (resumable).',
    usage: 'custos keys rotate [--workspace NAME] [--no-rewrap]',
    options: { workspace: { type: 'string' }, 'no-rewrap': { type: 'boolean' } },
    async run(values, io) {
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const actor = systemActor(workspace.id, 'cli');
        const version = await services.keyRotation.rotate(actor);
        io.err(`New data key v${version} for "${workspace.name}": new customer keys are wrapped with it from now on.`);
        if (values['no-rewrap']) {
          io.err('Run `custos keys rewrap` to move the existing customer keys.');
          return 0;
        }
        return rewrapWithProgress(io, services, actor);
      });
    },
  },

  'keys rewrap': {
    summary: 'Move customer keys still under an older data key to the current one (resumes an interrupted rotation).',
    usage: 'custos keys rewrap [--workspace NAME]',
    options: { workspace: { type: 'string' } },
    async run(values, io) {
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        return rewrapWithProgress(io, services, systemActor(workspace.id, 'cli'));
      });
    },
  },

  import: {
    summary: 'Import customers from a CSV (UTF-8 or GBK, any delimiter) or .xlsx file through the records gateway; ends with a JSON summary.',
    usage: 'custos import --file F [--mapping M.json] [--dry-run] [--errors OUT.csv] [--workspace NAME]',
    options: { file: { type: 'string' }, mapping: { type: 'string' }, 'dry-run': { type: 'boolean' }, errors: { type: 'string' }, workspace: { type: 'string' } },
    async run(values, io) {
      if (typeof values.file !== 'string') throw new UsageError('--file is required');
      const file = path.resolve(values.file);
      if (!fs.existsSync(file)) throw new UsageError(`No such file: ${values.file}`);
      let mapping: MappingFileValue | undefined;
      if (typeof values.mapping === 'string') {
        try {
          mapping = parseMappingFile(JSON.parse(fs.readFileSync(values.mapping, 'utf8')));
        } catch (error) {
          throw new UsageError(`--mapping ${values.mapping}: ${(error as Error).message}`);
        }
      }
      const dryRun = values['dry-run'] === true;
      return withApp(
        io,
        async ({ services, clock }) => {
          const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
          const actor = systemActor(workspace.id, 'cli');
          const started = clock.now().getTime();
          let jobId: string | null = null;
          // The same progress the web app shows, on stderr each second; stdout keeps the summary alone.
          const progress = setInterval(() => {
            if (!jobId) return;
            void services.imports.get(actor, jobId).then(({ progress: p }) => {
              io.err(`import: ${p.done}${p.total === null ? '' : `/${p.total}`} rows, ${p.rate}/s${p.eta === null ? '' : `, about ${p.eta} s left`}`);
            }, () => undefined); // a progress line missed is no failure: the summary follows
          }, 1000);
          let job;
          try {
            job = await services.imports.importFile(actor, file, {
              ...(mapping ? { mapping } : {}),
              dryRun,
              onStart: (begun, resumed) => {
                jobId = begun.id;
                if (resumed) io.err(`import: resuming ${begun.id} after row ${begun.progress.done}`);
              },
            });
          } finally {
            clearInterval(progress);
          }
          const seconds = (clock.now().getTime() - started) / 1000;
          let errorsFile: string | null = null;
          if (job.summary.rejected > 0) {
            // The rejected rows as they came, beside the file unless told where: fix them and import that file.
            errorsFile = path.resolve(typeof values.errors === 'string' ? values.errors : file.replace(/(\.[^./\\]*)?$/, '-errors.csv'));
            const { lines } = await services.imports.errors(actor, job.id);
            const out = fs.createWriteStream(errorsFile, { mode: 0o600 });
            for await (const line of lines) if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
            await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
          }
          const { imported, updated, unchanged, rejected, duplicates } = job.summary;
          io.out(
            JSON.stringify({
              jobId: job.id,
              status: job.status,
              dryRun,
              rows: job.progress.done,
              imported,
              updated,
              unchanged,
              rejected,
              duplicates,
              seconds,
              perSecond: Math.round(job.progress.done / Math.max(seconds, 0.001)),
              errorsFile,
              ...(job.error ? { error: job.error } : {}),
            }),
          );
          return job.status === 'completed' ? 0 : 1;
        },
        IMPORT_WRITER,
      );
    },
  },

  'seed-demo': {
    summary: 'Fill a workspace with realistic demo customers (Chinese and international), through the records gateway.',
    usage: 'custos seed-demo --customers N [--workspace NAME] [--seed S]',
    options: { customers: { type: 'string' }, workspace: { type: 'string' }, seed: { type: 'string' } },
    async run(values, io) {
      const count = Number(values.customers);
      if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new UsageError('--customers must be a whole number from 1 to 10000000');
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
      return withApp(io, async ({ services, clock }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const actor = systemActor(workspace.id, 'seed-demo');
        const generator = createDemoGenerator(seed);
        const started = clock.now().getTime();
        let created = 0;
        let rejected = 0;
        let lastReport = 0;
        for (let start = 0; start < count; start += SEED_BATCH) {
          const batch = Array.from({ length: Math.min(SEED_BATCH, count - start) }, (_, i) => generator.customer(start + i) as unknown as Record<string, unknown>);
          const result = await services.vault.createMany(actor, batch);
          created += result.created.length;
          rejected += result.rejected.length;
          const now = clock.now().getTime();
          if (now - lastReport > 1000 || start + SEED_BATCH >= count) {
            lastReport = now;
            const rate = created / Math.max((now - started) / 1000, 0.001);
            io.err(`seed-demo: ${created + rejected}/${count} customers, ${Math.round(rate)}/s, about ${Math.ceil((count - created - rejected) / Math.max(rate, 1))} s left`);
          }
        }
        const seconds = (clock.now().getTime() - started) / 1000;
        io.out(JSON.stringify({ created, rejected, seconds, perSecond: Math.round(created / Math.max(seconds, 0.001)) }));
        return rejected === 0 ? 0 : 1;
      }, BULK_WRITER);
    },
  },

  'team add': {
    summary: 'Add a team, optionally below another one (managers see their sub-teams’ customers).',
    usage: 'custos team add NAME [--parent PARENT] [--workspace NAME]',
    options: { parent: { type: 'string' }, workspace: { type: 'string' } },
    positionals: 1,
    async run(values, io, positionals) {
      const name = positionals[0];
      if (!name) throw new UsageError('the team NAME is required');
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const teams = await services.access.teams(workspace.id);
        const parent = typeof values.parent === 'string' ? teams.find((team) => team.name === values.parent || team.id === values.parent) : undefined;
        if (typeof values.parent === 'string' && !parent) throw new UsageError(`No team "${values.parent}" in workspace "${workspace.name}".`);
        const team = await services.access.addTeam(systemActor(workspace.id, 'cli'), { name, parentId: parent?.id ?? null });
        io.out(`Added team "${team.name}" (${team.id})${parent ? ` below "${parent.name}"` : ''}.`);
        return 0;
      });
    },
  },

  'user add': {
    summary: 'Create a user with a role (and a team) directly, for provisioning scripts; the password is read from stdin.',
    usage: 'custos user add --email E --role ROLE [--team TEAM] [--name DISPLAY_NAME] --password-stdin [--workspace NAME]',
    options: { email: { type: 'string' }, role: { type: 'string' }, team: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' }, workspace: { type: 'string' } },
    async run(values, io) {
      const { email, role } = values;
      if (typeof email !== 'string') throw new UsageError('--email is required');
      if (typeof role !== 'string') throw new UsageError('--role is required (see `custos role list`)');
      if (!values['password-stdin']) throw new UsageError('--password-stdin is required: the password is read from standard input');
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        if (!(await services.access.isRole(workspace.id, role))) throw new UsageError(`No role "${role}" in workspace "${workspace.name}" (see \`custos role list\`).`);
        const team = typeof values.team === 'string' ? (await services.access.teams(workspace.id)).find((t) => t.name === values.team || t.id === values.team) : undefined;
        if (typeof values.team === 'string' && !team) throw new UsageError(`No team "${values.team}" in workspace "${workspace.name}" (add it with \`custos team add\`).`);
        const displayName = typeof values.name === 'string' ? values.name : email.split('@')[0] || email;
        const user = await services.users.add(systemActor(workspace.id, 'cli'), { workspaceId: workspace.id, email, displayName, password, role, teamId: team?.id ?? null });
        io.out(`Created ${user.email} (${user.id}) with role ${role}${team ? ` in team "${team.name}"` : ''}.`);
        return 0;
      });
    },
  },

  'role list': {
    summary: 'List the roles of a workspace (built-in and its own) with what they may do.',
    usage: 'custos role list [--workspace NAME] [--json]',
    options: { workspace: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, io) {
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const roles = await services.access.roles(workspace.id);
        if (values.json) {
          io.out(JSON.stringify({ workspace: workspace.name, roles }));
          return 0;
        }
        for (const role of roles) {
          const reads = role.permissions.objects.customers?.read ?? 'none';
          const personal = JSON.stringify(role.permissions.fields.byClass.personal);
          io.out(`${role.key.padEnd(16)} ${role.labels.en}${role.builtIn ? '' : ' (custom)'} — customers read: ${reads}; personal fields: ${personal}`);
        }
        return 0;
      });
    },
  },

  'token create': {
    summary: "Create a personal access token for a user; prints the token alone on stdout.",
    usage: 'custos token create --email E --name N [--expires-days D] [--read-only] [--objects customers,notes,…] [--fields person.email,…] [--workspace NAME]',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'expires-days': { type: 'string' },
      'read-only': { type: 'boolean' },
      objects: { type: 'string' },
      fields: { type: 'string' },
      workspace: { type: 'string' },
    },
    async run(values, io) {
      if (typeof values.email !== 'string') throw new UsageError('--email is required');
      if (typeof values.name !== 'string' || values.name.trim() === '') throw new UsageError('--name is required');
      const days = values['expires-days'] === undefined ? DEFAULT_TOKEN_DAYS : Number(values['expires-days']);
      if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new UsageError(`--expires-days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
      const email = values.email;
      const name = values.name;
      const narrowing = tokenNarrowing(values);
      return withApp(io, async ({ services }) => {
        const workspace = await services.workspaces.resolve(typeof values.workspace === 'string' ? values.workspace : undefined);
        const user = await services.users.findByEmail(workspace.id, email);
        if (!user) throw new UsageError(`No user ${email} in workspace "${workspace.name}".`);
        if (user.status !== 'active') throw new UsageError(`${email} is deactivated.`);
        const { token } = await services.tokens.create(systemActor(workspace.id, 'cli'), { workspaceId: workspace.id, userId: user.id }, name, days, narrowing);
        io.out(token);
        return 0;
      });
    },
  },
};

/** `--read-only`, `--objects a,b`, `--fields person.email,…`: what a token is cut down to (null: its owner's permissions). */
function tokenNarrowing(values: Record<string, string | boolean | undefined>): TokenNarrowing | null {
  const list = (value: string | boolean | undefined) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined);
  const objects = list(values.objects);
  const unknown = objects?.find((object) => !(OBJECTS as readonly string[]).includes(object));
  if (unknown) throw new UsageError(`--objects: "${unknown}" is not one of ${OBJECTS.join(', ')}`);
  const fields = list(values.fields);
  const badField = fields?.find((field) => !/^(person|company)\.[a-zA-Z][a-zA-Z0-9]{0,40}$/.test(field));
  if (badField) throw new UsageError(`--fields: "${badField}" is not kind.key (e.g. person.email)`);
  const narrowing: TokenNarrowing = {
    ...(values['read-only'] ? { readOnly: true } : {}),
    ...(objects ? { objects: objects as ObjectKey[] } : {}),
    ...(fields ? { fields } : {}),
  };
  return Object.keys(narrowing).length > 0 ? narrowing : null;
}

function helpText(): string {
  const lines = ['Usage: custos <command> [options]', '', 'Commands:'];
  for (const [name, verb] of Object.entries(verbs)) lines.push(`  ${name.padEnd(14)} ${verb.summary}`);
  lines.push('', 'Run `custos <command> --help` for the options of one command.', 'Configuration comes from the environment: see README.md.');
  return lines.join('\n');
}

export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText());
    return first ? 0 : 2;
  }
  const name = verbs[`${first} ${second}`] ? `${first} ${second}` : first;
  const verb = verbs[name];
  if (!verb) {
    io.err(`custos: unknown command "${first}"${first === 'token' ? ' (did you mean `custos token create`?)' : ''}\n\n${helpText()}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...verb.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: Boolean(verb.positionals) });
    if (positionals.length > (verb.positionals ?? 0)) throw new UsageError(`unexpected argument "${positionals[verb.positionals ?? 0]}"`);
    if (values.help) {
      io.out(`${verb.summary}\n\nUsage: ${verb.usage}`);
      return 0;
    }
    return await verb.run(values, io, positionals);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`custos ${name}: ${error.message}\nUsage: ${verb.usage}`);
      return 2;
    }
    if (error instanceof AppError || error instanceof ConfigError || error instanceof KeyError || error instanceof BackupError || error instanceof BackupFormatError || error instanceof PgToolError) {
      io.err(`custos ${name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`custos: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
