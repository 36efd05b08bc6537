import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { OUTCOMES, type Outcome } from './audit-filters.js';

const COLORS: Record<Outcome, string> = { success: 'teal', failure: 'orange', denied: 'red' };

/** Whether it happened, failed, or was refused; an outcome this version does not know shows as recorded. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  const known = (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as Outcome) : null;
  return (
    <Badge variant="light" color={known ? COLORS[known] : 'gray'} data-testid="audit-outcome-badge">
      {known ? t(`audit.outcomes.${known}`) : outcome}
    </Badge>
  );
}
