import { DonutChart } from '@mantine/charts';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DUPLICATE_BAND_FLOORS, type DuplicateBand, type QualityResult } from '../../shared/quality.js';

const BAND_COLORS: Record<DuplicateBand, string> = { high: 'red.6', medium: 'orange.5', low: 'yellow.4' };

/** Open duplicate candidates by score band, and the way to the duplicates page where they are reviewed. */
export function DuplicatesSection({ duplicates }: { duplicates: QualityResult['duplicates'] }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language);
  const bandLabel = (band: DuplicateBand) => t(`quality.bands.${band}`, { floor: DUPLICATE_BAND_FLOORS[band] });
  return (
    <Stack gap="sm" data-testid="duplicates-section">
      {duplicates.open === 0 ? (
        <Text size="sm" c="dimmed">
          {t('quality.noDuplicates')}
        </Text>
      ) : (
        <Group gap="lg" wrap="wrap">
          <DonutChart
            data={duplicates.bands.filter((b) => b.count > 0).map((b) => ({ name: bandLabel(b.band), value: b.count, color: BAND_COLORS[b.band] }))}
            chartLabel={number.format(duplicates.open)}
            size={140}
            thickness={22}
            role="img"
            aria-label={t('quality.duplicatesChart', { count: duplicates.open })}
          />
          <Stack gap={4}>
            {duplicates.bands.map((b) => (
              <Text key={b.band} size="sm" data-band={b.band}>
                {bandLabel(b.band)}: <b>{number.format(b.count)}</b>
              </Text>
            ))}
          </Stack>
        </Group>
      )}
      <Anchor component={Link} to="/duplicates" size="sm">
        {t('quality.reviewDuplicates')}
      </Anchor>
    </Stack>
  );
}
