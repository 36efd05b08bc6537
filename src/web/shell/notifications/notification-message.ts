import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { ALERT_RULES, type AlertRule } from '../../../shared/alert-rules.js';
import type { AppNotification } from './notifications-api.js';

/** The payload's values under `keys` when each is a string, else null (a payload of another shape is not guessed at). */
export function stringsOf<K extends string>(payload: Record<string, unknown>, keys: readonly K[]): Record<K, string> | null {
  const values = {} as Record<K, string>;
  for (const key of keys) {
    const value = payload[key];
    if (typeof value !== 'string') return null;
    values[key] = value;
  }
  return values;
}

const BREAK_GLASS_KEYS = ['displayName', 'reason', 'expiresAt'] as const;
const ALERT_KEYS = ['rule'] as const;

/** One sentence per notification, in the interface language. */
export function useNotificationMessage(): (notification: AppNotification) => string {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return useCallback(
    (notification) => {
      const breakGlass = notification.kind === 'break_glass.started' ? stringsOf(notification.payload, BREAK_GLASS_KEYS) : null;
      if (breakGlass) return t('shell.notifications.breakGlassStarted', { name: breakGlass.displayName, time: formatDate(breakGlass.expiresAt), reason: breakGlass.reason });
      const alert = notification.kind === 'alert.raised' ? stringsOf(notification.payload, ALERT_KEYS) : null;
      if (alert && (ALERT_RULES as readonly string[]).includes(alert.rule)) {
        const name = typeof notification.payload.displayName === 'string' ? notification.payload.displayName : t('alerts.who.unknown');
        return t('shell.notifications.alertRaised', { rule: t(`alerts.rules.${alert.rule as AlertRule}.name`), name });
      }
      if (notification.kind === 'backup.failed') {
        const code = typeof notification.payload.errorCode === 'string' ? notification.payload.errorCode : '—';
        return notification.payload.reason === 'overdue' ? t('shell.notifications.backupOverdue') : t('shell.notifications.backupFailed', { code });
      }
      return t('shell.notifications.unknown');
    },
    [t, formatDate],
  );
}
