import type { CustomerKind, FieldType, Sensitivity } from './fields.js';
import type { RolePermissions } from './permissions.js';

/**
 * The data-quality report's shapes, shared by the server (quality/, vault/gateway/quality.ts)
 * and the /quality page. A report holds counts only: never a value, never a customer id.
 */

/**
 * Who may see the report: whoever manages the workspace's settings (owners and administrators),
 * and roles that read every customer anyway (the DPO, the marketing analyst; support agents too) —
 * counts over customers they may all read tell them nothing new. Deny by default: a role reaching
 * only its own or its team's customers would learn of the others. The server decides by it
 * (vault/gateway/quality.ts); the web app shows the page by the same rule (`policies.readQuality`).
 */
export function mayReadQualityWith(permissions: Pick<RolePermissions, 'capabilities' | 'objects'>): boolean {
  return permissions.capabilities.includes('manageSettings') || permissions.objects.customers?.read === 'all';
}

/** How many months without activity make a customer stale: one of these, chosen per report. */
export const STALE_MONTHS = [3, 6, 12, 24] as const;
export type StaleMonths = (typeof STALE_MONTHS)[number];
export const DEFAULT_STALE_MONTHS: StaleMonths = 12;

/** The histogram of months since last activity runs 0 … HORIZON-1 month by month; its last bar holds HORIZON months and more. */
export const MONTHS_HORIZON = 36;

export interface QualityField {
  kind: CustomerKind;
  key: string;
  type: FieldType;
  sensitivity: Sensitivity;
  labels: { en: string; 'zh-CN': string };
  builtIn: boolean;
  required: boolean;
  /** Live customers of the field's kind holding a value, and not. */
  filled: number;
  empty: number;
  /** Stored values the field's rules refuse today (e.g. its validation was tightened after they were stored), by reason code. */
  invalid: { code: string; count: number }[];
}

export interface QualityResult {
  /** When the scan began: what "months since last activity" counts from. */
  asOf: string;
  customers: { person: number; company: number };
  /** Customers whose encrypted values could not be opened (their key is gone): their encrypted fields count as empty. */
  unreadable: number;
  fields: QualityField[];
  stale: {
    months: StaleMonths;
    /** Live customers with no activity (a change of theirs, a transaction, an event or a note) for `months` months or more. */
    count: number;
    /** Index m: customers last active between m and m+1 months ago; the last index: MONTHS_HORIZON months ago or more. */
    byMonths: number[];
  };
  /** Open possible duplicates awaiting review, by score band. */
  duplicates: { open: number; bands: { band: DuplicateBand; count: number }[] };
}

/** Score bands of duplicate candidates, highest first (scores run 0–100): a shared identifier alone scores 80–95. */
export const DUPLICATE_BANDS = ['high', 'medium', 'low'] as const;
export type DuplicateBand = (typeof DUPLICATE_BANDS)[number];
/** The lowest score of each band. */
export const DUPLICATE_BAND_FLOORS: Record<DuplicateBand, number> = { high: 90, medium: 75, low: 0 };

export function duplicateBandOf(score: number): DuplicateBand {
  return DUPLICATE_BANDS.find((band) => score >= DUPLICATE_BAND_FLOORS[band]) ?? 'low';
}

/** Customers inactive for `months` months or more, read off the histogram (the same rule the report counts `stale.count` by). */
export function staleFrom(byMonths: readonly number[], months: number): number {
  return byMonths.slice(months).reduce((sum, count) => sum + count, 0);
}

export const QUALITY_REPORT_STATUSES = ['running', 'completed', 'cancelled', 'failed'] as const;
export type QualityReportStatus = (typeof QUALITY_REPORT_STATUSES)[number];

/** A report as the API answers it: a job with its progress, and once completed its result. */
export interface QualityReport {
  id: string;
  status: QualityReportStatus;
  staleMonths: StaleMonths;
  /** Customers scanned of `total`, customers per second, seconds left (null while unknown). */
  progress: { done: number; total: number; rate: number; eta: number | null };
  createdAt: string;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
  result: QualityResult | null;
}
