import type { RegistryField } from '../customers/customers-api.js';
import type { MergeSide } from './duplicates-api.js';

/** What the merge dialog offers: the fields either customer has a value in, in registry order. */
export interface MergeRow {
  field: RegistryField;
  survivor: unknown;
  merged: unknown;
  /** Both sides hold the same value: nothing to choose. */
  same: boolean;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

export function mergeRows(fields: readonly RegistryField[], survivor: Record<string, unknown>, merged: Record<string, unknown>): MergeRow[] {
  return fields
    .filter((field) => !isEmpty(survivor[field.key]) || !isEmpty(merged[field.key]))
    .map((field) => ({ field, survivor: survivor[field.key], merged: merged[field.key], same: JSON.stringify(survivor[field.key] ?? null) === JSON.stringify(merged[field.key] ?? null) }));
}

/** The default choice per field: the survivor's value when it has one, else the merged customer's. */
export function defaultChoices(rows: readonly MergeRow[]): Record<string, MergeSide> {
  return Object.fromEntries(rows.map((row) => [row.field.key, isEmpty(row.survivor) ? 'merged' : 'survivor']));
}

/** Which of two customers survives by default: the one created first (older references point to it). */
export function defaultSurvivor<T extends { id: string; createdAt: string }>(a: T, b: T): [T, T] {
  return a.createdAt <= b.createdAt ? [a, b] : [b, a];
}
