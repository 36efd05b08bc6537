import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, minorDigits } from '../money.js';
import type { Transaction } from '../sections-api.js';
import { monthlyAmounts } from './transaction-summary.js';

/** A bar per month of what the customer spent in their main currency; nothing when there is nothing to draw. */
export function TransactionsChart({ items, currency }: { items: readonly Transaction[]; currency: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const data = useMemo(() => {
    const monthName = new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric' });
    return monthlyAmounts(items, currency).map(({ month, amount }) => ({ month: monthName.format(new Date(`${month}-15T12:00:00`)), amount }));
  }, [items, currency, language]);
  if (data.length === 0) return null;

  const scale = 10 ** minorDigits(currency);
  const money = (amount: number) => formatMoney({ amount: Math.round(amount * scale), currency }, language);
  const compact = new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 1 });
  const title = t('customers.sections.transactions.chartTitle', { currency });
  return (
    <Stack gap={4} data-testid="transactions-chart">
      <Text size="xs" c="dimmed" id="transactions-chart-title">
        {title}
      </Text>
      <BarChart
        h={160}
        data={data}
        dataKey="month"
        series={[{ name: 'amount', color: 'blue.6', label: t('customers.sections.transactions.amount') }]}
        valueFormatter={money}
        yAxisProps={{ tickFormatter: (value: number) => compact.format(value), width: 48 }}
        tickLine="none"
        gridAxis="y"
        maxBarWidth={28}
        role="img"
        aria-labelledby="transactions-chart-title"
      />
    </Stack>
  );
}
