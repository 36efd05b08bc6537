import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Button, Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { useFieldLabel, useFieldRegistry } from '../customers/use-field-registry.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { EmptyState } from '../ui/empty-state.js';
import { AUDIT_QUERY_KEYS, auditApi, type ExposureAnswer, type ExposureLevel, type Seen } from './audit-api.js';
import { NO_FILTERS, draftIsValid, exposureQuery, exposureSubject, isCustomerId, type AuditFilters } from './audit-filters.js';
import { ActorSelect, CustomerIdInput, DayRangeInputs, useActorLabel } from './audit-inputs.js';
import { ExportButtons } from './export-buttons.js';
import { useAuditErrorOverrides } from './use-audit-error-overrides.js';

type Mode = 'actor' | 'customer';
const LEVEL_COLORS: Record<ExposureLevel, string> = { masked: 'gray', clear: 'blue', revealed: 'red' };

/**
 * Breach scoping: the customers a user or token saw or exported in a time range, with the
 * fields and the highest level each was shown at — or, about one customer, who saw them.
 */
export function ExposureTab({ filters, onApply }: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const overrides = useAuditErrorOverrides();
  const subject = exposureSubject(filters);
  const query = subject ? exposureQuery(subject, filters) : null;
  const exposure = useQuery({
    queryKey: AUDIT_QUERY_KEYS.exposure(query ?? ''),
    queryFn: () => auditApi.exposure(query!),
    enabled: query !== null,
    refetchOnWindowFocus: false,
  });

  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={720}>
        {t('audit.exposure.intro')}
      </Text>
      <ExposureForm key={query ?? ''} filters={filters} onApply={onApply} />
      {!subject && <EmptyState title={t('audit.exposure.pickTitle')}>{t('audit.exposure.pickBody')}</EmptyState>}
      {subject && exposure.isPending && <Skeleton h={240} aria-label={t('audit.exposure.loading')} />}
      {subject && <ErrorAlert error={exposure.error} overrides={overrides} />}
      {subject && exposure.data && (
        <ExposureResult answer={exposure.data} by={subject.by} csvPath={`/api/audit/exposure?${exposureQuery(subject, filters, { format: 'csv' })}`} />
      )}
    </Stack>
  );
}

function ExposureForm({ filters, onApply }: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>(filters.customerId && !filters.actor ? 'customer' : 'actor');
  const [draft, setDraft] = useState({ actor: filters.actor, customerId: filters.customerId, from: filters.from, to: filters.to });
  const ready = draftIsValid({ ...draft, customerId: mode === 'customer' ? draft.customerId : '' }) && (mode === 'actor' ? draft.actor !== '' : isCustomerId(draft.customerId.trim()));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const who = mode === 'actor' ? { actor: draft.actor } : { customerId: draft.customerId.trim() };
    onApply({ ...NO_FILTERS, ...who, from: draft.from, to: draft.to });
  };

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="form" onSubmit={submit} aria-label={t('audit.exposure.formLabel')}>
      <Stack gap="sm">
        <SegmentedControl
          value={mode}
          onChange={(value) => setMode(value as Mode)}
          data={[
            { value: 'actor', label: t('audit.exposure.byActor') },
            { value: 'customer', label: t('audit.exposure.byCustomer') },
          ]}
          aria-label={t('audit.exposure.askAbout')}
          style={{ alignSelf: 'flex-start' }}
          data-testid="exposure-mode"
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          {mode === 'actor' ? (
            <ActorSelect label={t('audit.exposure.actor')} value={draft.actor} onChange={(actor) => setDraft((d) => ({ ...d, actor }))} testId="exposure-actor" />
          ) : (
            <CustomerIdInput value={draft.customerId} onChange={(customerId) => setDraft((d) => ({ ...d, customerId }))} testId="exposure-customer-id" />
          )}
          <DayRangeInputs from={draft.from} to={draft.to} onChange={(range) => setDraft((d) => ({ ...d, ...range }))} />
        </SimpleGrid>
        <Group>
          <Button type="submit" disabled={!ready} data-testid="exposure-show">
            {t('audit.exposure.show')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function ExposureResult({ answer, by, csvPath }: { answer: ExposureAnswer; by: Mode; csvPath: string }) {
  const { t, i18n } = useTranslation();
  const count = new Intl.NumberFormat(i18n.resolvedLanguage ?? i18n.language);
  const total = (by === 'actor' ? answer.totalCustomers : answer.totalActors) ?? 0;
  const shown = (by === 'actor' ? answer.customers?.length : answer.actors?.length) ?? 0;
  const unnamed = answer.unnamedExports;

  return (
    <Stack data-testid="exposure-result">
      <Group justify="space-between" align="flex-start">
        <Title order={2} size="h4" data-testid="exposure-summary">
          {by === 'actor'
            ? t('audit.exposure.summaryCustomers', { count: total, events: count.format(answer.events) })
            : t('audit.exposure.summaryActors', { count: total, events: count.format(answer.events) })}
        </Title>
        <ExportButtons files={[{ format: 'csv', path: csvPath }]} disabled={total === 0} />
      </Group>
      {unnamed && unnamed.events > 0 && (
        <Alert color="orange" variant="light" data-testid="exposure-unnamed-exports">
          {t('audit.exposure.unnamedExports', { count: unnamed.events, rows: count.format(unnamed.rows) })}
        </Alert>
      )}
      {total === 0 && !(unnamed && unnamed.events > 0) ? (
        <EmptyState title={t('audit.exposure.emptyTitle')}>{by === 'actor' ? t('audit.exposure.emptyActor') : t('audit.exposure.emptyCustomer')}</EmptyState>
      ) : (
        <>
          <ExposureChart days={answer.days} />
          {by === 'actor' ? <CustomersTable answer={answer} /> : <ActorsTable answer={answer} />}
          {shown < total && (
            <Text size="sm" c="dimmed">
              {t('audit.exposure.more', { shown: count.format(shown), total: count.format(total) })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

/** Exposing events per day: when a burst of reads happened. */
function ExposureChart({ days }: { days: ExposureAnswer['days'] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const data = useMemo(() => {
    const dayName = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return days.map(({ day, events }) => ({ day: dayName.format(new Date(`${day}T12:00:00Z`)), events }));
  }, [days, language]);
  if (data.length === 0) return null;
  return (
    <Stack gap={4} data-testid="exposure-chart">
      <Text size="xs" c="dimmed" id="exposure-chart-title">
        {t('audit.exposure.chartTitle')}
      </Text>
      <BarChart
        h={160}
        data={data}
        dataKey="day"
        series={[{ name: 'events', color: 'blue.6', label: t('audit.exposure.events') }]}
        tickLine="none"
        gridAxis="y"
        maxBarWidth={28}
        yAxisProps={{ allowDecimals: false, width: 40 }}
        role="img"
        aria-labelledby="exposure-chart-title"
      />
    </Stack>
  );
}

/** Field keys in the workspace's words where the registry knows them (it is asked once; a role that cannot read it sees keys). */
function useFieldName(): (key: string) => string {
  const fields = useFieldRegistry();
  const label = useFieldLabel();
  return useCallback(
    (key: string) => {
      const field = fields.data?.find((f) => f.key === key);
      return field ? label(field) : key;
    },
    [fields.data, label],
  );
}

function FieldLevels({ seen }: { seen: Seen }) {
  const { t } = useTranslation();
  const fieldName = useFieldName();
  const entries = Object.entries(seen.fields);
  return (
    <Group gap={4} wrap="wrap" data-testid="exposure-fields">
      {entries.map(([key, level]) => (
        <Badge key={key} size="sm" variant="light" color={LEVEL_COLORS[level]} tt="none" data-field={key} data-level={level}>
          {fieldName(key)}: {t(`audit.exposure.levels.${level}`)}
        </Badge>
      ))}
      {seen.activity.map((what) => (
        <Badge key={what} size="sm" variant="outline" color="gray" tt="none">
          {(t('audit.exposure.activity', { returnObjects: true }) as Record<string, string | undefined>)[what] ?? what}
        </Badge>
      ))}
      {entries.length === 0 && seen.activity.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('audit.exposure.fieldsUnknown')}
        </Text>
      )}
    </Group>
  );
}

function SeenCells({ seen }: { seen: Seen }) {
  const formatDate = useFormatDate();
  return (
    <>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(seen.firstSeen)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(seen.lastSeen)}</Table.Td>
      <Table.Td ta="right">{seen.events}</Table.Td>
      <Table.Td>
        <FieldLevels seen={seen} />
      </Table.Td>
    </>
  );
}

function SeenHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <Table.Th>{t('audit.exposure.firstSeen')}</Table.Th>
      <Table.Th>{t('audit.exposure.lastSeen')}</Table.Th>
      <Table.Th ta="right">{t('audit.exposure.events')}</Table.Th>
      <Table.Th>{t('audit.exposure.fields')}</Table.Th>
    </>
  );
}

/** Customers by id: their names would be a read of their data, itself recorded; opening one is a view like any other. */
function CustomersTable({ answer }: { answer: ExposureAnswer }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.exposure.customer')}</Table.Th>
              <SeenHeaders />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(answer.customers ?? []).map((entry) => (
              <Table.Tr key={entry.customerId} data-testid="exposure-customer" data-customer-id={entry.customerId}>
                <Table.Td>
                  <Anchor component={Link} to={`/customers/${entry.customerId}`} size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {entry.customerId}
                  </Anchor>
                </Table.Td>
                <SeenCells seen={entry} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">
        {t('audit.exposure.byIdHint')}
      </Text>
    </Stack>
  );
}

function ActorsTable({ answer }: { answer: ExposureAnswer }) {
  const { t } = useTranslation();
  const actorLabel = useActorLabel();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.exposure.actor')}</Table.Th>
            <SeenHeaders />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(answer.actors ?? []).map((entry) => (
            <Table.Tr key={`${entry.actor.type}:${entry.actor.id ?? ''}`} data-testid="exposure-actor-row" data-actor-id={entry.actor.id ?? ''}>
              <Table.Td>
                <Text size="sm">{actorLabel(entry.actor)}</Text>
                {entry.actor.email && (
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {entry.actor.email}
                  </Text>
                )}
                {entry.tokenIds.length > 0 && (
                  <Badge size="xs" variant="light" color="gray">
                    {t('audit.exposure.viaTokens', { count: entry.tokenIds.length })}
                  </Badge>
                )}
              </Table.Td>
              <SeenCells seen={entry} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
