import { api } from '../../api/client.js';
import type { ListRequest } from '../customers-api.js';
import type { ExportFormat, ExportJob } from '../../../shared/exports.js';

export type { ExportFormat, ExportJob, ExportStatus } from '../../../shared/exports.js';

export interface ExportEstimate {
  rows: number;
  reasonRequired: boolean;
}

/** What to export: the list's query, the columns (null: every field the user may see). */
export interface ExportRequest {
  list: ListRequest;
  columns: string[] | null;
}

/** The estimate's query string: the list's own parameters, plus the columns. */
export function estimateParams({ list, columns }: ExportRequest): URLSearchParams {
  const params = new URLSearchParams();
  if (list.q.trim()) params.set('q', list.q.trim());
  if (list.kind) params.set('kind', list.kind);
  for (const filter of list.filters) params.append('filter', filter);
  if (list.sort) params.set('sort', list.sort);
  for (const column of columns ?? []) params.append('column', column);
  return params;
}

/** The body of `POST /api/customers/exports`. */
export function exportBody({ list, columns }: ExportRequest, format: ExportFormat, reason: string, language: 'en' | 'zh-CN') {
  return {
    format,
    language,
    ...(list.q.trim() ? { q: list.q.trim() } : {}),
    ...(list.kind ? { kind: list.kind } : {}),
    ...(list.filters.length > 0 ? { filters: list.filters } : {}),
    ...(list.sort ? { sort: list.sort } : {}),
    ...(columns ? { columns } : {}),
    ...(reason.trim() ? { reason: reason.trim() } : {}),
  };
}

export const exportsApi = {
  estimate: (request: ExportRequest) => api.get<ExportEstimate>(`/api/customers/exports/estimate?${estimateParams(request)}`),
  start: (request: ExportRequest, format: ExportFormat, reason: string, language: 'en' | 'zh-CN') =>
    api.post<ExportJob>('/api/customers/exports', exportBody(request, format, reason, language)),
  get: (id: string) => api.get<ExportJob>(`/api/customers/exports/${encodeURIComponent(id)}`),
  cancel: (id: string) => api.post<ExportJob>(`/api/customers/exports/${encodeURIComponent(id)}/cancel`),
  /** The file: the browser downloads it itself (a plain link), streamed, whatever its size. */
  fileUrl: (id: string) => `/api/customers/exports/${encodeURIComponent(id)}/file`,
};
