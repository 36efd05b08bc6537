import { ApiError, CLIENT_ERROR_CODES } from '../api/api-error.js';
import { api } from '../api/client.js';
import type { ItemList } from '../api/types.js';
import type { ImportJob, ImportSettings } from '../../shared/imports.js';

export type { ImportJob, ImportPreview, ImportSettings, ImportStatus, ImportSummary } from '../../shared/imports.js';
export type { ImportMatchKey as MatchBy, ImportOnMatch as OnMatch } from '../../shared/imports.js';

/** The largest file the server takes (`file_too_large` beyond): said before uploading, checked before sending. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const jobPath = (id: string) => `/api/imports/${encodeURIComponent(id)}`;

export const IMPORTS_QUERY_KEY = ['imports'] as const;
export const importQueryKey = (id: string) => [...IMPORTS_QUERY_KEY, 'job', id] as const;

export const importsApi = {
  list: () => api.get<ItemList<ImportJob>>('/api/imports'),
  get: (id: string) => api.get<ImportJob>(jobPath(id)),
  start: (id: string, settings: ImportSettings & { dryRun: boolean }) => api.post<ImportJob>(`${jobPath(id)}/start`, settings),
  cancel: (id: string) => api.post<ImportJob>(`${jobPath(id)}/cancel`),
  resume: (id: string) => api.post<ImportJob>(`${jobPath(id)}/resume`),
  /** A plain link: the browser downloads it with the session cookie, no script holds the rows. */
  errorsUrl: (id: string) => `${jobPath(id)}/errors`,
};

function errorFromXhr(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const error = body.error ?? {};
    return new ApiError(
      xhr.status,
      typeof error.code === 'string' ? error.code : CLIENT_ERROR_CODES.unreadable,
      typeof error.message === 'string' ? error.message : xhr.statusText,
      typeof error.field === 'string' ? error.field : undefined,
    );
  } catch {
    return new ApiError(xhr.status, CLIENT_ERROR_CODES.unreadable, xhr.statusText);
  }
}

export interface UploadOptions {
  /** The session's CSRF token (`Me.csrfToken`), sent as the API client sends it. */
  csrfToken: string | null;
  /** Called with the share of the file sent so far, 0 to 1. */
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * `POST /api/imports?name=…` with the file's raw bytes. XMLHttpRequest rather than the API
 * client's fetch: only it reports upload progress, which a file of hundreds of megabytes needs.
 */
export function uploadImportFile(file: File, { csrfToken, onProgress, signal }: UploadOptions): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports?${new URLSearchParams({ name: file.name })}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorFromXhr(xhr));
      try {
        resolve(JSON.parse(xhr.responseText) as ImportJob);
      } catch {
        reject(new ApiError(xhr.status, CLIENT_ERROR_CODES.unreadable, 'The answer could not be read.'));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, CLIENT_ERROR_CODES.network, 'The server could not be reached.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
