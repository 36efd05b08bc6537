import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sensitivity } from '../../shared/fields.js';
import { LockIcon } from './icons.js';

const COLORS: Record<Sensitivity, string> = { public: 'gray', internal: 'blue', personal: 'orange', sensitive: 'red' };

/** The class a field belongs to (DESIGN.md, "Data classification"), named and explained on hover. */
export function SensitivityBadge({ sensitivity }: { sensitivity: Sensitivity }) {
  const { t } = useTranslation();
  return (
    <Badge
      component="span"
      size="xs"
      variant="light"
      color={COLORS[sensitivity]}
      title={t(`customers.sensitivityHelp.${sensitivity}`)}
      leftSection={sensitivity === 'sensitive' || sensitivity === 'personal' ? <LockIcon size={10} /> : undefined}
    >
      {t(`customers.sensitivity.${sensitivity}`)}
    </Badge>
  );
}

/** Marks a value that arrived masked. */
export function MaskedMark() {
  const { t } = useTranslation();
  return (
    <span style={{ color: 'var(--mantine-color-dimmed)', display: 'inline-flex' }} title={t('customers.masked')}>
      <LockIcon size={13} label={t('customers.masked')} />
    </span>
  );
}
