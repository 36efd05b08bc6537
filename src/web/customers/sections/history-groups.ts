import type { HistoryEntry } from '../history-api.js';

/** One change as someone made it: the fields one save (or one job's pass) changed, at one moment. */
export interface HistoryChange {
  /** The id of its newest entry: stable while more pages load. */
  key: string;
  at: string;
  actor: HistoryEntry['actor'];
  /** In the order they were written. */
  entries: HistoryEntry[];
}

const sameActor = (a: HistoryEntry['actor'], b: HistoryEntry['actor']) => a.type === b.type && a.id === b.id;

/**
 * Entries (newest first, as the server pages them) grouped into changes: neighbours of the same
 * moment and actor were one save, so a form that changed three fields reads as one change.
 */
export function groupChanges(entries: readonly HistoryEntry[]): HistoryChange[] {
  const changes: HistoryChange[] = [];
  for (const entry of entries) {
    const last = changes[changes.length - 1];
    if (last && last.at === entry.at && sameActor(last.actor, entry.actor)) last.entries.unshift(entry);
    else changes.push({ key: entry.id, at: entry.at, actor: entry.actor, entries: [entry] });
  }
  return changes;
}
