// The audit benchmark: what the audit trail costs. On one seeded SQLite install, one server at
// a time and the same customer ids in the same order: GET /api/customers/:id with the
// workspace owner's token on `custos serve` (every read's event committed before the answer)
// and on bench/unaudited-server.ts (the same server, reads not audited); the same on `custos
// serve` with a sales rep's token (scopes and field security); then a million `customer.viewed`
// events appended through the audit service, the bytes each takes, and how fast `custos audit
// verify` checks the chain. See bench/README.md.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { countViewed, generateViewedEvents, measureStorage, readViewedEvents, verifyTrail, type Storage } from './audit-trail.js';
import { formatAuditReport, goalsOf, type AuditCheck, type AuditReport, type AuditSettings, type ReadRun, type ReadRunName, type StorageShare } from './audit-report.js';
import { gitCommit, loadAverage, machineInfo, repoRoot, wholeNumberFromEnv } from './common.js';
import { sqliteDatabase } from './customers-db.js';
import { getJson, rotating, throughputRun } from './customers.js';
import { checkSignedIn, cli, installCustos, seedDemo, serverEnv, startCustos, type CustosInstall } from './custos-server.js';
import type { LoadSettings } from './measure.js';
import { writeResult } from './report.js';
import { startServer, type ServerProcess } from './server-process.js';

/** What the web app's reads carry: the events of the runs (and the generated copies) are as big as in use. */
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const TEAM = 'Sales';
const REP_PASSWORD = 'amber-lantern-glacier-72';
const reps = [
  { email: 'rep1@example.com', name: 'Bench Rep 1' },
  { email: 'rep2@example.com', name: 'Bench Rep 2' },
] as const;
/** Reads of the exact count check before each server's load. */
const CHECKED_READS = 500;
const CHECK_CONCURRENCY = 16;
/** Customers whose answers to the rep are compared with the owner's before the load. */
const COMPARED_ANSWERS = 100;
/** Real events the generated ones copy (the runs write tens of thousands). */
const MAX_TEMPLATES = 100_000;
const REASSIGN_BATCH = 500;
/** Seed and generation progress are printed at most this often. */
const PROGRESS_EVERY_MS = 10_000;

function startUnaudited(install: CustosInstall): Promise<ServerProcess> {
  return startServer({
    name: 'bench/unaudited-server.ts',
    args: [fileURLToPath(new URL('./unaudited-server.js', import.meta.url))],
    cwd: repoRoot,
    env: serverEnv(install),
    readyLine: /Custos is running at (\S+)/,
    readyPath: '/healthz',
  });
}

async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/** Two sales reps in one team and an API token for the first, with the real CLI; returns the token. */
function provisionReps(install: CustosInstall): string {
  cli(install, ['team', 'add', TEAM]);
  for (const rep of reps) cli(install, ['user', 'add', '--email', rep.email, '--name', rep.name, '--role', 'sales_rep', '--team', TEAM, '--password-stdin'], REP_PASSWORD + '\n');
  const token = cli(install, ['token', 'create', '--email', reps[0].email, '--name', 'bench']).trim();
  if (!/^\S+$/.test(token)) throw new Error(`custos token create printed something other than a token: ${token}`);
  return token;
}

/** Hands every sampled customer to rep2 (into the team, rep2's), so rep1 reads them through the team relation; returns rep2's id. */
async function handToRep2(url: string, admin: Record<string, string>, ids: readonly string[]): Promise<string> {
  const owners = (await getJson(`${url}/api/customers/assignable-owners`, admin)) as { items: { id: string; name: string; teamName: string | null }[] };
  const rep2 = owners.items.find((owner) => owner.name === reps[1].name && owner.teamName === TEAM);
  if (!rep2) throw new Error(`GET /api/customers/assignable-owners does not list ${reps[1].name} in ${TEAM}: ${JSON.stringify(owners).slice(0, 500)}`);
  for (let start = 0; start < ids.length; start += REASSIGN_BATCH) {
    const batch = ids.slice(start, start + REASSIGN_BATCH);
    const result = (await postJson(`${url}/api/customers/reassign`, admin, { ids: batch, ownerId: rep2.id })) as { reassigned: number; notFound: string[] };
    if (result.reassigned !== batch.length || result.notFound.length > 0) throw new Error(`POST /api/customers/reassign moved ${result.reassigned} of ${batch.length} customers (not found: ${result.notFound.length})`);
  }
  return rep2.id;
}

/**
 * Before the load, rep1's answers in full against the owner's: each customer answered (200),
 * owned by rep2, people's e-mail and phone in clear (the owner's values, unmasked), and no
 * sensitive field — the ID number the owner sees is absent.
 */
async function checkRepAnswers(url: string, admin: Record<string, string>, rep: Record<string, string>, ids: readonly string[], rep2Id: string): Promise<void> {
  let personal = 0;
  let hiddenIds = 0;
  for (const id of ids.slice(0, COMPARED_ANSWERS)) {
    const full = (await getJson(`${url}/api/customers/${id}`, admin)) as Record<string, unknown>;
    const seen = (await getJson(`${url}/api/customers/${id}`, rep)) as Record<string, unknown>;
    if (seen.id !== id || seen.ownerId !== rep2Id) throw new Error(`rep1 got customer ${String(seen.id)} owned by ${String(seen.ownerId)} for ${id} (expected rep2's)`);
    if ('nationalId' in seen) throw new Error(`rep1 sees the ID number of customer ${id}: a sensitive field must be hidden from a sales rep`);
    if (typeof full.nationalId === 'string') hiddenIds++;
    for (const key of ['email', 'phone']) {
      const value = full[key];
      if (typeof value !== 'string') continue;
      if (value.includes('*')) throw new Error(`the owner sees customer ${id}'s ${key} masked`);
      if (seen[key] !== value) throw new Error(`rep1 sees customer ${id}'s ${key} as ${String(seen[key])}, not in clear`);
      personal++;
    }
  }
  if (personal === 0 || hiddenIds === 0) throw new Error(`the first ${COMPARED_ANSWERS} sampled customers gave no e-mail, phone or ID number to compare (${personal}, ${hiddenIds})`);
  console.log(`  rep1's answers checked for ${COMPARED_ANSWERS} customers: ${personal} e-mail addresses and phones in clear, ${hiddenIds} ID numbers hidden`);
}

/** CHECKED_READS reads, CHECK_CONCURRENCY at a time, each answered 200; returns the customer.viewed events they added. */
async function countedReads(install: CustosInstall, url: string, headers: Record<string, string>, ids: readonly string[]): Promise<AuditCheck> {
  const before = countViewed(install);
  const next = rotating(ids, (id) => `/api/customers/${id}`);
  let sent = 0;
  await Promise.all(
    Array.from({ length: CHECK_CONCURRENCY }, async () => {
      while (sent < CHECKED_READS) {
        sent++;
        const response = await fetch(url + next(), { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`a checked read answered ${response.status}`);
      }
    }),
  );
  return { requests: CHECKED_READS, viewedEventsAdded: countViewed(install) - before };
}

/** A throughput run, with the customer.viewed events the trail gained meanwhile. */
async function readRun(name: ReadRunName, description: string, install: CustosInstall, server: ServerProcess, headers: Record<string, string>, load: LoadSettings, ids: string[]): Promise<ReadRun> {
  console.log(`\n${name}: ${description}`);
  const before = countViewed(install);
  const { figures, memory } = await throughputRun(name, server, headers, load, ids);
  return { description, ...figures, memory, viewedEventsAdded: countViewed(install) - before };
}

/** Each table or index's growth between two measurements, per generated event. */
function sharesOf(before: Storage, after: Storage, events: number): StorageShare[] {
  const earlier = new Map(before.objects.map((object) => [object.name, object.bytes]));
  return after.objects
    .map((object) => {
      const bytesBefore = earlier.get(object.name) ?? 0;
      return { name: object.name, table: object.table, bytesBefore, bytesAfter: object.bytes, bytesPerEvent: (object.bytes - bytesBefore) / events };
    })
    .sort((a, b) => b.bytesAfter - b.bytesBefore - (a.bytesAfter - a.bytesBefore));
}

/** The audit benchmark, in `scratch` (a fresh directory). */
export async function runAudit(scratch: string, load: LoadSettings): Promise<void> {
  const customers = wholeNumberFromEnv('BENCH_AUDIT_CUSTOMERS', 20_000, 1_000, 10_000_000);
  const events = wholeNumberFromEnv('BENCH_AUDIT_EVENTS', 1_000_000, 10_000, 100_000_000);
  // Transactions of a bulk writer (seed-demo commits 5,000 customers and their events at once); the server's reads commit a few dozen at a time under load, one at a time when idle.
  const eventsPerCommit = wholeNumberFromEnv('BENCH_AUDIT_EVENTS_PER_COMMIT', 5_000, 1, 10_000);
  const seed = wholeNumberFromEnv('BENCH_SEED', 1, 0, 2 ** 31 - 1);
  console.log(`\n=== audit: ${customers.toLocaleString('en')} demo customers (seed ${seed}), ${events.toLocaleString('en')} generated events, SQLite ===`);
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const database = sqliteDatabase(scratch);
  const { install } = database;
  const { token: adminToken } = installCustos(install);

  console.log(`\nseeding: custos seed-demo --customers ${customers} --seed ${seed}`);
  let lastProgress = performance.now();
  const seeding = await seedDemo(install, customers, seed, (line) => {
    if (performance.now() - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = performance.now();
    console.log(`  ${line}`);
  });
  console.log(`  ${seeding.created} customers in ${seeding.wallSeconds.toFixed(1)} s`);
  console.log(`provisioning: custos team add ${TEAM}; custos user add (${reps.map((rep) => rep.email).join(', ')}, sales_rep); custos token create --email ${reps[0].email}`);
  const repToken = provisionReps(install);
  const { ids } = await database.readSamples(customers);
  const settings: AuditSettings = { ...load, customers, seed, events, eventsPerCommit, sampledIds: ids.length, userAgent: USER_AGENT };
  const admin = { authorization: `Bearer ${adminToken}`, 'user-agent': USER_AGENT };
  const rep = { authorization: `Bearer ${repToken}`, 'user-agent': USER_AGENT };

  const loadAverageBeforeServers = loadAverage();
  const reads: Partial<Record<ReadRunName, ReadRun>> = {};
  const checks: Partial<AuditReport['checks']> = {};

  console.log('\ncustos serve (audited)');
  const audited = await startCustos(install);
  try {
    await checkSignedIn(audited.url, admin);
    console.log(`  handing the ${ids.length.toLocaleString('en')} sampled customers to ${reps[1].email} (POST /api/customers/reassign, ${REASSIGN_BATCH} a call)…`);
    const rep2Id = await handToRep2(audited.url, admin, ids);
    await checkRepAnswers(audited.url, admin, rep, ids, rep2Id);
    checks.audited = await countedReads(install, audited.url, admin, ids);
    if (checks.audited.viewedEventsAdded !== CHECKED_READS) throw new Error(`${CHECKED_READS} reads on custos serve added ${checks.audited.viewedEventsAdded} customer.viewed events, not one each`);
    reads['audited-admin'] = await readRun('audited-admin', "custos serve, the workspace owner's token: each read's customer.viewed event committed (group commit) before the answer", install, audited, admin, load, ids);
    reads['audited-rep'] = await readRun(
      'audited-rep',
      `custos serve, ${reps[0].email}'s token (sales_rep): customers of its team (owned by ${reps[1].email}), personal fields in clear, sensitive ones hidden`,
      install,
      audited,
      rep,
      load,
      ids,
    );
  } finally {
    await audited.stop();
  }
  for (const name of ['audited-admin', 'audited-rep'] as const) {
    const run = reads[name]!;
    if (run.viewedEventsAdded < run.requests) throw new Error(`${name} answered ${run.requests} reads but the trail gained only ${run.viewedEventsAdded} customer.viewed events`);
  }

  console.log('\nbench/unaudited-server.ts (reads not audited)');
  const unaudited = await startUnaudited(install);
  try {
    await checkSignedIn(unaudited.url, admin);
    checks.unaudited = await countedReads(install, unaudited.url, admin, ids);
    if (checks.unaudited.viewedEventsAdded !== 0) throw new Error(`${CHECKED_READS} reads on the unaudited server added ${checks.unaudited.viewedEventsAdded} customer.viewed events: recordRead was not replaced`);
    reads['unaudited-admin'] = await readRun(
      'unaudited-admin',
      "bench/unaudited-server.ts: custos serve with audit.recordRead resolving at once, the workspace owner's token",
      install,
      unaudited,
      admin,
      load,
      ids,
    );
  } finally {
    await unaudited.stop();
  }
  if (reads['unaudited-admin'].viewedEventsAdded !== 0) throw new Error(`the unaudited run added ${reads['unaudited-admin'].viewedEventsAdded} customer.viewed events`);

  const templates = readViewedEvents(install, MAX_TEMPLATES);
  const variants = new Map<string, number>();
  for (const event of templates) variants.set(event.metadata, (variants.get(event.metadata) ?? 0) + 1);
  const commonMetadata = [...variants].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([metadata]) => metadata);
  console.log(`\ntrail: appending ${events.toLocaleString('en')} customer.viewed events through the audit service (recordMany, ${eventsPerCommit.toLocaleString('en')} a transaction), copies of ${templates.length.toLocaleString('en')} the server wrote…`);
  const before = measureStorage(install);
  const generated = await generateViewedEvents(install, [adminToken, repToken], templates, events, eventsPerCommit, (line) => console.log(`  ${line}`));
  const after = measureStorage(install);
  const bytesPerEvent = (after.fileBytes - before.fileBytes) / generated.events;
  console.log(`  ${generated.events.toLocaleString('en')} in ${generated.seconds.toFixed(1)} s; ${Math.round(bytesPerEvent)} bytes per event`);
  console.log('custos audit verify --json…');
  const verify = verifyTrail(install);
  console.log(`  ${verify.events.toLocaleString('en')} events in ${verify.seconds.toFixed(2)} s (${Math.round(verify.eventsPerSecond).toLocaleString('en')}/s), ${verify.wallSeconds.toFixed(2)} s wall`);

  const partial: Omit<AuditReport, 'goals'> = {
    benchmark: 'audit',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart,
    loadAverageBeforeServers,
    commit: gitCommit(),
    settings,
    seeding,
    checks: checks as AuditReport['checks'],
    reads: { 'unaudited-admin': reads['unaudited-admin'], 'audited-admin': reads['audited-admin']!, 'audited-rep': reads['audited-rep']! },
    trail: {
      generated: { ...generated, perSecond: generated.events / generated.seconds },
      templates: templates.length,
      metadataVariants: variants.size,
      commonMetadata,
      before,
      after,
      bytesPerEvent,
      shares: sharesOf(before, after, generated.events),
      verify,
    },
  };
  const report: AuditReport = { ...partial, goals: goalsOf(partial) };
  console.log('\n' + formatAuditReport(report) + '\n');
  console.log(`Results: ${path.relative(process.cwd(), writeResult(path.join(repoRoot, 'bench/results'), report))} (and latest-audit.json)`);
}
