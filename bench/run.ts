// `npm run bench` (= node dist/bench/run.js [auth-me] [customers] [customers-pg] [audit] [backup] [import]): the
// benchmarks named, or all of them (customers-pg when BENCH_DATABASE_URL is set), one after the other. Each server runs in its own process, one at a time, loaded
// by autocannon from this one. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAudit } from './audit.js';
import { runAuthMe } from './auth-me.js';
import { runBackup } from './backup.js';
import { settingsFromEnv } from './common.js';
import { runCustomers, runCustomersPg } from './customers.js';
import { runImportBench } from './import.js';
import type { LoadSettings } from './measure.js';

const BENCHMARKS: Record<string, (scratch: string, settings: LoadSettings) => Promise<void>> = {
  'auth-me': runAuthMe,
  customers: runCustomers,
  'customers-pg': runCustomersPg,
  audit: runAudit,
  backup: runBackup,
  import: runImportBench,
};

function selected(args: string[]): string[] {
  const unknown = args.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) {
    console.error(`bench: unknown benchmark ${unknown.map((name) => `"${name}"`).join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')} (none: all)`);
    process.exit(2);
  }
  if (args.length) return [...new Set(args)];
  // customers-pg needs a PostgreSQL server: part of "all" only when one is named.
  return Object.keys(BENCHMARKS).filter((name) => name !== 'customers-pg' || process.env.BENCH_DATABASE_URL);
}

async function main(): Promise<void> {
  const names = selected(process.argv.slice(2));
  const settings = settingsFromEnv();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-bench-'));
  const removeScratch = () => fs.rmSync(scratch, { recursive: true, force: true });
  process.once('exit', removeScratch);
  try {
    for (const name of names) {
      const dir = path.join(scratch, name);
      fs.mkdirSync(dir);
      try {
        await BENCHMARKS[name]!(dir, settings);
      } finally {
        // The customers benchmark leaves gigabytes behind: free them before the next one.
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    removeScratch();
  }
}

// Ctrl-C or a kill: exit through the 'exit' handlers, which stop the servers and remove the scratch directory.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((error: unknown) => {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
