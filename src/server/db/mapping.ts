/**
 * The one mapping between database values and application values, identical on SQLite and
 * PostgreSQL: times are stored as epoch milliseconds (bigint), booleans as 0/1, JSON as text.
 */
export function toDbTime(date: Date): number {
  return date.getTime();
}

export function fromDbTime(value: number | string): Date {
  return new Date(Number(value));
}

export function isoFromDb(value: number | string | null): string | null {
  return value === null ? null : fromDbTime(value).toISOString();
}

export function toDbBool(value: boolean): number {
  return value ? 1 : 0;
}

export function fromDbBool(value: number | string | boolean): boolean {
  return value === true || Number(value) === 1;
}

export function toDbJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromDbJson<T>(value: string | null): T | null {
  return value === null ? null : (JSON.parse(value) as T);
}
