const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The local calendar day of an instant, `2026-11-29`: the viewer's day, not UTC's. */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Whole calendar days from `day` to `today` (both local), daylight-saving changes notwithstanding. */
function daysBetween(day: Date, today: Date): number {
  const start = Date.UTC(day.getFullYear(), day.getMonth(), day.getDate());
  const end = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((end - start) / DAY);
}

/** "5 minutes ago" / "5分钟前" for the last day, else null: older times read better as dates. */
export function recentTime(date: Date, now: Date, language: string): string | null {
  const elapsed = now.getTime() - date.getTime();
  if (elapsed < 0 || elapsed >= DAY) return null;
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (elapsed < MINUTE) return format.format(0, 'second');
  if (elapsed < HOUR) return format.format(-Math.floor(elapsed / MINUTE), 'minute');
  return format.format(-Math.floor(elapsed / HOUR), 'hour');
}

/** "today", "yesterday", "3 days ago" (or 今天, 昨天, 3天前) for the last week; null for older days and the future. */
export function recentDay(date: Date, now: Date, language: string): string | null {
  const days = daysBetween(date, now);
  if (days < 0 || days > 6) return null;
  return new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(-days, 'day');
}
