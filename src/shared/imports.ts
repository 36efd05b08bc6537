import type { CustomerKind } from './fields.js';

// The import API's shapes (issue 7), shared by the server (imports/) and the web app (web/imports/).

/** The fields an existing customer can be found by: each is looked up exactly (blind index or unique key). */
export const IMPORT_MATCH_KEYS = ['email', 'phone', 'nationalId', 'externalId'] as const;
export type ImportMatchKey = (typeof IMPORT_MATCH_KEYS)[number];
/** What a row matching an existing customer does to it: change it, only fill its empty fields, or leave it. */
export const IMPORT_ON_MATCH = ['update', 'fillEmpty', 'skip'] as const;
export type ImportOnMatch = (typeof IMPORT_ON_MATCH)[number];
export type ImportStatus = 'uploaded' | 'running' | 'cancelled' | 'completed' | 'failed';

/** What the server read from the uploaded file, and the mapping it suggests (column index → field key or null). */
export interface ImportPreview {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | null;
  delimiter: string | null;
  headers: string[];
  /** Up to 5 data rows as they came. */
  sample: string[][];
  mapping: (string | null)[];
}

export interface ImportSummary {
  /** Customers created. */
  imported: number;
  /** Existing customers matched and changed, and rows repeating an earlier row of the file. */
  updated: number;
  /** Existing customers matched and left as they were. */
  unchanged: number;
  /** Rows not written (the error file lists them with their reasons). */
  rejected: number;
  /** Possible duplicates flagged for review. */
  duplicates: number;
}

/** The choices made on the mapping step; the same ones start a dry run and, after it, the real import. */
export interface ImportSettings {
  kind: CustomerKind;
  /** Column index → field key (null: not imported). */
  mapping: (string | null)[];
  matchBy: ImportMatchKey;
  onMatch: ImportOnMatch;
}

export interface ImportJob extends ImportSettings {
  id: string;
  fileName: string;
  status: ImportStatus;
  dryRun: boolean;
  headers: string[];
  /** `total` is unknown until the file has been counted; `eta` until there is a rate to go by. */
  progress: { done: number; total: number | null; rate: number; eta: number | null };
  summary: ImportSummary;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
  /** Until the job starts: the file's first rows and the suggested mapping. */
  preview?: ImportPreview;
}
