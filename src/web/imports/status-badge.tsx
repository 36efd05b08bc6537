import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportStatus } from './imports-api.js';

const STATUS_COLORS: Record<ImportStatus, string> = { uploaded: 'gray', running: 'blue', cancelled: 'yellow', completed: 'teal', failed: 'red' };

export function StatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status]} data-testid="import-status" data-status={status}>
      {t(`imports.statuses.${status}`)}
    </Badge>
  );
}
