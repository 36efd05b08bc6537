import { Anchor, Badge, Button, Group, Paper, Progress, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../api/error-alert.js';
import { can } from '../auth/use-can.js';
import { useMe } from '../auth/use-me.js';
import type { CustomerRecord } from '../customers/customers-api.js';
import { useCustomerName } from '../customers/customer-name.js';
import { findField, useFieldLabel, useFieldRegistry } from '../customers/use-field-registry.js';
import { useFormatFieldValue } from '../customers/use-format-field-value.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { EmptyState } from '../ui/empty-state.js';
import { useNotify } from '../ui/notifications.js';
import { DUPLICATES_QUERY_KEY, duplicatesApi, type DuplicatePair, type DuplicateStatus } from './duplicates-api.js';
import { MergeDialog } from './merge-dialog.js';
import { useDuplicateErrors } from './use-duplicate-errors.js';

/** Fields shown side by side on a pair's card, when the caller may see them. */
const COMPARED = ['email', 'phone', 'nationalId', 'companyName', 'city', 'domain'];
const STATUSES: DuplicateStatus[] = ['open', 'dismissed', 'merged'];
const UNDO_DAYS = 30;

/**
 * `/duplicates` — customers that look like one another, best match first: compare them side by
 * side, merge them field by field, or dismiss the pair; recent merges can be undone for 30 days.
 * Settings managers can scan the customers stored before detection ran.
 */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as DuplicateStatus) : 'open';
  const mayMerge = can(me.policies, 'customers', 'update') && can(me.policies, 'customers', 'delete');
  const pairs = useInfiniteQuery({
    queryKey: [...DUPLICATES_QUERY_KEY, 'list', status],
    queryFn: ({ pageParam }) => duplicatesApi.list(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = pairs.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('duplicates.title')}
        </Title>
        <Text size="sm" c="dimmed" maw={720}>
          {t('duplicates.intro')}
        </Text>
      </Stack>
      {me.policies.manageSettings && <ScanPanel />}
      <SegmentedControl
        aria-label={t('duplicates.filterLabel')}
        w="fit-content"
        value={status}
        onChange={(value) => setParams(value === 'open' ? {} : { status: value }, { replace: true })}
        data={STATUSES.map((value) => ({ value, label: t(`duplicates.status.${value}`) }))}
      />
      {pairs.isPending && <Skeleton h={160} aria-busy aria-label={t('common.loading')} />}
      <ErrorAlert error={pairs.error} />
      {pairs.isSuccess &&
        (items.length === 0 ? (
          <EmptyState title={t(`duplicates.empty.${status}Title`)}>{t(`duplicates.empty.${status}Body`)}</EmptyState>
        ) : (
          <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {items.map((pair) => (
              <PairCard key={pair.id} pair={pair} mayMerge={mayMerge} />
            ))}
          </Stack>
        ))}
      {pairs.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void pairs.fetchNextPage()} loading={pairs.isFetchingNextPage}>
          {t('duplicates.loadMore')}
        </Button>
      )}
      {mayMerge && <RecentMerges />}
    </Stack>
  );
}

function ScoreBadge({ score }: { score: number }) {
  const { t } = useTranslation();
  const color = score >= 90 ? 'red' : score >= 75 ? 'orange' : 'yellow';
  return (
    <Badge color={color} variant="light" data-testid="duplicate-score">
      {t('duplicates.score', { score })}
    </Badge>
  );
}

function PairCard({ pair, mayMerge }: { pair: DuplicatePair; mayMerge: boolean }) {
  const { t } = useTranslation();
  const errorTexts = useDuplicateErrors();
  const queryClient = useQueryClient();
  const [merging, setMerging] = useState(false);
  const dismiss = useMutation({
    mutationFn: () => duplicatesApi.dismiss(pair.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: DUPLICATES_QUERY_KEY }),
  });

  return (
    <Paper component="li" withBorder radius="md" p="sm" data-testid="duplicate-pair" data-id={pair.id}>
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <ScoreBadge score={pair.score} />
          {pair.reasons.map((reason) => (
            <Badge key={reason} variant="outline" color="gray" data-testid="duplicate-reason">
              {t(`duplicates.reasons.${reason}`)}
            </Badge>
          ))}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {pair.customers.map((customer) => (
            <CustomerSummary key={customer.id} customer={customer} linked={pair.status !== 'merged'} />
          ))}
        </SimpleGrid>
        <ErrorAlert error={dismiss.error} overrides={errorTexts} />
        {pair.status === 'open' && mayMerge && (
          <Group gap="xs">
            <Button size="compact-sm" onClick={() => setMerging(true)}>
              {t('duplicates.mergeAction')}
            </Button>
            <Button size="compact-sm" variant="subtle" loading={dismiss.isPending} onClick={() => dismiss.mutate()}>
              {t('duplicates.dismiss')}
            </Button>
          </Group>
        )}
      </Stack>
      {merging && <MergeDialog pair={pair} onClose={() => setMerging(false)} />}
    </Paper>
  );
}

function CustomerSummary({ customer, linked }: { customer: CustomerRecord; linked: boolean }) {
  const nameOf = useCustomerName();
  const registry = useFieldRegistry();
  const fieldLabel = useFieldLabel();
  const formatValue = useFormatFieldValue();
  const shown = COMPARED.flatMap((key) => {
    const field = findField(registry.data, customer.kind, key);
    const value = customer[key];
    return field && value !== undefined && value !== null && value !== '' ? [{ key, label: fieldLabel(field), text: formatValue(field, value) }] : [];
  });
  return (
    <Stack gap={2} style={{ minWidth: 0 }} data-testid="duplicate-customer">
      {linked ? (
        <Anchor component={Link} to={`/customers/${customer.id}`} fw={600} style={{ wordBreak: 'break-word' }}>
          {nameOf(customer)}
        </Anchor>
      ) : (
        <Text fw={600}>{nameOf(customer)}</Text>
      )}
      {shown.map((item) => (
        <Text key={item.key} size="sm" style={{ wordBreak: 'break-word' }}>
          <Text span c="dimmed" size="sm">
            {item.label}:
          </Text>{' '}
          {item.text}
        </Text>
      ))}
    </Stack>
  );
}

function ScanPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const progress = useQuery({
    queryKey: [...DUPLICATES_QUERY_KEY, 'scan'],
    queryFn: duplicatesApi.scanProgress,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1_000 : false),
  });
  const scan = useMutation({
    mutationFn: duplicatesApi.scan,
    onSuccess: (data) => queryClient.setQueryData([...DUPLICATES_QUERY_KEY, 'scan'], data),
  });
  const state = progress.data;
  const running = state?.status === 'running';
  const finishedAt = state?.status === 'completed' ? state.finishedAt : null;
  // A finished scan may have flagged pairs: the list is read again.
  useEffect(() => {
    if (finishedAt) void queryClient.invalidateQueries({ queryKey: [...DUPLICATES_QUERY_KEY, 'list'] });
  }, [finishedAt, queryClient]);
  return (
    <Paper withBorder radius="md" p="sm">
      <Stack gap="xs">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Text size="sm" style={{ flex: '1 1 240px' }}>
            {t('duplicates.scan.intro')}
          </Text>
          <Button size="compact-sm" variant="light" onClick={() => scan.mutate()} loading={scan.isPending} disabled={running}>
            {t('duplicates.scan.start')}
          </Button>
        </Group>
        {running && (
          <Stack gap={4} data-testid="scan-progress">
            <Progress value={state.total > 0 ? (100 * state.done) / state.total : 0} aria-label={t('duplicates.scan.progressLabel')} />
            <Text size="xs" c="dimmed">
              {t('duplicates.scan.running', { done: state.done, total: state.total })}
            </Text>
          </Stack>
        )}
        {state?.status === 'completed' && (
          <Text size="xs" c="dimmed" data-testid="scan-done">
            {t('duplicates.scan.done', { count: state.flagged, total: state.total })}
          </Text>
        )}
        {state?.status === 'failed' && (
          <Text size="xs" c="red">
            {t('duplicates.scan.failed')}
          </Text>
        )}
        <ErrorAlert error={scan.error ?? progress.error} />
      </Stack>
    </Paper>
  );
}

function RecentMerges() {
  const { t } = useTranslation();
  const errorTexts = useDuplicateErrors();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const nameOf = useCustomerName();
  const formatDate = useFormatDate();
  const merges = useQuery({ queryKey: [...DUPLICATES_QUERY_KEY, 'merges'], queryFn: duplicatesApi.recentMerges });
  const undo = useMutation({
    mutationFn: duplicatesApi.undo,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: DUPLICATES_QUERY_KEY });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      notify(t('duplicates.recent.undone'));
    },
  });
  const items = merges.data?.items ?? [];
  return (
    <Stack gap="xs" component="section" aria-labelledby="recent-merges">
      <Title order={2} size="h4" id="recent-merges">
        {t('duplicates.recent.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('duplicates.recent.intro', { days: UNDO_DAYS })}
      </Text>
      {merges.isPending && <Skeleton h={60} aria-busy aria-label={t('common.loading')} />}
      <ErrorAlert error={merges.error ?? undo.error} overrides={errorTexts} />
      {merges.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('duplicates.recent.empty')}
        </Text>
      )}
      {items.map((merge) => (
        <Paper key={merge.id} withBorder radius="md" p="sm" data-testid="recent-merge">
          <Group justify="space-between" gap="sm" wrap="wrap">
            <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {t('duplicates.recent.line', { merged: nameOf(merge.merged), survivor: nameOf(merge.survivor) })}
              </Text>
              <Text size="xs" c="dimmed">
                <time dateTime={merge.createdAt}>{formatDate(merge.createdAt)}</time>
              </Text>
            </Stack>
            <Button size="compact-sm" variant="default" loading={undo.isPending && undo.variables === merge.id} onClick={() => undo.mutate(merge.id)}>
              {t('duplicates.recent.undo')}
            </Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
