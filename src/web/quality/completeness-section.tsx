import { BarChart } from '@mantine/charts';
import { SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerKind } from '../../shared/fields.js';
import type { QualityResult } from '../../shared/quality.js';
import { completenessRows } from './quality-summary.js';

const ROW_HEIGHT = 26;

/** Per field of a kind, the share of customers holding a value: a horizontal bar each, least complete first, and the counts below. */
export function CompletenessSection({ result }: { result: QualityResult }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [kind, setKind] = useState<CustomerKind>('person');
  const rows = useMemo(() => completenessRows(result.fields, kind, language), [result.fields, kind, language]);
  const number = new Intl.NumberFormat(language);

  return (
    <Stack gap="sm">
      <SegmentedControl
        value={kind}
        onChange={(value) => setKind(value as CustomerKind)}
        data={(['person', 'company'] as const).map((k) => ({ value: k, label: t(`quality.kinds.${k}`, { count: result.customers[k] }) }))}
        maw={420}
        aria-label={t('quality.kindLabel')}
      />
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('quality.noFields')}
        </Text>
      ) : (
        <>
          <Text size="xs" c="dimmed" id="completeness-chart-title">
            {t('quality.completenessChart')}
          </Text>
          <BarChart
            h={rows.length * ROW_HEIGHT + 40}
            data={rows}
            dataKey="label"
            orientation="vertical"
            series={[{ name: 'percent', color: 'teal.6', label: t('quality.filledPercent') }]}
            valueFormatter={(value) => `${value}%`}
            xAxisProps={{ domain: [0, 100] }}
            yAxisProps={{ width: 110 }}
            tickLine="none"
            gridAxis="x"
            maxBarWidth={18}
            role="img"
            aria-labelledby="completeness-chart-title"
            data-testid="completeness-chart"
          />
          <Table.ScrollContainer minWidth={320}>
            <Table striped verticalSpacing={4} fz="sm" data-testid="completeness-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('quality.field')}</Table.Th>
                  <Table.Th ta="right">{t('quality.filled')}</Table.Th>
                  <Table.Th ta="right">{t('quality.empty')}</Table.Th>
                  <Table.Th ta="right">%</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.key} data-field={row.key}>
                    <Table.Td>{row.label}</Table.Td>
                    <Table.Td ta="right">{number.format(row.filled)}</Table.Td>
                    <Table.Td ta="right">{number.format(row.empty)}</Table.Td>
                    <Table.Td ta="right">{row.percent}%</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
