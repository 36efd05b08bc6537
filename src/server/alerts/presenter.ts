import type { AlertAction, AlertRule, AlertSeverity, AlertStatus } from '../../shared/alert-rules.js';
import { fromDbJson, isoFromDb } from '../db/mapping.js';
import { RULE_DEFINITIONS, type RuleSettings } from './rules.js';
import type { AlertWithPeople } from './store.js';

/** An alert as the API shows it: the people in it by name, times as ISO strings. */
export function presentAlert(row: AlertWithPeople) {
  return {
    id: row.id,
    rule: row.rule as AlertRule,
    severity: row.severity as AlertSeverity,
    status: row.status as AlertStatus,
    actor: { type: row.actor_type, id: row.actor_id, displayName: row.actor_name, email: row.actor_email },
    tokenId: row.token_id,
    ip: row.ip,
    windowStart: isoFromDb(row.window_start)!,
    windowEnd: isoFromDb(row.window_end)!,
    count: Number(row.count),
    threshold: row.threshold === null ? null : Number(row.threshold),
    details: fromDbJson<Record<string, string | number>>(row.details) ?? {},
    firstSeq: Number(row.first_seq),
    lastSeq: Number(row.last_seq),
    raisedAt: isoFromDb(row.raised_at)!,
    acknowledgedAt: isoFromDb(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by === null ? null : { id: row.acknowledged_by, displayName: row.acknowledged_by_name },
    resolvedAt: isoFromDb(row.resolved_at),
    resolvedBy: row.resolved_by === null ? null : { id: row.resolved_by, displayName: row.resolved_by_name },
    action: row.action as AlertAction,
    actionResult: row.action_result,
    mail: row.mail,
  };
}

export type AlertView = ReturnType<typeof presentAlert>;

/** A rule's settings with what the settings page needs to offer them: its severity, what it counts, the responses it can take. */
export function presentRule(settings: RuleSettings) {
  const definition = RULE_DEFINITIONS[settings.key];
  return { ...settings, severity: definition.severity, kind: definition.kind, comparison: definition.comparison, actions: [...definition.actions] };
}
