import { Button, Group, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { SectionList } from '../section-list.js';
import { SECTION_QUERY_KEYS, sectionsApi, type CustomerEvent } from '../sections-api.js';
import { EventIcon } from './event-icon.js';
import { eventCategory, groupByDay, propertyText, type EventDay } from './event-timeline.js';
import { recentDay, recentTime } from './relative-time.js';
import { SectionCard } from './section-card.js';
import { SectionRow } from './section-row.js';

/** Properties shown before "show all": enough to recognise an event, few enough to scan a day. */
const SHOWN_PROPERTIES = 6;

/** What the customer did (page views, orders, emails opened…), newest first, by day, a page at a time. */
export function TimelineSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  // Every page read is audited: fetch on arrival and on "load more" only.
  const events = useInfiniteQuery({
    queryKey: SECTION_QUERY_KEYS.events(customerId),
    queryFn: ({ pageParam }) => sectionsApi.events(customerId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchOnWindowFocus: false,
  });
  const days = useMemo(() => groupByDay(events.data?.pages.flatMap((page) => page.items) ?? []), [events.data]);
  // A failed "load more" keeps what was loaded; only a failed first page replaces the list.
  const firstPage = { isPending: events.isPending, isError: events.isError && !events.data, error: events.error };

  return (
    <SectionCard title={t('customers.sections.timeline.title')} intro={t('customers.sections.timeline.intro')} testId="timeline">
      <SectionList
        query={firstPage}
        items={days}
        loadingLabel={t('customers.sections.timeline.loading')}
        skeletonHeight={40}
        empty={{ title: t('customers.sections.timeline.emptyTitle'), body: t('customers.sections.timeline.emptyBody'), testId: 'timeline-empty' }}
        overrides={overrides}
        renderItem={(day) => <TimelineDay key={day.day} day={day} />}
      />
      {events.isFetchNextPageError && <ErrorAlert error={events.error} overrides={overrides} />}
      {events.hasNextPage && (
        <Group justify="center">
          <Button variant="default" size="compact-sm" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} data-testid="timeline-load-more">
            {t('customers.sections.timeline.loadMore')}
          </Button>
        </Group>
      )}
    </SectionCard>
  );
}

function TimelineDay({ day }: { day: EventDay }) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [year, month, date] = day.day.split('-').map(Number) as [number, number, number];
  const noon = new Date(year, month - 1, date, 12);
  const recent = recentDay(noon, new Date(), language);
  return (
    <SectionRow testId="timeline-day" id={day.day}>
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm" fw={600} component="h3" m={0}>
            <time dateTime={day.day}>{new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(noon)}</time>
          </Text>
          {recent && (
            <Text span size="xs" c="dimmed">
              {recent}
            </Text>
          )}
        </Group>
        <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
          {day.events.map((event) => (
            <TimelineEvent key={event.id} event={event} />
          ))}
        </Stack>
      </Stack>
    </SectionRow>
  );
}

function TimelineEvent({ event }: { event: CustomerEvent }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [showAll, setShowAll] = useState(false);
  const at = new Date(event.occurredAt);
  const recent = recentTime(at, new Date(), language);
  const entries = Object.entries(event.properties);
  const shown = showAll ? entries : entries.slice(0, SHOWN_PROPERTIES);
  const words = { yes: t('customers.yes'), no: t('customers.no') };
  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start" data-testid="timeline-event" data-type={event.type}>
      <EventIcon category={eventCategory(event.type)} />
      <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="wrap" align="baseline">
          <Text size="sm" fw={500} ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="timeline-event-type">
            {event.type}
          </Text>
          <Text span size="xs" c="dimmed">
            <time dateTime={event.occurredAt} title={new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'medium' }).format(at)}>
              {new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(at)}
            </time>
            {recent && ` · ${recent}`}
          </Text>
        </Group>
        {entries.length > 0 && (
          <Group gap={4} wrap="wrap" data-testid="timeline-event-properties">
            {shown.map(([key, value]) => (
              <Text key={key} span size="xs" px={6} py={1} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 4, wordBreak: 'break-word' }}>
                <Text span inherit c="dimmed">
                  {key}:
                </Text>{' '}
                {propertyText(value, language, words)}
              </Text>
            ))}
            {entries.length > SHOWN_PROPERTIES && (
              <Button variant="subtle" size="compact-xs" onClick={() => setShowAll((current) => !current)}>
                {showAll ? t('customers.sections.timeline.fewerProperties') : t('customers.sections.timeline.moreProperties', { count: entries.length - SHOWN_PROPERTIES })}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Group>
  );
}
