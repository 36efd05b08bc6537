import type { CustomerKind } from '../../shared/fields.js';
import { MONTHS_HORIZON, staleFrom, type QualityField, type QualityReport } from '../../shared/quality.js';

/** A field's completeness: the share of customers of its kind holding a value, 0–100 with one decimal. */
export interface CompletenessRow {
  key: string;
  label: string;
  percent: number;
  filled: number;
  empty: number;
}

const percentOf = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/** The fields of one kind, least complete first: what needs work shows at the top. */
export function completenessRows(fields: readonly QualityField[], kind: CustomerKind, language: string): CompletenessRow[] {
  return fields
    .filter((field) => field.kind === kind)
    .map((field) => ({ key: field.key, label: labelOf(field, language), percent: percentOf(field.filled, field.filled + field.empty), filled: field.filled, empty: field.empty }))
    .sort((a, b) => a.percent - b.percent || a.label.localeCompare(b.label, language));
}

export function labelOf(field: Pick<QualityField, 'labels'>, language: string): string {
  return language.startsWith('zh') ? field.labels['zh-CN'] : field.labels.en;
}

/** One row per field and reason with values refused today, most first. */
export interface InvalidRow {
  kind: CustomerKind;
  key: string;
  label: string;
  code: string;
  count: number;
}

export function invalidRows(fields: readonly QualityField[], language: string): InvalidRow[] {
  return fields
    .flatMap((field) => field.invalid.map(({ code, count }) => ({ kind: field.kind, key: field.key, label: labelOf(field, language), code, count })))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, language));
}

/**
 * The months-since-last-activity histogram in bars a phone can show: under 1 month, 1–2, 3–5,
 * 6–11, 12–23, 24–35 and 36 or more. Every threshold one may choose (3, 6, 12, 24) is a bar's
 * start, so a bar is wholly stale or wholly not: `stale` holds its count when it is, `active` otherwise.
 */
export const STALE_BARS: readonly { from: number; to: number | null }[] = [
  { from: 0, to: 0 },
  { from: 1, to: 2 },
  { from: 3, to: 5 },
  { from: 6, to: 11 },
  { from: 12, to: 23 },
  { from: 24, to: MONTHS_HORIZON - 1 },
  { from: MONTHS_HORIZON, to: null },
];

export interface StaleBar {
  from: number;
  to: number | null;
  active: number;
  stale: number;
}

export function staleBars(byMonths: readonly number[], months: number): StaleBar[] {
  return STALE_BARS.map(({ from, to }) => {
    const count = byMonths.slice(from, to === null ? undefined : to + 1).reduce((sum, n) => sum + n, 0);
    return from >= months ? { from, to, active: 0, stale: count } : { from, to, active: count, stale: 0 };
  });
}

/** Stale customers for a threshold, and their share of all live customers. */
export function staleSummary(report: Pick<QualityReport, 'result'>, months: number): { count: number; percent: number } {
  const result = report.result;
  if (!result) return { count: 0, percent: 0 };
  const count = staleFrom(result.stale.byMonths, months);
  return { count, percent: percentOf(count, result.customers.person + result.customers.company) };
}

/** 0–100 for the progress bar. */
export function progressPercent(progress: QualityReport['progress']): number {
  return progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
}
