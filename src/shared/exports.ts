// The export API's shapes (issue 7), shared by the server (exports/) and the web app (web/customers/export/).

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportStatus = 'running' | 'completed' | 'failed' | 'cancelled';

/** An export job as `GET /api/customers/exports/:id` answers it. */
export interface ExportJob {
  id: string;
  status: ExportStatus;
  format: ExportFormat;
  columns: string[];
  progress: { done: number; total: number; rate: number; eta: number | null };
  rows: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
}
