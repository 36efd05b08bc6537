import { BarChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { staleBars, type StaleBar } from './quality-summary.js';

/** Customers by months since their last activity; the bars at or past the chosen threshold in another colour: the stale ones. */
export function StaleSection({ byMonths, months }: { byMonths: readonly number[]; months: number }) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const range = (bar: StaleBar) =>
      bar.to === null ? t('quality.monthsOrMore', { count: bar.from }) : bar.from === bar.to ? t('quality.underMonth') : t('quality.monthRange', { from: bar.from, to: bar.to });
    return staleBars(byMonths, months).map((bar) => ({ ...bar, range: range(bar) }));
  }, [byMonths, months, t]);
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" id="stale-chart-title">
        {t('quality.staleChart', { count: months })}
      </Text>
      <BarChart
        h={220}
        data={data}
        dataKey="range"
        type="stacked"
        series={[
          { name: 'active', color: 'blue.5', label: t('quality.active') },
          { name: 'stale', color: 'orange.6', label: t('quality.stale') },
        ]}
        withLegend
        tickLine="none"
        gridAxis="y"
        maxBarWidth={36}
        yAxisProps={{ allowDecimals: false, width: 40 }}
        xAxisProps={{ interval: 0, tick: { fontSize: 10 } }}
        role="img"
        aria-labelledby="stale-chart-title"
        data-testid="stale-chart"
      />
    </Stack>
  );
}
