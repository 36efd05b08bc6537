import { Anchor, Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { EmptyState } from '../ui/empty-state.js';
import { AUDIT_QUERY_KEYS, auditApi, type AuditEvent } from './audit-api.js';
import { NO_FILTERS, OUTCOMES, draftIsValid, searchQuery, type AuditFilters, type Outcome } from './audit-filters.js';
import { ActionSelect, ActorSelect, CustomerIdInput, DayRangeInputs, useActorLabel } from './audit-inputs.js';
import { EventDrawer } from './event-drawer.js';
import { ExportButtons } from './export-buttons.js';
import { OutcomeBadge } from './outcome-badge.js';
import { useAuditErrorOverrides } from './use-audit-error-overrides.js';

/** Events newest first, filtered; every page asked for is itself recorded, so pages load on request only. */
export function EventsTab({ filters, onApply }: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const overrides = useAuditErrorOverrides();
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const query = searchQuery(filters);
  const events = useInfiniteQuery({
    queryKey: AUDIT_QUERY_KEYS.events(query),
    queryFn: ({ pageParam }) => auditApi.search(searchQuery(filters, pageParam ? { cursor: pageParam } : {})),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchOnWindowFocus: false,
  });
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      {/* A new filter set remounts the form with it: the draft always starts from what is shown. */}
      <EventFilters key={query} filters={filters} onApply={onApply} />
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={560}>
          {t('audit.events.recorded')}
        </Text>
        <ExportButtons
          files={[
            { format: 'csv', path: `/api/audit?${searchQuery(filters, { format: 'csv' })}` },
            { format: 'ndjson', path: `/api/audit?${searchQuery(filters, { format: 'ndjson' })}` },
          ]}
          disabled={items.length === 0}
        />
      </Group>
      {events.isPending && <Skeleton h={240} aria-label={t('audit.events.loading')} />}
      {events.isError && !events.data && <ErrorAlert error={events.error} overrides={overrides} />}
      {events.data &&
        (items.length === 0 ? (
          <EmptyState title={t('audit.events.emptyTitle')}>{t('audit.events.emptyBody')}</EmptyState>
        ) : (
          <EventsTable items={items} query={query} onOpen={setSelected} />
        ))}
      {events.isFetchNextPageError && <ErrorAlert error={events.error} overrides={overrides} />}
      {events.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} data-testid="audit-load-more">
            {t('audit.events.loadMore')}
          </Button>
        </Group>
      )}
      <EventDrawer
        event={selected}
        onClose={() => setSelected(null)}
        onCustomer={(customerId) => {
          setSelected(null);
          onApply({ ...NO_FILTERS, customerId });
        }}
      />
    </Stack>
  );
}

function EventFilters({ filters, onApply }: { filters: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(filters);
  const change = (changes: Partial<AuditFilters>) => setDraft((current) => ({ ...current, ...changes }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draftIsValid(draft)) onApply({ ...draft, customerId: draft.customerId.trim() });
  };

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="form" onSubmit={submit} aria-label={t('audit.filters.label')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
          <ActorSelect label={t('audit.filters.actor')} value={draft.actor} onChange={(actor) => change({ actor })} testId="audit-actor" />
          <CustomerIdInput value={draft.customerId} onChange={(customerId) => change({ customerId })} testId="audit-customer-id" />
          <ActionSelect value={draft.action} onChange={(action) => change({ action })} />
          <DayRangeInputs from={draft.from} to={draft.to} onChange={change} />
          <NativeSelect
            label={t('audit.filters.outcome')}
            value={draft.outcome}
            onChange={(event) => change({ outcome: event.currentTarget.value as Outcome | '' })}
            data={[{ value: '', label: t('audit.filters.anyOutcome') }, ...OUTCOMES.map((outcome) => ({ value: outcome, label: t(`audit.outcomes.${outcome}`) }))]}
            data-testid="audit-outcome"
          />
        </SimpleGrid>
        <Group gap="xs">
          <Button type="submit" disabled={!draftIsValid(draft)} data-testid="audit-search">
            {t('audit.filters.search')}
          </Button>
          <Button variant="subtle" onClick={() => onApply(NO_FILTERS)}>
            {t('audit.filters.reset')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function EventsTable({ items, query, onOpen }: { items: readonly AuditEvent[]; query: string; onOpen: (event: AuditEvent) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const actorLabel = useActorLabel();
  return (
    <Table.ScrollContainer minWidth={720}>
      {/* data-query names the filters these rows answer, so a reader (or a test) can tell them from the previous page's. */}
      <Table verticalSpacing="xs" striped highlightOnHover data-testid="audit-events" data-query={query}>
        <Table.Caption>{t('audit.events.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.events.time')}</Table.Th>
            <Table.Th>{t('audit.events.action')}</Table.Th>
            <Table.Th>{t('audit.events.actor')}</Table.Th>
            <Table.Th>{t('audit.events.object')}</Table.Th>
            <Table.Th>{t('audit.events.outcome')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((event) => (
            <Table.Tr key={event.id} data-testid="audit-event" data-action={event.action}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={event.at}>{formatDate(event.at)}</time>
              </Table.Td>
              <Table.Td>
                {/* The action opens the event: a real button, reachable by keyboard. */}
                <Anchor component="button" type="button" ff="monospace" size="sm" onClick={() => onOpen(event)} style={{ wordBreak: 'break-all', textAlign: 'start' }}>
                  {event.action}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{actorLabel(event.actor)}</Text>
                {event.tokenId && (
                  <Badge size="xs" variant="light" color="gray">
                    {t('audit.events.viaToken')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {event.object ? (
                  <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {event.object.type} {event.object.id}
                  </Text>
                ) : (
                  <Text size="xs" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <OutcomeBadge outcome={event.outcome} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
