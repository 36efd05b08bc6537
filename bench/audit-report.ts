// The audit benchmark's result: its shape, its goals and the table it prints.
import type { Machine } from './common.js';
import { goal, table, type Goal, type ProcessMemory } from './customers-report.js';
import type { Generated, Storage, Verification } from './audit-trail.js';
import type { SeedResult } from './custos-server.js';
import type { Figures, LoadSettings } from './measure.js';

export interface AuditSettings extends LoadSettings {
  customers: number;
  seed: number;
  /** customer.viewed events generated for the storage and verification figures. */
  events: number;
  /** Generated events a transaction: the chain hashes each transaction's events as one block. */
  eventsPerCommit: number;
  /** How many customer ids (sampled at random across the table) the GET runs rotate through, the same for every run. */
  sampledIds: number;
  /** Sent with every request of the runs, so the events carry what a browser's reads carry. */
  userAgent: string;
}

export type ReadRunName = 'unaudited-admin' | 'audited-admin' | 'audited-rep';

export interface ReadRun extends Figures {
  description: string;
  memory: ProcessMemory;
  /** customer.viewed events the trail gained during the run (warm-up included): none without auditing. */
  viewedEventsAdded: number;
}

/** A fixed number of reads before the load, and the customer.viewed events they added: one each, or none. */
export interface AuditCheck {
  requests: number;
  viewedEventsAdded: number;
}

export interface StorageShare {
  name: string;
  table: string;
  bytesBefore: number;
  bytesAfter: number;
  bytesPerEvent: number;
}

export interface TrailFigures {
  generated: Generated & { perSecond: number };
  /** Real customer.viewed events (written by the audited server during the runs) the generated ones copy. */
  templates: number;
  /** How many different metadata the real events had (the field levels of a person's or company's record, owner's or rep's), and the commonest, as stored. */
  metadataVariants: number;
  commonMetadata: string[];
  before: Storage;
  after: Storage;
  bytesPerEvent: number;
  /** Each table or index's growth, largest first. */
  shares: StorageShare[];
  verify: Verification;
}

export interface AuditReport {
  benchmark: 'audit';
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  /** The system's 1, 5 and 15-minute load averages before seeding, and before the first server started. */
  loadAverageAtStart: [number, number, number];
  loadAverageBeforeServers: [number, number, number];
  commit: string | null;
  settings: AuditSettings;
  seeding: SeedResult;
  checks: { audited: AuditCheck; unaudited: AuditCheck };
  reads: Record<ReadRunName, ReadRun>;
  trail: TrailFigures;
  goals: Goal[];
}

export function goalsOf(report: Omit<AuditReport, 'goals'>): Goal[] {
  const { reads, trail } = report;
  return [
    goal('audited-admin / unaudited-admin (read auditing)', reads['audited-admin'].requestsPerSecond / reads['unaudited-admin'].requestsPerSecond, '', '≥', 0.85),
    goal('audited-rep / audited-admin (scopes, field security)', reads['audited-rep'].requestsPerSecond / reads['audited-admin'].requestsPerSecond, '', '≥', 0.9),
    goal('custos audit verify', trail.verify.eventsPerSecond, 'events/s', '≥', 500_000),
    goal('storage per read event', trail.bytesPerEvent, 'bytes', '≤', 300),
  ];
}

const whole = (value: number) => Math.round(value).toLocaleString('en');
const megabytes = (bytes: number | null) => (bytes === null ? '–' : (bytes / 1024 / 1024).toFixed(0));

export function formatAuditReport(report: AuditReport): string {
  const { settings, seeding, trail } = report;
  const { generated, verify } = trail;
  return [
    `Audit — ${whole(settings.customers)} demo customers (seed ${settings.seed}), SQLite; ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured per run, ` +
      `${whole(settings.sampledIds)} customer ids in turn`,
    `load average before seeding: ${report.loadAverageAtStart.join(', ')}; before the servers: ${report.loadAverageBeforeServers.join(', ')} (1, 5, 15 min; anything else running skews the figures)`,
    `seeding: ${whole(seeding.created)} customers in ${seeding.wallSeconds.toFixed(1)} s`,
    `check before the load, ${report.checks.audited.requests} reads each: audited server +${report.checks.audited.viewedEventsAdded} customer.viewed events, unaudited +${report.checks.unaudited.viewedEventsAdded}`,
    '',
    ...table(
      ['GET /api/customers/:id', 'req/s (mean)', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'events added', 'load max RSS MB'],
      Object.entries(report.reads).map(([name, run]) => [
        name,
        whole(run.requestsPerSecond),
        String(run.latencyP50Ms),
        String(run.latencyP99Ms),
        run.latencyMeanMs.toFixed(2),
        String(run.requests),
        String(run.viewedEventsAdded),
        megabytes(run.memory.loadMaxRssBytes),
      ]),
    ),
    '',
    `trail: ${whole(generated.events)} customer.viewed events appended with recordMany, ${whole(settings.eventsPerCommit)} a transaction (copies of ${whole(trail.templates)} real ones), in ${generated.seconds.toFixed(1)} s, ${whole(generated.perSecond)} events/s`,
    `storage: custos.sqlite ${megabytes(trail.before.fileBytes)} → ${megabytes(trail.after.fileBytes)} MB (after a TRUNCATE checkpoint) = ${whole(trail.bytesPerEvent)} bytes per event`,
    ...table(
      ['  table or index', 'table', 'MB added', 'bytes/event'],
      trail.shares.filter((share) => share.bytesAfter !== share.bytesBefore).map((share) => [`  ${share.name}`, share.table, megabytes(share.bytesAfter - share.bytesBefore), share.bytesPerEvent.toFixed(1)]),
    ),
    `verify: custos audit verify --json checked ${whole(verify.events)} events in ${verify.seconds.toFixed(2)} s (${whole(verify.eventsPerSecond)} events/s); the command took ${verify.wallSeconds.toFixed(2)} s`,
    '',
    ...table(
      ['goal', 'value', 'goal', 'verdict'],
      report.goals.map((g) => [
        g.name,
        g.value === null ? '–' : `${g.unit === '' ? g.value.toFixed(2) : whole(g.value)}${g.unit ? ` ${g.unit}` : ''}`,
        `${g.comparison} ${g.goal.toLocaleString('en')}${g.unit ? ` ${g.unit}` : ''}`,
        g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met',
      ]),
    ),
  ].join('\n');
}
