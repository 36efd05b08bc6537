import { useCallback, useState } from 'react';
import { DEFAULT_COLUMNS } from './list-fields.js';

const KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_COLUMNS = 40;

const storageKey = (userId: string) => `custos.customers.columns.${userId}`;

/** Field keys only (no values): what this browser remembers of the user's list. */
function read(userId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(storageKey(userId)) ?? 'null');
    if (Array.isArray(parsed) && parsed.every((key) => typeof key === 'string' && KEY.test(key))) return parsed.slice(0, MAX_COLUMNS);
  } catch {
    // Storage turned off or an unreadable entry: the default columns.
  }
  return [...DEFAULT_COLUMNS];
}

/** The columns a user chose for the list, kept in this browser per user (a saved view carries its own). */
export function useStoredColumns(userId: string): [string[], (columns: string[]) => void] {
  const [columns, setColumns] = useState(() => read(userId));
  const store = useCallback(
    (next: string[]) => {
      setColumns(next);
      try {
        window.localStorage.setItem(storageKey(userId), JSON.stringify(next));
      } catch {
        // A full or disabled storage keeps the choice for this visit only.
      }
    },
    [userId],
  );
  return [columns, store];
}
