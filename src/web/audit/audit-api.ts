import { ApiError, CLIENT_ERROR_CODES } from '../api/api-error.js';
import { api } from '../api/client.js';
import type { AuditEvent, ExposureAnswer } from '../../shared/audit.js';

export { EXPOSURE_LEVELS, type AuditActor, type AuditEvent, type ExposureAnswer, type ExposureLevel, type Seen } from '../../shared/audit.js';

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export interface AuditActors {
  users: { id: string; displayName: string; email: string; status: string }[];
  tokens: { id: string; name: string; userId: string; createdAt: string; expiresAt: string; revokedAt: string | null }[];
}

export const AUDIT_QUERY_KEYS = {
  all: ['audit'] as const,
  events: (query: string) => ['audit', 'events', query] as const,
  exposure: (query: string) => ['audit', 'exposure', query] as const,
  actors: ['audit', 'actors'] as const,
};

export const auditApi = {
  search: (query: string) => api.get<AuditPage>(`/api/audit?${query}`),
  exposure: (query: string) => api.get<ExposureAnswer>(`/api/audit/exposure?${query}`),
  actors: () => api.get<AuditActors>('/api/audit/actors'),
};

/** What a downloaded file held: its rows, and where the next file starts when a bound cut it short. */
export interface Download {
  rows: number;
  nextCursor: string | null;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const { error } = (await response.json()) as { error?: { code?: string; message?: string; field?: string } };
    return new ApiError(response.status, error?.code ?? CLIENT_ERROR_CODES.unreadable, error?.message ?? response.statusText, error?.field);
  } catch {
    return new ApiError(response.status, CLIENT_ERROR_CODES.unreadable, response.statusText);
  }
}

/**
 * Downloads an export through the API with the page's session (a plain link could not say what
 * went wrong), then hands the browser the file under the name the server gave it.
 */
export async function downloadExport(path: string): Promise<Download> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, CLIENT_ERROR_CODES.network, 'The server could not be reached.');
  }
  if (!response.ok) throw await errorOf(response);
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'audit-export';
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file over: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { rows: Number(response.headers.get('x-row-count') ?? 0), nextCursor: response.headers.get('x-next-cursor') };
}
