import type { Kysely } from 'kysely';
import type { AlertRule } from '../../shared/alert-rules.js';
import type { DB } from '../db/schema.js';
import { fromDbJson } from '../db/mapping.js';
import { RULE_DEFINITIONS, type RuleSettings } from './rules.js';
import { hasEarlierActivity, latestAlert, seenFrom, subjectEvents, type TrailEvent } from './store.js';
import { isWithinWorkingHours, localTime } from './working-hours.js';

/** What a rule found in the trail: about whom, over which window, how much, and which events. */
export interface Finding {
  rule: AlertRule;
  /** The user id (a token id for the token rule) the rule counted for. */
  subject: string;
  actorType: string;
  actorId: string | null;
  tokenId: string | null;
  ip: string | null;
  windowStart: number;
  windowEnd: number;
  count: number;
  threshold: number | null;
  /** Numbers and codes behind the count; never a customer value. */
  details: Record<string, string | number>;
  firstSeq: number;
  lastSeq: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Events that show customers to someone: one record, a list page, a lookup. */
const VIEW_ACTIONS = ['customer.viewed', 'customer.listed', 'customer.looked_up'] as const;
const DENIAL_ACTIONS = ['access.denied', 'auth.sign_in_failed', 'auth.reauth_failed'] as const;

/** The customers a list page or lookup showed (the same list audit_event_customers indexes by customer). */
function customersShown(event: TrailEvent): readonly string[] {
  if (event.action === 'customer.viewed') return event.object_id ? [event.object_id] : [];
  const ids = fromDbJson<{ customerIds?: unknown }>(event.metadata)?.customerIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** How many rows an export says it let out (`rows`, else `count`); an export that does not say counts as one. */
function rowsExported(event: TrailEvent): number {
  const metadata = fromDbJson<{ rows?: unknown; count?: unknown }>(event.metadata) ?? {};
  const rows = typeof metadata.rows === 'number' ? metadata.rows : typeof metadata.count === 'number' ? metadata.count : 1;
  return Number.isFinite(rows) && rows > 0 ? rows : 0;
}

interface CountRule {
  /** Whether an event of the batch is one the rule counts, by a subject it can name. */
  counts(event: TrailEvent): boolean;
  /** The same events, as the query that reads a subject's window. */
  query: { actions?: readonly string[]; suffix?: string; excludePrefix?: string };
  measure(events: readonly TrailEvent[]): { count: number; details: Record<string, number> };
}

const byUser = (event: TrailEvent) => event.actor_type === 'user' && event.actor_id !== null;

const COUNT_RULES: Record<'bulk_viewing' | 'mass_export' | 'many_reveals' | 'repeated_denials', CountRule> = {
  bulk_viewing: {
    counts: (event) => byUser(event) && (VIEW_ACTIONS as readonly string[]).includes(event.action),
    query: { actions: VIEW_ACTIONS },
    measure(events) {
      const customers = new Set<string>();
      for (const event of events) for (const id of customersShown(event)) customers.add(id);
      return { count: customers.size, details: { customers: customers.size, events: events.length } };
    },
  },
  // Audit-trail downloads (`audit.exported`) hold ids and field keys, never customer values: they are not customer exports.
  mass_export: {
    counts: (event) => byUser(event) && event.action.endsWith('.exported') && !event.action.startsWith('audit.'),
    query: { suffix: '.exported', excludePrefix: 'audit.' },
    measure(events) {
      const rows = events.reduce((sum, event) => sum + rowsExported(event), 0);
      return { count: rows, details: { rows, exports: events.length } };
    },
  },
  many_reveals: {
    counts: (event) => byUser(event) && event.action === 'customer.revealed',
    query: { actions: ['customer.revealed'] },
    measure: (events) => ({ count: events.length, details: { reveals: events.length } }),
  },
  // Failed sign-ins are recorded against the account tried (an anonymous actor naming the user).
  repeated_denials: {
    counts: (event) => event.actor_type !== 'system' && event.actor_id !== null && (DENIAL_ACTIONS as readonly string[]).includes(event.action),
    query: { actions: DENIAL_ACTIONS },
    measure(events) {
      const tally = (action: string) => events.filter((event) => event.action === action).length;
      return { count: events.length, details: { accessDenied: tally('access.denied'), signInFailed: tally('auth.sign_in_failed'), reauthFailed: tally('auth.reauth_failed') } };
    },
  },
};

const passes = (settings: RuleSettings, count: number) =>
  settings.threshold !== null && (RULE_DEFINITIONS[settings.key].comparison === 'at_least' ? count >= settings.threshold : count > settings.threshold);

/** The events of a batch by subject, in chain order. */
function bySubject(events: readonly TrailEvent[], subjectOf: (event: TrailEvent) => string | null): Map<string, TrailEvent[]> {
  const groups = new Map<string, TrailEvent[]>();
  for (const event of events) {
    const subject = subjectOf(event);
    if (subject === null) continue;
    const group = groups.get(subject);
    if (group) group.push(event);
    else groups.set(subject, [event]);
  }
  return groups;
}

/** How many (person, address) pairs the detector remembers having seen, before it forgets them all. */
const KNOWN_ADDRESSES_MAX = 10_000;

/**
 * Judges batches of a workspace's audit trail against its rules. Each rule raises at most one
 * alert per subject per window: a count rule judges the window ending at the subject's latest
 * event in the batch, counting nothing an earlier alert counted; an event rule raises on the
 * subject's first qualifying event once the previous alert's window has passed.
 */
export function createRuleEvaluator(db: Kysely<DB>) {
  // (workspace, user, token, address) → when this process last saw it in the trail: spares a query per batch for people at their usual address.
  const knownAddresses = new Map<string, number>();

  /** The previous alert's hold: nothing new for the subject before its window has passed. */
  async function heldUntil(workspaceId: string, settings: RuleSettings, subject: string) {
    const previous = await latestAlert(db, workspaceId, settings.key, subject);
    return { afterSeq: previous?.lastSeq ?? 0, until: previous ? previous.windowEnd + settings.windowMinutes * MINUTE_MS : -Infinity };
  }

  async function countRule(workspaceId: string, settings: RuleSettings & { key: keyof typeof COUNT_RULES }, batch: readonly TrailEvent[], upToSeq: number): Promise<Finding[]> {
    const rule = COUNT_RULES[settings.key];
    const findings: Finding[] = [];
    for (const [subject, events] of bySubject(batch, (event) => (rule.counts(event) ? event.actor_id : null))) {
      const end = events.reduce((latest, event) => Math.max(latest, Number(event.at)), -Infinity);
      const hold = await heldUntil(workspaceId, settings, subject);
      if (end < hold.until) continue;
      const window = await subjectEvents(db, workspaceId, { actorId: subject, ...rule.query, from: end - settings.windowMinutes * MINUTE_MS, to: end, afterSeq: hold.afterSeq, upToSeq });
      const { count, details } = rule.measure(window);
      if (window.length === 0 || !passes(settings, count)) continue;
      const last = events.at(-1)!;
      findings.push({
        rule: settings.key,
        subject,
        actorType: last.actor_type,
        actorId: subject,
        tokenId: null,
        ip: null,
        windowStart: window.reduce((earliest, event) => Math.min(earliest, Number(event.at)), Infinity),
        windowEnd: end,
        count,
        threshold: settings.threshold,
        details,
        firstSeq: Number(window[0]!.seq),
        lastSeq: Number(window.at(-1)!.seq),
      });
    }
    return findings;
  }

  /** The first of each subject's candidate events that falls after the subject's previous alert's hold. */
  async function firstPerSubject(workspaceId: string, settings: RuleSettings, candidates: readonly TrailEvent[], subjectOf: (event: TrailEvent) => string): Promise<Map<string, TrailEvent>> {
    const chosen = new Map<string, TrailEvent>();
    for (const [subject, events] of bySubject(candidates, subjectOf)) {
      const hold = await heldUntil(workspaceId, settings, subject);
      const first = events.find((event) => Number(event.at) >= hold.until);
      if (first) chosen.set(subject, first);
    }
    return chosen;
  }

  const single = (settings: RuleSettings, subject: string, event: TrailEvent, details: Finding['details']): Finding => ({
    rule: settings.key,
    subject,
    actorType: event.actor_type,
    actorId: event.actor_id,
    tokenId: event.token_id,
    ip: event.ip,
    windowStart: Number(event.at),
    windowEnd: Number(event.at),
    count: 1,
    threshold: null,
    details,
    firstSeq: Number(event.seq),
    lastSeq: Number(event.seq),
  });

  async function offHours(workspaceId: string, settings: RuleSettings, batch: readonly TrailEvent[]): Promise<Finding[]> {
    const hours = settings.workingHours!;
    const outside = batch.filter((event) => byUser(event) && !isWithinWorkingHours(Number(event.at), hours));
    const chosen = await firstPerSubject(workspaceId, settings, outside, (event) => event.actor_id!);
    return [...chosen].map(([subject, event]) => {
      const { weekday, time } = localTime(Number(event.at), hours.timeZone);
      return single(settings, subject, event, { weekday, time, timeZone: hours.timeZone });
    });
  }

  /**
   * Signed-in activity from an address the user (or, for the token rule, the token) was not
   * seen at within the look-back period. The very first activity has nothing to compare with
   * and raises nothing.
   */
  async function newAddress(workspaceId: string, settings: RuleSettings, batch: readonly TrailEvent[], viaToken: boolean): Promise<Finding[]> {
    const lookbackMs = settings.lookbackDays! * DAY_MS;
    const watched = batch.filter((event) => byUser(event) && event.ip !== null && (event.token_id !== null) === viaToken);
    const keyOf = (event: TrailEvent) => [workspaceId, event.actor_id, event.token_id ?? '', event.ip].join('\u0000');
    const firstOfPair = new Map<string, TrailEvent>();
    for (const event of watched) if (!firstOfPair.has(keyOf(event))) firstOfPair.set(keyOf(event), event);
    const fresh: TrailEvent[] = [];
    for (const [key, event] of firstOfPair) {
      const at = Number(event.at);
      const lastSeen = knownAddresses.get(key);
      const who = { userId: event.actor_id!, tokenId: event.token_id };
      const known = (lastSeen !== undefined && lastSeen >= at - lookbackMs) || (await seenFrom(db, workspaceId, who, event.ip!, at - lookbackMs, Number(event.seq)));
      if (!known && (await hasEarlierActivity(db, workspaceId, who, Number(event.seq)))) fresh.push(event);
    }
    if (knownAddresses.size + firstOfPair.size > KNOWN_ADDRESSES_MAX) knownAddresses.clear();
    for (const event of watched) knownAddresses.set(keyOf(event), Math.max(Number(event.at), knownAddresses.get(keyOf(event)) ?? 0));
    fresh.sort((a, b) => Number(a.seq) - Number(b.seq));
    const chosen = await firstPerSubject(workspaceId, settings, fresh, (event) => (viaToken ? event.token_id! : event.actor_id!));
    return [...chosen].map(([subject, event]) => single(settings, subject, event, { lookbackDays: settings.lookbackDays! }));
  }

  return {
    /** The findings of every enabled rule over one batch of the workspace's trail, which ends at `upToSeq`. */
    async evaluate(workspaceId: string, rules: readonly RuleSettings[], batch: readonly TrailEvent[], upToSeq: number): Promise<Finding[]> {
      const findings: Finding[] = [];
      for (const settings of rules) {
        if (!settings.enabled) continue;
        switch (settings.key) {
          case 'bulk_viewing':
          case 'mass_export':
          case 'many_reveals':
          case 'repeated_denials':
            findings.push(...(await countRule(workspaceId, { ...settings, key: settings.key }, batch, upToSeq)));
            break;
          case 'off_hours':
            findings.push(...(await offHours(workspaceId, settings, batch)));
            break;
          case 'new_ip':
            findings.push(...(await newAddress(workspaceId, settings, batch, false)));
            break;
          case 'token_new_ip':
            findings.push(...(await newAddress(workspaceId, settings, batch, true)));
            break;
        }
      }
      return findings;
    },
  };
}

export type RuleEvaluator = ReturnType<typeof createRuleEvaluator>;
