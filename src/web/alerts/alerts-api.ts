import type { AlertAction, AlertRule, AlertSeverity, AlertStatus, RuleSettings as SharedRuleSettings, WorkingHours } from '../../shared/alert-rules.js';
import { api, apiRequest } from '../api/client.js';

/** An alert as `GET /api/alerts` shows it (server: alerts/presenter.ts). */
export interface Alert {
  id: string;
  rule: AlertRule;
  severity: AlertSeverity;
  status: AlertStatus;
  actor: { type: string; id: string | null; displayName: string | null; email: string | null };
  tokenId: string | null;
  ip: string | null;
  windowStart: string;
  windowEnd: string;
  count: number;
  threshold: number | null;
  /** The counts behind the alert, by name (customers, rows, reveals, accessDenied, weekday, time, …). */
  details: Record<string, string | number>;
  firstSeq: number;
  lastSeq: number;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: { id: string; displayName: string | null } | null;
  resolvedAt: string | null;
  resolvedBy: { id: string; displayName: string | null } | null;
  action: AlertAction;
  /** What the response did: sessions_ended, suspended, token_revoked, skipped_last_owner, … or none. */
  actionResult: string;
  /** off (no SMTP), none (nobody to tell), pending, sent, failed. */
  mail: string;
}

export interface AlertPage {
  items: Alert[];
  nextCursor: string | null;
  mail: { enabled: boolean };
}

export type AlertFilter = 'open' | 'all';

/** A rule's settings with what the page needs to offer them (server: alerts/presenter.ts). */
export interface RuleSettings extends SharedRuleSettings {
  severity: AlertSeverity;
  kind: 'count' | 'event';
  comparison: 'more_than' | 'at_least' | null;
  actions: AlertAction[];
}

/** A change to one rule: what is left out stays as it is. */
export type RuleChange = { key: AlertRule } & Partial<Pick<RuleSettings, 'enabled' | 'action' | 'threshold' | 'windowMinutes' | 'lookbackDays'>> & { workingHours?: WorkingHours };

export interface RulesState {
  rules: RuleSettings[];
  mail: { enabled: boolean };
}

export const alertsApi = {
  list: (filter: AlertFilter, cursor: string | null) => {
    const params = new URLSearchParams({ status: filter, limit: '50' });
    if (cursor) params.set('cursor', cursor);
    return api.get<AlertPage>(`/api/alerts?${params.toString()}`);
  },
  get: (id: string) => api.get<Alert>(`/api/alerts/${encodeURIComponent(id)}`),
  acknowledge: (id: string) => api.post<Alert>(`/api/alerts/${encodeURIComponent(id)}/acknowledge`),
  resolve: (id: string) => api.post<Alert>(`/api/alerts/${encodeURIComponent(id)}/resolve`),
  rules: () => api.get<RulesState>('/api/admin/alert-rules'),
  updateRules: (rules: RuleChange[]) => apiRequest<RulesState>('PUT', '/api/admin/alert-rules', { body: { rules } }),
};

export const ALERTS_QUERY_KEY = ['alerts'] as const;
export const alertQueryKey = (id: string) => ['alerts', 'one', id] as const;
export const ALERT_RULES_QUERY_KEY = ['admin', 'alert-rules'] as const;
