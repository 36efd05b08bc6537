// The customers benchmark's result: its shape, its goals and the table it prints.
import type { Machine } from './common.js';
import type { DatabaseKind } from './customers-db.js';
import type { SeedResult } from './custos-server.js';
import type { Figures, LatencyFigures, LoadSettings } from './measure.js';

export interface CustomersSettings extends LoadSettings {
  database: DatabaseKind;
  customers: number;
  seed: number;
  /** Connections of the latency runs (low, so they measure the server's time, not a queue). */
  latencyConnections: number;
  /** How many customer ids (sampled at random across the table) the GET runs rotate through. */
  sampledIds: number;
  /** How many existing e-mail addresses the lookup run rotates through. */
  sampledEmails: number;
  /** The filter and sort of every list request. */
  listQuery: string;
  /** How many customers the list's filter keeps. */
  listed: number;
}

/** One table or index: SQLite's dbstat, or PostgreSQL's relation sizes. */
export interface StoredObject {
  name: string;
  table: string;
  bytes: number;
  bytesPerCustomer: number;
}

export interface Seeding extends SeedResult {
  /** Seconds for 1,000,000 customers at the measured wall-clock rate (measured when N is 1M). */
  projected1MSeconds: number;
  /** The database right after seeding (custos.sqlite and its -wal; or PostgreSQL's database size): customers, keys, lookup rows, audit events. */
  databaseBytes: number;
  bytesPerCustomer: number;
  storage: StoredObject[];
}

export interface ProcessMemory {
  /** VmRSS once started, before any load. */
  idleRssBytes: number | null;
  /** The highest VmRSS sampled (every 200 ms) during the 64-connection GET load. */
  loadMaxRssBytes: number | null;
  /** VmRSS a second after that load. */
  afterLoadRssBytes: number | null;
  /** VmHWM (the process's highest RSS ever) when it was stopped, after every run against it. */
  peakRssBytes: number | null;
}

export type ThroughputName = 'bare-customer-get' | 'custos-customer-get';
export type LatencyName = 'bare-static-floor' | 'custos-email-lookup' | 'custos-list-first-page' | 'custos-list-middle-page' | 'custos-list-random-page';

export interface ThroughputResult extends Figures {
  description: string;
  memory: ProcessMemory;
}

export interface LatencyResult extends LatencyFigures {
  description: string;
  /** One of the requests, for the reader. */
  examplePath: string;
}

export interface Goal {
  name: string;
  value: number | null;
  unit: string;
  comparison: '≤' | '≥';
  goal: number;
  /** null when the figure could not be measured here (no /proc). */
  met: boolean | null;
}

export interface CustomersReport {
  benchmark: 'customers' | 'customers-pg';
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** The system's 1, 5 and 15-minute load averages before seeding, and before the first server started. */
  loadAverageAtStart: [number, number, number];
  loadAverageBeforeServers: [number, number, number];
  commit: string | null;
  settings: CustomersSettings;
  seeding: Seeding;
  throughput: Record<ThroughputName, ThroughputResult>;
  latency: Record<LatencyName, LatencyResult>;
  goals: Goal[];
}

const MB = 1024 * 1024;

export function goal(name: string, value: number | null, unit: string, comparison: '≤' | '≥', target: number): Goal {
  const met = value === null ? null : comparison === '≤' ? value <= target : value >= target;
  return { name, value, unit, comparison, goal: target, met };
}

export function goalsOf(report: Omit<CustomersReport, 'goals'>): Goal[] {
  const { seeding, throughput, latency, settings } = report;
  const custos = throughput['custos-customer-get'];
  const peak = custos.memory.peakRssBytes;
  return [
    goal(settings.customers >= 1_000_000 ? 'seeding 1M customers' : `seeding 1M customers (projected from ${settings.customers.toLocaleString('en')})`, seeding.projected1MSeconds, 's', '≤', 120),
    goal('custos-customer-get / bare-customer-get', custos.requestsPerSecond / throughput['bare-customer-get'].requestsPerSecond, '', '≥', 0.5),
    goal('email lookup p50', latency['custos-email-lookup'].latencyP50Ms, 'ms', '≤', 2),
    goal('list first page p99', latency['custos-list-first-page'].latencyP99Ms, 'ms', '≤', 50),
    goal('list middle page p99', latency['custos-list-middle-page'].latencyP99Ms, 'ms', '≤', 50),
    goal('list random page p99', latency['custos-list-random-page'].latencyP99Ms, 'ms', '≤', 50),
    goal('custos serve peak RSS (VmHWM)', peak === null ? null : peak / MB, 'MB', '≤', 400),
  ];
}

export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

const whole = (value: number) => Math.round(value).toLocaleString('en');
const megabytes = (bytes: number | null) => (bytes === null ? '–' : (bytes / MB).toFixed(0));
const ms = (value: number) => value.toFixed(2);

export function formatCustomersReport(report: CustomersReport): string {
  const { settings, seeding } = report;
  const lookupBytes = seeding.storage.filter((o) => o.table === 'customer_lookup').reduce((sum, o) => sum + o.bytes, 0);
  const storedTotal = seeding.storage.reduce((sum, o) => sum + o.bytes, 0);
  const lines = [
    `Customers on ${settings.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — ${whole(settings.customers)} seeded (seed ${settings.seed}); throughput: ${settings.connections} connections, ` +
      `latency: ${settings.latencyConnections} connection(s); ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured per run`,
    `list requests: ${settings.listQuery} (the filter keeps ${whole(settings.listed)} customers)`,
    `load average before seeding: ${report.loadAverageAtStart.join(', ')}; before the servers: ${report.loadAverageBeforeServers.join(', ')} ` +
      '(1, 5, 15 min; the seeding itself raises them; anything else running skews the figures)',
    '',
    `seeding   ${whole(seeding.created)} customers in ${seeding.wallSeconds.toFixed(1)} s wall (${seeding.seconds.toFixed(1)} s in the CLI's batches): ` +
      `${whole(seeding.created / seeding.wallSeconds)} customers/s wall, ${whole(seeding.perSecond)}/s CLI; 1M at this rate: ${whole(seeding.projected1MSeconds)} s` +
      `; seeding process peak RSS ${megabytes(seeding.peakRssBytes)} MB`,
    `storage   ${settings.database === 'sqlite' ? 'custos.sqlite' : 'database'} ${megabytes(seeding.databaseBytes)} MB = ${whole(seeding.bytesPerCustomer)} bytes per customer` +
      (storedTotal > 0 ? ` (customer_lookup with its indexes: ${((100 * lookupBytes) / storedTotal).toFixed(0)}%)` : ''),
    ...table(
      ['  table or index', 'MB', 'bytes/customer'],
      seeding.storage.slice(0, 8).map((o) => [`  ${o.name}`, megabytes(o.bytes), whole(o.bytesPerCustomer)]),
    ),
    '',
    ...table(
      ['GET /api/customers/:id', 'req/s (mean)', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'idle RSS MB', 'load max RSS MB', 'peak RSS MB'],
      Object.entries(report.throughput).map(([name, t]) => [
        name,
        whole(t.requestsPerSecond),
        String(t.latencyP50Ms),
        String(t.latencyP99Ms),
        ms(t.latencyMeanMs),
        String(t.requests),
        megabytes(t.memory.idleRssBytes),
        megabytes(t.memory.loadMaxRssBytes),
        megabytes(t.memory.peakRssBytes),
      ]),
    ),
    '',
    ...table(
      [`latency (${settings.latencyConnections} connection${settings.latencyConnections === 1 ? '' : 's'})`, 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'mean ms', 'requests'],
      Object.entries(report.latency).map(([name, l]) => [
        name,
        whole(l.requestsPerSecond),
        ms(l.latencyP50Ms),
        ms(l.latencyP90Ms),
        ms(l.latencyP99Ms),
        ms(l.latencyMaxMs),
        ms(l.latencyMeanMs),
        String(l.requests),
      ]),
    ),
    '',
    `custos serve after the GET load: RSS ${megabytes(report.throughput['custos-customer-get'].memory.afterLoadRssBytes)} MB`,
    '',
    ...table(
      ['goal', 'value', 'goal', 'verdict'],
      report.goals.map((g) => [
        g.name,
        g.value === null ? '–' : `${g.unit === '' ? g.value.toFixed(2) : g.value < 10 ? g.value.toFixed(2) : whole(g.value)}${g.unit ? ` ${g.unit}` : ''}`,
        `${g.comparison} ${g.goal}${g.unit ? ` ${g.unit}` : ''}`,
        g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met',
      ]),
    ),
  ];
  return lines.join('\n');
}
