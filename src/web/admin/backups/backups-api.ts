import { api, apiRequest } from '../../api/client.js';

/** The server's backup schedule: daily at a time of day, the server's time. */
export interface BackupSchedule {
  enabled: boolean;
  /** `HH:MM`. */
  timeOfDay: string;
}

export interface BackupRunProgress {
  phase: 'snapshot' | 'encrypt' | 'dump' | 'restore' | 'check' | 'copy' | 'prune';
  bytes: number;
  totalBytes: number | null;
}

export interface BackupRun {
  id: string;
  trigger: 'scheduled' | 'manual';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  file: string | null;
  bytes: number | null;
  verifyStatus: 'pending' | 'verified' | 'failed';
  errorCode: string | null;
  progress: BackupRunProgress | null;
}

/** `GET /api/admin/backups`. */
export interface BackupsOverview {
  schedule: BackupSchedule;
  destination: { folder: string; copyFolder: string | null };
  lastSuccess: BackupRun | null;
  nextRun: string | null;
  overdue: boolean;
  running: string | null;
  runs: BackupRun[];
}

/** `POST /api/admin/backups/recover`: per customer, the keys of the fields that differ from the backup (set back unless a dry run). */
export interface RecoverResult {
  backupCreatedAt: string;
  dryRun: boolean;
  customers: { id: string; fields: string[] }[];
}

export const backupsApi = {
  overview: () => api.get<BackupsOverview>('/api/admin/backups'),
  setSchedule: (schedule: BackupSchedule) => apiRequest<BackupSchedule>('PUT', '/api/admin/backups/schedule', { body: schedule }),
  backUpNow: () => api.post<{ id: string }>('/api/admin/backups'),
  run: (id: string) => api.get<BackupRun>(`/api/admin/backups/runs/${encodeURIComponent(id)}`),
  recover: (input: { file: string; customerIds: string[]; dryRun: boolean }) => api.post<RecoverResult>('/api/admin/backups/recover', input),
};

export const BACKUPS_QUERY_KEY = ['admin', 'backups'] as const;
