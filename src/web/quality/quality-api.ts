import { api } from '../api/client.js';
import type { QualityReport, StaleMonths } from '../../shared/quality.js';

/** The newest report whatever its state, and the newest completed one (its figures are shown while another runs). */
export interface LatestReports {
  latest: QualityReport | null;
  completed: QualityReport | null;
}

export const QUALITY_QUERY_KEYS = {
  latest: ['quality', 'latest'] as const,
};

export const qualityApi = {
  latest: () => api.get<LatestReports>('/api/quality/reports/latest'),
  start: (staleMonths: StaleMonths) => api.post<QualityReport>('/api/quality/reports', { staleMonths }),
  cancel: (id: string) => api.post<QualityReport>(`/api/quality/reports/${id}/cancel`),
};
