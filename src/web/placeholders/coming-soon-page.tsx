import { List, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../ui/empty-state.js';

export type ComingArea = 'customers' | 'import' | 'privacy' | 'security';

/** A real route whose capability is still being built: says what will live here. */
export function ComingSoonPage({ area }: { area: ComingArea }) {
  const { t } = useTranslation();
  const points = t(`placeholders.${area}.points`, { returnObjects: true });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t(`placeholders.${area}.title`)}
      </Title>
      <EmptyState title={t('placeholders.comingSoon')}>
        <Stack gap="sm" align="center">
          <span>{t(`placeholders.${area}.body`)}</span>
          <List size="sm" ta="left" spacing={4}>
            {points.map((point) => (
              <List.Item key={point}>{point}</List.Item>
            ))}
          </List>
        </Stack>
      </EmptyState>
    </Stack>
  );
}
