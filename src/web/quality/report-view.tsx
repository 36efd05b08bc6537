import '@mantine/charts/styles.css';
import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { QualityResult, StaleMonths } from '../../shared/quality.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { CompletenessSection } from './completeness-section.js';
import { DuplicatesSection } from './duplicates-section.js';
import { InvalidSection } from './invalid-section.js';
import { staleSummary } from './quality-summary.js';
import { StaleSection } from './stale-section.js';

/** A completed report: the headline numbers, then a section per finding. */
export function ReportView({ result, months }: { result: QualityResult; months: StaleMonths }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const number = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language);
  const customers = result.customers.person + result.customers.company;
  const invalid = result.fields.reduce((sum, field) => sum + field.invalid.reduce((n, i) => n + i.count, 0), 0);
  const stale = staleSummary({ result }, months);

  return (
    <Stack data-testid="quality-report">
      <Text size="sm" c="dimmed" data-testid="quality-as-of" data-as-of={result.asOf}>
        {t('quality.asOf', { date: formatDate(result.asOf) })}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label={t('quality.figures.customers')} value={number.format(customers)} hint={`${t('quality.figures.people', { count: result.customers.person })} · ${t('quality.figures.companies', { count: result.customers.company })}`} testId="figure-customers" />
        <Figure label={t('quality.figures.invalid')} value={number.format(invalid)} testId="figure-invalid" />
        <Figure label={t('quality.figures.stale', { count: months })} value={number.format(stale.count)} hint={`${stale.percent}%`} testId="figure-stale" />
        <Figure label={t('quality.figures.duplicates')} value={number.format(result.duplicates.open)} testId="figure-duplicates" />
      </SimpleGrid>
      {result.unreadable > 0 && (
        <Text size="sm" c="red">
          {t('quality.unreadable', { count: result.unreadable })}
        </Text>
      )}
      <Section title={t('quality.completenessTitle')} id="quality-completeness">
        <CompletenessSection result={result} />
      </Section>
      <Section title={t('quality.invalidTitle')} id="quality-invalid">
        <InvalidSection fields={result.fields} />
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('quality.duplicatesTitle')} id="quality-duplicates">
          <DuplicatesSection duplicates={result.duplicates} />
        </Section>
        <Section title={t('quality.staleTitle')} id="quality-stale">
          <StaleSection byMonths={result.stale.byMonths} months={months} />
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function Figure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'lg' }} component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
