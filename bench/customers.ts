// The customers benchmark: seed a fresh Custos with N demo customers through the records
// gateway's bulk path (`custos seed-demo`), then, one server at a time, GET /api/customers/:id
// on Custos and on a bare Fastify server reading the same rows (better-sqlite3 on a copy of
// the SQLite file, or pg on the same PostgreSQL database), the latency of an exact e-mail
// lookup and of filtered, sorted list pages at low concurrency, and the server's memory.
// `customers` runs on SQLite, `customers-pg` on PostgreSQL. See bench/README.md.
import path from 'node:path';
import { createDemoGenerator } from '../src/server/demo/generate.js';
import { startBare } from './bare-launch.js';
import { gitCommit, loadAverage, machineInfo, repoRoot, wholeNumberFromEnv } from './common.js';
import { LIST_FILTER, LIST_QUERY, postgresDatabase, sqliteDatabase, type BenchDatabase, type Samples } from './customers-db.js';
import {
  formatCustomersReport,
  goalsOf,
  type CustomersReport,
  type CustomersSettings,
  type LatencyName,
  type LatencyResult,
  type ProcessMemory,
  type Seeding,
  type ThroughputResult,
} from './customers-report.js';
import { checkSignedIn, installCustos, seedDemo, signIn, startCustos } from './custos-server.js';
import { measure, measureLatency, problemsOf, type LatencySettings, type LoadSettings, type Requests } from './measure.js';
import { readMemory, sampleMemory } from './memory.js';
import { writeResult } from './report.js';
import type { ServerProcess } from './server-process.js';

const MAX_SAMPLED_EMAILS = 10_000;
const PAGE = 50;
/** Seed progress is printed at most this often. */
const PROGRESS_EVERY_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each call gives the next path, shared by every connection of a run, starting over at the end. */
export function rotating<T>(items: readonly T[], toPath: (item: T) => string): () => string {
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

export async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 500)}`);
  return JSON.parse(body) as unknown;
}

/** A few requests before the load, checked in full: the runs themselves only check the shape of each answer. */
async function checkCustos(url: string, headers: Record<string, string>, samples: Samples, emails: string[]): Promise<void> {
  const record = (await getJson(`${url}/api/customers/${samples.ids[0]}`, headers)) as { id?: string };
  if (record.id !== samples.ids[0]) throw new Error(`GET /api/customers/:id answered another record: ${JSON.stringify(record).slice(0, 300)}`);
  for (const email of emails.slice(0, 20)) {
    const page = (await getJson(`${url}/api/customers?email=${encodeURIComponent(email)}`, headers)) as { items: unknown[] };
    if (page.items.length !== 1) throw new Error(`the lookup of the seeded address ${email} found ${page.items.length} customers, not 1`);
  }
  for (const [query, expected] of [
    [`${LIST_QUERY}&limit=${PAGE}`, Math.min(PAGE, samples.listed)],
    [`${LIST_QUERY}&limit=${PAGE}&cursor=${samples.middleCursor}`, Math.min(PAGE, Math.ceil(samples.listed / 2) - 1)],
  ] as const) {
    const page = (await getJson(`${url}/api/customers?${query}`, headers)) as { items: Record<string, unknown>[] };
    if (page.items.length < expected) throw new Error(`GET /api/customers?${query} gave ${page.items.length} customers, not ${expected}`);
    const other = page.items.find((item) => item[LIST_FILTER.key] !== LIST_FILTER.value);
    if (other) throw new Error(`GET /api/customers?${query} gave a customer whose ${LIST_FILTER.key} is ${String(other[LIST_FILTER.key])}`);
  }
}

/** One throughput run of GET /api/customers/:id over `ids` in turn, with the server's memory; throws when the run is not valid. */
export async function throughputRun(name: string, server: ServerProcess, headers: Record<string, string>, settings: LoadSettings, ids: string[]) {
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

/** The customers benchmark on SQLite, in `scratch` (a fresh directory). */
export async function runCustomers(scratch: string, load: LoadSettings): Promise<void> {
  await runOn(sqliteDatabase(scratch), load);
}

/** The same on PostgreSQL: a database of its own on the server BENCH_DATABASE_URL names. */
export async function runCustomersPg(scratch: string, load: LoadSettings): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) throw new Error('customers-pg needs BENCH_DATABASE_URL, e.g. postgres://custos:custos@127.0.0.1:5432/custos_test (its user makes and drops a database of its own)');
  const database = await postgresDatabase(scratch, serverUrl);
  try {
    await runOn(database, load);
  } finally {
    await database.drop();
  }
}

/** Seeds, measures, prints the table and writes the result. */
async function runOn(database: BenchDatabase, load: LoadSettings): Promise<void> {
  const customers = wholeNumberFromEnv('BENCH_CUSTOMERS', 1_000_000, 1_000, 10_000_000);
  const seed = wholeNumberFromEnv('BENCH_SEED', 1, 0, 2 ** 31 - 1);
  const latencyConnections = wholeNumberFromEnv('BENCH_LATENCY_CONNECTIONS', 1, 1);
  const benchmark = database.kind === 'sqlite' ? 'customers' : 'customers-pg';
  console.log(`\n=== ${benchmark}: ${customers.toLocaleString('en')} demo customers (seed ${seed}) on ${database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ===`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const { install } = database;
  installCustos(install);

  console.log(`\nseeding: custos seed-demo --customers ${customers} --seed ${seed} (progress every ${PROGRESS_EVERY_MS / 1000} s)`);
  let lastProgress = performance.now();
  const seeded = await seedDemo(install, customers, seed, (line) => {
    if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = performance.now();
    console.log(`  ${line}`);
  });
  const databaseBytes = await database.sizeBytes();
  console.log(
    `  ${seeded.created} customers in ${seeded.wallSeconds.toFixed(1)} s (${Math.round(seeded.created / seeded.wallSeconds)}/s; the CLI reports ${seeded.perSecond}/s); ` +
      `database ${(databaseBytes / 1024 / 1024).toFixed(0)} MB, ${Math.round(databaseBytes / seeded.created)} bytes per customer`,
  );

  console.log('  reading samples and the storage breakdown from the database…');
  const readStarted = performance.now();
  const samples = await database.readSamples(customers);
  console.log(`  read them in ${((performance.now() - readStarted) / 1000).toFixed(1)} s; the list's filter keeps ${samples.listed.toLocaleString('en')} customers`);
  const emails = sampleEmails(customers, seed);
  const seeding: Seeding = {
    ...seeded,
    projected1MSeconds: (seeded.wallSeconds * 1_000_000) / seeded.created,
    databaseBytes,
    bytesPerCustomer: databaseBytes / seeded.created,
    storage: samples.storage,
  };
  const settings: CustomersSettings = {
    ...load,
    database: database.kind,
    customers,
    seed,
    latencyConnections,
    sampledIds: samples.ids.length,
    sampledEmails: emails.length,
    listQuery: LIST_QUERY,
    listed: samples.listed,
  };

  const loadAverageBeforeServers = loadAverage();
  console.log(`\nbare-customer-get: ${database.description}`);
  const bare = await database.startBaseline(samples.workspaceId, `/api/customers/${samples.ids[0]}`);
  let bareResult: ThroughputResult;
  try {
    const { figures, memory } = await throughputRun('bare-customer-get', bare, {}, load, samples.ids);
    bareResult = { description: database.description, ...figures, memory };
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
    await checkCustos(server.url, headers, samples, emails);
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
    const listDescription = `${LIST_FILTER.key} is ${LIST_FILTER.value}, latest change first`;
    latency['custos-list-first-page'] = await latencyRun('custos-list-first-page', `list (${listDescription}), the first ${PAGE}`, server.url, headers, latencySettings, {
      nextPath: () => `/api/customers?${LIST_QUERY}&limit=${PAGE}`,
      verifyBody: hasItems,
    });
    latency['custos-list-middle-page'] = await latencyRun(
      'custos-list-middle-page',
      `list (${listDescription}), ${PAGE} after a cursor halfway down`,
      server.url,
      headers,
      latencySettings,
      { nextPath: () => `/api/customers?${LIST_QUERY}&limit=${PAGE}&cursor=${samples.middleCursor}`, verifyBody: hasItems },
    );
    latency['custos-list-random-page'] = await latencyRun(
      'custos-list-random-page',
      `list (${listDescription}), ${PAGE} after a cursor sampled across the table (a new one each request: keys not cached)`,
      server.url,
      headers,
      latencySettings,
      // From the end of the sample: the GET runs took theirs from the start, so these pages' keys were not just cached.
      // A cursor near the end of the list gives a short or empty page, which is still a right answer.
      { nextPath: rotating([...samples.randomCursors].reverse(), (cursor) => `/api/customers?${LIST_QUERY}&limit=${PAGE}&cursor=${cursor}`), verifyBody: (body) => body.includes('"items":[') },
    );
    custosResult.memory.peakRssBytes = readMemory(server.pid)?.hwmBytes ?? custosResult.memory.peakRssBytes;
  } finally {
    await server.stop();
  }

  const partial: Omit<CustomersReport, 'goals'> = {
    benchmark,
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
  console.log(`Results: ${path.relative(process.cwd(), writeResult(path.join(repoRoot, 'bench/results'), report))} (and latest-${benchmark}.json)`);
}
