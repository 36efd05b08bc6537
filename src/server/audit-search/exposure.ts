/**
 * Breach scoping over the audit trail: which events showed customer data, and what each showed —
 * which customers, which fields at which level, which of their records. Pure: the service feeds
 * it the events it reads, a batch at a time, and it keeps one tally per customer (or actor).
 */

import { EXPOSURE_LEVELS, type ExposureLevel, type Seen } from '../../shared/audit.js';

/** How much of a field an actor saw, lowest to highest: masked, in clear, revealed (a sensitive value shown with a stated reason). */
export { EXPOSURE_LEVELS, type ExposureLevel };

/** The reads that show customer data to whoever makes them. */
export const EXPOSING_READS = ['customer.viewed', 'customer.listed', 'customer.looked_up', 'customer.revealed', 'customer.activity_viewed', 'customer.history_viewed'] as const;

/** Exports show data too: any `<area>.exported`, except the audit trail's own (its rows name customers but hold none of their data). */
export const EXPORTED_SUFFIX = '.exported';
export const isExposing = (action: string): boolean =>
  (EXPOSING_READS as readonly string[]).includes(action) || (action.endsWith(EXPORTED_SUFFIX) && !action.startsWith('audit.'));

/** An audit event as far as exposure needs it. */
export interface ExposureEvent {
  at: number;
  action: string;
  object_type: string | null;
  object_id: string | null;
  /** JSON, as stored. */
  metadata: string;
}

/** What one event showed. */
export interface Shown {
  customerIds: string[];
  fields: [string, ExposureLevel][];
  /** Which of the customers' records beside their fields (notes, transactions…), or that they were exported. */
  activity: string | null;
  /** An export's row count (0 for reads): what is known of an export whose metadata does not name its customers. */
  exportedRows: number;
}

const rank = (level: ExposureLevel) => EXPOSURE_LEVELS.indexOf(level);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function parseMetadata(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A `fields` entry of metadata: a map of levels (views and list pages; `hidden` means not shown)
 * or a list of keys (reveals: in clear with a reason; exports: in clear). List pages recorded
 * before they carried `fields` show their customers with no field known.
 */
function fieldsOf(value: unknown, listed: ExposureLevel): [string, ExposureLevel][] {
  if (Array.isArray(value)) return strings(value).map((key) => [key, listed]);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, level]): [string, ExposureLevel][] => (level === 'clear' || level === 'masked' ? [[key, level]] : []));
}

export function shownBy(event: ExposureEvent): Shown {
  const metadata = parseMetadata(event.metadata);
  const own = event.object_type === 'customer' && event.object_id ? [event.object_id] : [];
  const customerIds = [...new Set([...own, ...strings(metadata.customerIds)])];
  if (event.action === 'customer.revealed') return { customerIds, fields: fieldsOf(metadata.fields, 'revealed'), activity: null, exportedRows: 0 };
  if (event.action === 'customer.activity_viewed') return { customerIds, fields: [], activity: typeof metadata.what === 'string' ? metadata.what : null, exportedRows: 0 };
  if (!event.action.endsWith(EXPORTED_SUFFIX)) return { customerIds, fields: fieldsOf(metadata.fields, 'clear'), activity: null, exportedRows: 0 };
  const rows = typeof metadata.rows === 'number' && Number.isSafeInteger(metadata.rows) && metadata.rows > 0 ? metadata.rows : 0;
  return { customerIds, fields: fieldsOf(metadata.fields, 'clear'), activity: 'exported', exportedRows: rows };
}

interface Tally {
  firstSeen: number;
  lastSeen: number;
  events: number;
  fields: Map<string, ExposureLevel>;
  activity: Set<string>;
  tokenIds: Set<string>;
}

export interface TallyEntry extends Seen {
  key: string;
}

/**
 * Tallies exposure by a key — the customer when asking about an actor, the actor when asking
 * about a customer — and counts the exposing events per UTC day (the page's chart).
 */
export function createTally() {
  const byKey = new Map<string, Tally>();
  const days = new Map<string, number>();
  let events = 0;

  return {
    /** One exposing event, counted once whatever it showed. */
    countEvent(at: number): void {
      events += 1;
      const day = new Date(at).toISOString().slice(0, 10);
      days.set(day, (days.get(day) ?? 0) + 1);
    },

    add(key: string, at: number, shown: Pick<Shown, 'fields' | 'activity'>, tokenId: string | null = null): void {
      let tally = byKey.get(key);
      if (!tally) byKey.set(key, (tally = { firstSeen: at, lastSeen: at, events: 0, fields: new Map(), activity: new Set(), tokenIds: new Set() }));
      tally.firstSeen = Math.min(tally.firstSeen, at);
      tally.lastSeen = Math.max(tally.lastSeen, at);
      tally.events += 1;
      for (const [field, level] of shown.fields) {
        const known = tally.fields.get(field);
        if (!known || rank(level) > rank(known)) tally.fields.set(field, level);
      }
      if (shown.activity) tally.activity.add(shown.activity);
      if (tokenId) tally.tokenIds.add(tokenId);
    },

    get events() {
      return events;
    },

    get size() {
      return byKey.size;
    },

    /** Per UTC day, oldest first. */
    days(): { day: string; events: number }[] {
      return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, events: count }));
    },

    /** The most recently exposed first (ties by key, so the order is stable). */
    entries(): TallyEntry[] {
      return [...byKey.entries()]
        .sort(([keyA, a], [keyB, b]) => b.lastSeen - a.lastSeen || keyA.localeCompare(keyB))
        .map(([key, tally]) => ({
          key,
          firstSeen: new Date(tally.firstSeen).toISOString(),
          lastSeen: new Date(tally.lastSeen).toISOString(),
          events: tally.events,
          fields: Object.fromEntries([...tally.fields.entries()].sort(([a], [b]) => a.localeCompare(b))),
          activity: [...tally.activity].sort(),
          tokenIds: [...tally.tokenIds].sort(),
        }));
    },
  };
}
