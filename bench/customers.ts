// The customers benchmark: seed a fresh Custos with N demo customers through the records
// gateway's bulk path (`custos seed-demo`), then, one server at a time, GET /api/customers/:id
// on Custos and on a bare Fastify + better-sqlite3 reading the same rows from a copy of the
// file, the latency of an exact e-mail lookup and of list pages at low concurrency, and the
// server's memory. See bench/README.md.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDemoGenerator } from '../src/server/demo/generate.js';
import { startBare } from './bare-launch.js';
import { gitCommit, loadAverage, machineInfo, repoRoot, wholeNumberFromEnv } from './common.js';
import {
  formatCustomersReport,
  goalsOf,
  type CustomersReport,
  type CustomersSettings,
  type LatencyName,
  type LatencyResult,
  type ProcessMemory,
  type Seeding,
  type StoredObject,
  type ThroughputResult,
} from './customers-report.js';
import { checkSignedIn, installCustos, seedDemo, signIn, sqlitePathOf, startCustos, type CustosInstall } from './custos-server.js';
import { measure, measureLatency, problemsOf, type LatencySettings, type LoadSettings, type Requests } from './measure.js';
import { readMemory, sampleMemory } from './memory.js';
import { writeResult } from './report.js';
import type { ServerProcess } from './server-process.js';

/** Ids the GET runs rotate through: enough that a 10 s run at full speed rarely asks twice. */
const MAX_SAMPLED_IDS = 200_000;
const MAX_SAMPLED_EMAILS = 10_000;
const PAGE = 50;
/** Seed progress is printed at most this often. */
const PROGRESS_EVERY_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/**
 * Copies a file and waits until the copy is on disk: gigabytes of dirty pages being written
 * back would stall every fsync of the server measured next (one per audited read).
 */
function copyToDisk(from: string, to: string): void {
  fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
  const fd = fs.openSync(to, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Each call gives the next path, shared by every connection of a run, starting over at the end. */
function rotating<T>(items: readonly T[], toPath: (item: T) => string): () => string {
  let next = 0;
  return () => toPath(items[next++ % items.length]!);
}

/** mulberry32: a small deterministic PRNG, so the same seed samples the same e-mail addresses. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Samples {
  workspaceId: string;
  /** Customer ids sampled at random across the whole table, in random order. */
  ids: string[];
  /** The id of the customer halfway down the list (newest first): a keyset cursor from the middle. */
  middleCursor: string;
  storage: StoredObject[];
}

/** Reads what the runs need straight from the seeded file (read-only, before any server opens it). */
function readSamples(file: string, customers: number): Samples {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const workspaces = db.prepare<[], string>('SELECT id FROM workspaces').pluck().all();
    if (workspaces.length !== 1) throw new Error(`expected one workspace in the seeded database, found ${workspaces.length}`);
    const workspaceId = workspaces[0]!;
    const ids = db
      .prepare<[string, number], string>('SELECT id FROM customers WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY random() LIMIT ?')
      .pluck()
      .all(workspaceId, MAX_SAMPLED_IDS);
    const middleCursor = db
      .prepare<[string, number], string>('SELECT id FROM customers WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT 1 OFFSET ?')
      .pluck()
      .get(workspaceId, Math.floor(customers / 2));
    if (ids.length === 0 || !middleCursor) throw new Error('the seeded database has no customers');
    let storage: StoredObject[] = [];
    try {
      // dbstat walks every page: a few seconds per GB. SQLite builds without it just skip the breakdown.
      storage = db
        .prepare<[], { name: string; tbl: string; bytes: number }>(
          'SELECT s.name AS name, COALESCE(m.tbl_name, s.name) AS tbl, SUM(s.pgsize) AS bytes FROM dbstat AS s LEFT JOIN sqlite_schema AS m ON m.name = s.name GROUP BY s.name ORDER BY bytes DESC',
        )
        .all()
        .map((row) => ({ name: row.name, table: row.tbl, bytes: row.bytes, bytesPerCustomer: row.bytes / customers }));
    } catch (error) {
      console.log(`  (no storage breakdown: ${error instanceof Error ? error.message : String(error)})`);
    }
    return { workspaceId, ids, middleCursor, storage };
  } finally {
    db.close();
  }
}

/** Addresses of seeded people (companies have none), regenerated from the seed: the seed is deterministic. */
function sampleEmails(customers: number, seed: number): string[] {
  const generator = createDemoGenerator(seed);
  const next = random(seed ^ 0x5eed);
  const emails: string[] = [];
  for (let attempt = 0; emails.length < MAX_SAMPLED_EMAILS && attempt < MAX_SAMPLED_EMAILS * 10; attempt++) {
    const customer = generator.customer(Math.floor(next() * customers));
    if (customer.kind === 'person') emails.push(customer.email);
  }
  if (emails.length === 0) throw new Error('the demo generator gave no person to look up');
  return emails;
}

async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 500)}`);
  return JSON.parse(body) as unknown;
}

/** A few requests before the load, checked in full: the runs themselves only check the shape of each answer. */
async function checkCustos(url: string, headers: Record<string, string>, samples: Samples, emails: string[], customers: number): Promise<void> {
  const record = (await getJson(`${url}/api/customers/${samples.ids[0]}`, headers)) as { id?: string };
  if (record.id !== samples.ids[0]) throw new Error(`GET /api/customers/:id answered another record: ${JSON.stringify(record).slice(0, 300)}`);
  for (const email of emails.slice(0, 20)) {
    const page = (await getJson(`${url}/api/customers?email=${encodeURIComponent(email)}`, headers)) as { items: unknown[] };
    if (page.items.length !== 1) throw new Error(`the lookup of the seeded address ${email} found ${page.items.length} customers, not 1`);
  }
  for (const query of [`limit=${PAGE}`, `limit=${PAGE}&cursor=${samples.middleCursor}`]) {
    const page = (await getJson(`${url}/api/customers?${query}`, headers)) as { items: unknown[]; nextCursor: string | null };
    const expected = Math.min(PAGE, customers - 1);
    if (page.items.length < expected) throw new Error(`GET /api/customers?${query} gave ${page.items.length} customers, not ${expected}`);
  }
}

async function throughputRun(name: string, server: ServerProcess, headers: Record<string, string>, settings: LoadSettings, ids: string[]) {
  const idle = readMemory(server.pid);
  const sampler = sampleMemory(server.pid);
  let load: ReturnType<typeof sampler.stop> | undefined;
  try {
    console.log(`  ${server.url} is ready; warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s measured, ${settings.connections} connections…`);
    const figures = await measure(`${server.url}/api/customers/${ids[0]}`, headers, settings, {
      nextPath: rotating(ids, (id) => `/api/customers/${id}`),
      verifyBody: (body) => body.includes('"id":"'),
    });
    load = sampler.stop();
    const problems = problemsOf(figures);
    if (problems.length) throw new Error(`${name} is not a valid run: ${problems.join('; ')}`);
    await sleep(1000);
    const after = readMemory(server.pid);
    const memory: ProcessMemory = { idleRssBytes: idle?.rssBytes ?? null, loadMaxRssBytes: load.maxRssBytes, afterLoadRssBytes: after?.rssBytes ?? null, peakRssBytes: after?.hwmBytes ?? null };
    const mb = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
    console.log(
      `  ${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms; ` +
        `RSS idle ${mb(memory.idleRssBytes)}, under load max ${mb(memory.loadMaxRssBytes)}, after ${mb(memory.afterLoadRssBytes)}`,
    );
    return { figures, memory };
  } finally {
    if (!load) sampler.stop();
  }
}

async function latencyRun(name: LatencyName, description: string, url: string, headers: Record<string, string>, settings: LatencySettings, requests: Requests & { nextPath: () => string }): Promise<LatencyResult> {
  console.log(`\n${name}: ${description}`);
  const examplePath = requests.nextPath();
  console.log(`  e.g. GET ${examplePath}; warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s measured, ${settings.connections} connection(s)…`);
  const figures = await measureLatency(url, headers, settings, requests);
  const problems = problemsOf(figures);
  if (problems.length) throw new Error(`${name} is not a valid run: ${problems.join('; ')}`);
  console.log(`  ${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.latencyP50Ms.toFixed(2)} ms, p99 ${figures.latencyP99Ms.toFixed(2)} ms, max ${figures.latencyMaxMs.toFixed(2)} ms`);
  return { description, examplePath, ...figures };
}

const hasItems = (body: string) => body.includes('"items":[{');

/** Runs the benchmark in `scratch` (a fresh directory); prints the table and writes the result. */
export async function runCustomers(scratch: string, load: LoadSettings): Promise<void> {
  const customers = wholeNumberFromEnv('BENCH_CUSTOMERS', 1_000_000, 1_000, 10_000_000);
  const seed = wholeNumberFromEnv('BENCH_SEED', 1, 0, 2 ** 31 - 1);
  const latencyConnections = wholeNumberFromEnv('BENCH_LATENCY_CONNECTIONS', 1, 1);
  console.log(`\n=== customers: ${customers.toLocaleString('en')} demo customers (seed ${seed}) ===`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'customers-custos') };
  installCustos(install);

  console.log(`\nseeding: custos seed-demo --customers ${customers} --seed ${seed} (progress every ${PROGRESS_EVERY_MS / 1000} s)`);
  let lastProgress = performance.now();
  const seeded = await seedDemo(install, customers, seed, (line) => {
    if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = performance.now();
    console.log(`  ${line}`);
  });
  const file = sqlitePathOf(install);
  const sqliteBytes = sizeOf(file) + sizeOf(`${file}-wal`);
  console.log(
    `  ${seeded.created} customers in ${seeded.wallSeconds.toFixed(1)} s (${Math.round(seeded.created / seeded.wallSeconds)}/s; the CLI reports ${seeded.perSecond}/s); ` +
      `custos.sqlite ${(sqliteBytes / 1024 / 1024).toFixed(0)} MB, ${Math.round(sqliteBytes / seeded.created)} bytes per customer`,
  );

  console.log('  reading samples and the storage breakdown from the file…');
  const readStarted = performance.now();
  const samples = readSamples(file, customers);
  console.log(`  read them in ${((performance.now() - readStarted) / 1000).toFixed(1)} s`);
  const emails = sampleEmails(customers, seed);
  const seeding: Seeding = {
    ...seeded,
    projected1MSeconds: (seeded.wallSeconds * 1_000_000) / seeded.created,
    sqliteBytes,
    bytesPerCustomer: sqliteBytes / seeded.created,
    storage: samples.storage,
  };
  const settings: CustomersSettings = { ...load, customers, seed, latencyConnections, sampledIds: samples.ids.length, sampledEmails: emails.length };

  // The baseline reads a copy: nothing it does can touch Custos's file, and Custos's audit rows do not reach it.
  const bareFile = path.join(scratch, 'customers-bare.sqlite');
  const copyStarted = performance.now();
  copyToDisk(file, bareFile);
  if (fs.existsSync(`${file}-wal`)) copyToDisk(`${file}-wal`, `${bareFile}-wal`);
  console.log(`  copied the file for the bare baseline in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`);

  const loadAverageBeforeServers = loadAverage();
  const bareDescription = 'bare Fastify 5 + better-sqlite3: the raw row by (workspace_id, id), prepared statement, on a copy of the file';
  console.log(`\nbare-customer-get: ${bareDescription}`);
  const bare = await startBare('customers', { BARE_SQLITE_PATH: bareFile, BARE_WORKSPACE_ID: samples.workspaceId }, `/api/customers/${samples.ids[0]}`);
  let bareResult: ThroughputResult;
  try {
    const { figures, memory } = await throughputRun('bare-customer-get', bare, {}, load, samples.ids);
    bareResult = { description: bareDescription, ...figures, memory };
  } finally {
    await bare.stop();
  }

  const latencySettings: LatencySettings = { connections: latencyConnections, warmupSeconds: load.warmupSeconds, seconds: load.seconds };
  const latency: Partial<Record<LatencyName, LatencyResult>> = {};
  // What the latency runs cannot go below: this harness's own round trip to a server that does nothing.
  const floor = await startBare('static', {}, '/api/auth/me');
  try {
    latency['bare-static-floor'] = await latencyRun('bare-static-floor', 'bare Fastify 5, constant JSON: the round trip the latency runs cannot go below', floor.url, {}, latencySettings, {
      nextPath: () => '/api/auth/me',
    });
  } finally {
    await floor.stop();
  }

  const custosDescription = 'custos serve: session cookie, records gateway (policy, decryption, masking, audit event per read)';
  console.log(`\ncustos-customer-get: ${custosDescription}`);
  const server = await startCustos(install);
  let custosResult: ThroughputResult;
  try {
    const headers = { cookie: await signIn(server.url) };
    await checkSignedIn(server.url, headers);
    await checkCustos(server.url, headers, samples, emails, customers);
    const { figures, memory } = await throughputRun('custos-customer-get', server, headers, load, samples.ids);
    custosResult = { description: custosDescription, ...figures, memory };

    latency['custos-email-lookup'] = await latencyRun(
      'custos-email-lookup',
      `exact e-mail lookup, ${emails.length} seeded addresses in turn`,
      server.url,
      headers,
      latencySettings,
      { nextPath: rotating(emails, (email) => `/api/customers?email=${encodeURIComponent(email)}`), verifyBody: hasItems },
    );
    latency['custos-list-first-page'] = await latencyRun('custos-list-first-page', `list, the newest ${PAGE}`, server.url, headers, latencySettings, {
      nextPath: () => `/api/customers?limit=${PAGE}`,
      verifyBody: hasItems,
    });
    latency['custos-list-middle-page'] = await latencyRun(
      'custos-list-middle-page',
      `list, ${PAGE} after a cursor halfway down the table`,
      server.url,
      headers,
      latencySettings,
      { nextPath: () => `/api/customers?limit=${PAGE}&cursor=${samples.middleCursor}`, verifyBody: hasItems },
    );
    latency['custos-list-random-page'] = await latencyRun(
      'custos-list-random-page',
      `list, ${PAGE} after a cursor sampled across the table (a new one each request: keys not cached)`,
      server.url,
      headers,
      latencySettings,
      // From the end of the sample: the GET runs took theirs from the start, so these pages' keys were not just cached.
      // The oldest customer's id gives an empty page, which is still a right answer.
      { nextPath: rotating([...samples.ids].reverse(), (id) => `/api/customers?limit=${PAGE}&cursor=${id}`), verifyBody: (body) => body.includes('"items":[') },
    );
    custosResult.memory.peakRssBytes = readMemory(server.pid)?.hwmBytes ?? custosResult.memory.peakRssBytes;
  } finally {
    await server.stop();
  }

  const partial: Omit<CustomersReport, 'goals'> = {
    benchmark: 'customers',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart,
    loadAverageBeforeServers,
    commit: gitCommit(),
    settings,
    seeding,
    throughput: { 'bare-customer-get': bareResult, 'custos-customer-get': custosResult },
    latency: latency as Record<LatencyName, LatencyResult>,
  };
  const report: CustomersReport = { ...partial, goals: goalsOf(partial) };
  console.log('\n' + formatCustomersReport(report) + '\n');
  console.log(`Results: ${path.relative(process.cwd(), writeResult(path.join(repoRoot, 'bench/results'), report))} (and latest-customers.json)`);
}
