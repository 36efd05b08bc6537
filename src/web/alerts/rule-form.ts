import { minutesOfDay, type AlertAction, type AlertRule, type WorkingHours } from '../../shared/alert-rules.js';
import type { RuleChange, RuleSettings } from './alerts-api.js';

/** The bounds the server takes (server: alerts/schema.ts), checked here first so the page says so at once. */
export const RULE_LIMITS = {
  threshold: { min: 1, max: 1_000_000 },
  windowMinutes: { min: 1, max: 7 * 24 * 60 },
  lookbackDays: { min: 1, max: 365 },
} as const;

type NumberSetting = keyof typeof RULE_LIMITS;

/** A rule as the form holds it: number fields as typed (a number input may hold an empty string). */
export interface RuleDraft {
  key: AlertRule;
  enabled: boolean;
  action: AlertAction;
  /** Null where the rule has no such setting. */
  threshold: number | string | null;
  windowMinutes: number | string;
  lookbackDays: number | string | null;
  workingHours: WorkingHours | null;
}

export type DraftProblem = 'number' | 'days' | 'hours' | 'timeZone';
export type DraftProblems = Partial<Record<NumberSetting | 'days' | 'hours' | 'timeZone', DraftProblem>>;

export function draftOf(rule: RuleSettings): RuleDraft {
  const { key, enabled, action, threshold, windowMinutes, lookbackDays, workingHours } = rule;
  return { key, enabled, action, threshold, windowMinutes, lookbackDays, workingHours };
}

const isWithin = (value: number | string, { min, max }: { min: number; max: number }) => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** What is wrong with a draft, by setting; empty when it can be sent. */
export function problemsOf(draft: RuleDraft): DraftProblems {
  const problems: DraftProblems = {};
  for (const setting of ['threshold', 'windowMinutes', 'lookbackDays'] as const) {
    const value = draft[setting];
    if (value !== null && !isWithin(value, RULE_LIMITS[setting])) problems[setting] = 'number';
  }
  const hours = draft.workingHours;
  if (hours) {
    if (hours.days.length === 0) problems.days = 'days';
    if (!/^\d{2}:\d{2}$/.test(hours.start) || !/^\d{2}:\d{2}$/.test(hours.end) || minutesOfDay(hours.end) <= minutesOfDay(hours.start)) problems.hours = 'hours';
    if (!hours.timeZone) problems.timeZone = 'timeZone';
  }
  return problems;
}

const sameHours = (a: WorkingHours | null, b: WorkingHours | null) =>
  a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end && a.timeZone === b.timeZone && [...a.days].sort().join() === [...b.days].sort().join());

/** What the drafts change in the saved rules, one entry per rule that changed, naming only what changed. */
export function changesOf(saved: readonly RuleSettings[], drafts: readonly RuleDraft[]): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const draft of drafts) {
    const rule = saved.find((each) => each.key === draft.key);
    if (!rule) continue;
    const change: RuleChange = { key: draft.key };
    if (draft.enabled !== rule.enabled) change.enabled = draft.enabled;
    if (draft.action !== rule.action) change.action = draft.action;
    for (const setting of ['threshold', 'windowMinutes', 'lookbackDays'] as const) {
      const value = draft[setting];
      if (typeof value === 'number' && value !== rule[setting]) change[setting] = value;
    }
    if (draft.workingHours && !sameHours(draft.workingHours, rule.workingHours)) change.workingHours = { ...draft.workingHours, days: [...draft.workingHours.days].sort((a, b) => a - b) };
    if (Object.keys(change).length > 1) changes.push(change);
  }
  return changes;
}
