import { ALERT_ACTIONS, minutesOfDay, type AlertAction, type AlertRule, type AlertSeverity, type RuleSettings, type WorkingHours } from '../../shared/alert-rules.js';

export type { RuleSettings };
import { badRequest } from '../http/errors.js';
import { isTimeZone } from './working-hours.js';

/**
 * How a rule judges the trail. `count` rules add something up per person over a sliding window
 * and compare it with the threshold (`more_than` or `at_least`); `event` rules raise on one event
 * (outside working hours, from a new address), at most once per person per window.
 */
export interface RuleDefinition {
  key: AlertRule;
  severity: AlertSeverity;
  kind: 'count' | 'event';
  comparison: 'more_than' | 'at_least' | null;
  /** The responses that make sense for what the rule watches. */
  actions: readonly AlertAction[];
  defaults: Omit<RuleSettings, 'key'>;
}


const NO_EXTRAS = { threshold: null, lookbackDays: null, workingHours: null };
const EVERY_ACTION = ALERT_ACTIONS;

/** Monday to Friday, 08:00 to 20:00, China Standard Time. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00', timeZone: 'Asia/Shanghai' };

/** Every rule is on by default; the defaults are those of docs/SECURITY.md. */
export const RULE_DEFINITIONS: Record<AlertRule, RuleDefinition> = {
  bulk_viewing: {
    key: 'bulk_viewing',
    severity: 'high',
    kind: 'count',
    comparison: 'more_than',
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'end_sessions', threshold: 200, windowMinutes: 10 },
  },
  mass_export: {
    key: 'mass_export',
    severity: 'high',
    kind: 'count',
    comparison: 'more_than',
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'suspend', threshold: 1000, windowMinutes: 60 },
  },
  many_reveals: {
    key: 'many_reveals',
    severity: 'medium',
    kind: 'count',
    comparison: 'more_than',
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'none', threshold: 10, windowMinutes: 60 },
  },
  off_hours: {
    key: 'off_hours',
    severity: 'low',
    kind: 'event',
    comparison: null,
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'none', windowMinutes: 12 * 60, workingHours: DEFAULT_WORKING_HOURS },
  },
  new_ip: {
    key: 'new_ip',
    severity: 'medium',
    kind: 'event',
    comparison: null,
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'none', windowMinutes: 60, lookbackDays: 90 },
  },
  token_new_ip: {
    key: 'token_new_ip',
    severity: 'high',
    kind: 'event',
    comparison: null,
    // A token has no session and no second factor: the one response is to revoke it.
    actions: ['none', 'suspend'],
    defaults: { ...NO_EXTRAS, enabled: true, action: 'none', windowMinutes: 60, lookbackDays: 90 },
  },
  repeated_denials: {
    key: 'repeated_denials',
    severity: 'medium',
    kind: 'count',
    comparison: 'at_least',
    actions: EVERY_ACTION,
    defaults: { ...NO_EXTRAS, enabled: true, action: 'none', threshold: 10, windowMinutes: 10 },
  },
};

/** What a workspace stored for a rule; any part missing falls back to the default. */
export interface StoredRule {
  enabled: boolean;
  action: string;
  params: Partial<Pick<RuleSettings, 'threshold' | 'windowMinutes' | 'lookbackDays' | 'workingHours'>>;
}

export function settingsOf(key: AlertRule, stored: StoredRule | undefined): RuleSettings {
  const definition = RULE_DEFINITIONS[key];
  const defaults = definition.defaults;
  if (!stored) return { key, ...defaults };
  const action = definition.actions.includes(stored.action as AlertAction) ? (stored.action as AlertAction) : defaults.action;
  const { params } = stored;
  // A setting the rule does not have stays null whatever is stored.
  return {
    key,
    enabled: stored.enabled,
    action,
    threshold: defaults.threshold === null ? null : (params.threshold ?? defaults.threshold),
    windowMinutes: params.windowMinutes ?? defaults.windowMinutes,
    lookbackDays: defaults.lookbackDays === null ? null : (params.lookbackDays ?? defaults.lookbackDays),
    workingHours: defaults.workingHours === null ? null : (params.workingHours ?? defaults.workingHours),
  };
}

/** A change to one rule, as the API takes it: what is not given stays as it is. */
export interface RuleChange {
  key: AlertRule;
  enabled?: boolean;
  action?: AlertAction;
  threshold?: number;
  windowMinutes?: number;
  lookbackDays?: number;
  workingHours?: WorkingHours;
}

/**
 * Applies a change to a rule's settings, refusing what does not fit the rule (a threshold on a
 * rule that counts nothing, a response the rule cannot take, working hours that end before they
 * start or a time zone the server does not know). `at` names the change in error fields.
 */
export function applyChange(current: RuleSettings, change: RuleChange, at: string): { next: RuleSettings; changed: string[] } {
  const definition = RULE_DEFINITIONS[current.key];
  const next: RuleSettings = { ...current };
  const changed: string[] = [];
  const refuse = (field: string, code: string, message: string) => badRequest(code, message, `${at}.${field}`);

  if (change.enabled !== undefined && change.enabled !== current.enabled) {
    next.enabled = change.enabled;
    changed.push('enabled');
  }
  if (change.action !== undefined) {
    if (!definition.actions.includes(change.action)) throw refuse('action', 'action_not_allowed', `The rule ${current.key} cannot respond with ${change.action}.`);
    if (change.action !== current.action) changed.push('action');
    next.action = change.action;
  }
  if (change.threshold !== undefined) {
    if (definition.kind !== 'count') throw refuse('threshold', 'not_applicable', `The rule ${current.key} has no threshold.`);
    if (change.threshold !== current.threshold) changed.push('threshold');
    next.threshold = change.threshold;
  }
  if (change.windowMinutes !== undefined) {
    if (change.windowMinutes !== current.windowMinutes) changed.push('windowMinutes');
    next.windowMinutes = change.windowMinutes;
  }
  if (change.lookbackDays !== undefined) {
    if (current.lookbackDays === null) throw refuse('lookbackDays', 'not_applicable', `The rule ${current.key} has no look-back period.`);
    if (change.lookbackDays !== current.lookbackDays) changed.push('lookbackDays');
    next.lookbackDays = change.lookbackDays;
  }
  if (change.workingHours !== undefined) {
    if (current.workingHours === null) throw refuse('workingHours', 'not_applicable', `The rule ${current.key} has no working hours.`);
    const hours = { ...change.workingHours, days: [...new Set(change.workingHours.days)].sort((a, b) => a - b) };
    if (!isTimeZone(hours.timeZone)) throw refuse('workingHours.timeZone', 'invalid_time_zone', `${hours.timeZone} is not a time zone this server knows (use an IANA name such as Asia/Shanghai).`);
    if (minutesOfDay(hours.end) <= minutesOfDay(hours.start)) throw refuse('workingHours.end', 'invalid_working_hours', 'Working hours must end after they start, on the same day.');
    if (JSON.stringify(hours) !== JSON.stringify(current.workingHours)) changed.push('workingHours');
    next.workingHours = hours;
  }
  return { next, changed: changed.map((name) => `${current.key}.${name}`) };
}
