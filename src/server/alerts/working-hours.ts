import { minutesOfDay, type WorkingHours } from '../../shared/alert-rules.js';

const WEEKDAY_NUMBERS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** One formatter per time zone: building one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime's time zone database (ICU, through Intl) knows this IANA name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The ISO weekday (1 Monday … 7 Sunday) and the wall-clock time `HH:MM` at `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): { weekday: number; time: string } {
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((each) => each.type === type)?.value ?? '';
  return { weekday: WEEKDAY_NUMBERS[part('weekday')] ?? 0, time: `${part('hour')}:${part('minute')}` };
}

/** Whether `at` falls on a working day between the start (inclusive) and the end (exclusive), in the hours' own time zone. */
export function isWithinWorkingHours(at: number, hours: WorkingHours): boolean {
  const { weekday, time } = localTime(at, hours.timeZone);
  const minutes = minutesOfDay(time);
  return hours.days.includes(weekday) && minutes >= minutesOfDay(hours.start) && minutes < minutesOfDay(hours.end);
}
