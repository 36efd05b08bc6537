/**
 * The vocabulary of detection rules over the audit trail (issue #5), shared by server and web:
 * which rules exist, how serious each is, and the automatic responses an alert can trigger.
 */

export const ALERT_RULES = ['bulk_viewing', 'mass_export', 'many_reveals', 'off_hours', 'new_ip', 'token_new_ip', 'repeated_denials'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * What happens to the person behind an alert: nothing; every session ends and the next sign-in
 * asks for the password and second factor again; every session ends; the user is deactivated
 * (for a token rule: the token is revoked).
 */
export const ALERT_ACTIONS = ['none', 'require_mfa', 'end_sessions', 'suspend'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Days of the week as ISO 8601 numbers: 1 is Monday, 7 is Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** A workspace's working hours, in its own time zone (an IANA name such as `Asia/Shanghai`). */
export interface WorkingHours {
  days: number[];
  /** `HH:MM`, 24-hour, inclusive. */
  start: string;
  /** `HH:MM`, 24-hour, exclusive; after `start`. */
  end: string;
  timeZone: string;
}

/** A rule's settings in a workspace (its defaults unless an administrator changed them). */
export interface RuleSettings {
  key: AlertRule;
  enabled: boolean;
  action: AlertAction;
  /** Count rules only. */
  threshold: number | null;
  /** Count rules: the sliding window. Event rules: at most one alert per person this long. */
  windowMinutes: number;
  /** New-address rules: how far back an address counts as known. */
  lookbackDays: number | null;
  /** The off-hours rule only. */
  workingHours: WorkingHours | null;
}

/** `HH:MM` from 00:00 to 23:59. */
export const CLOCK_TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** Minutes since midnight of an `HH:MM` time. */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
