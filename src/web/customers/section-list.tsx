import { Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../api/error-alert.js';

interface SectionListProps<T> {
  query: { isPending: boolean; isError: boolean; error: unknown };
  items: readonly T[];
  loadingLabel: string;
  skeletonHeight: number;
  empty: { title: string; body: string; testId: string };
  overrides?: Parameters<typeof ErrorAlert>[0]['overrides'];
  renderItem: (item: T) => ReactNode;
}

/** The list part of a customer-page section: loading, error, empty, or the items as a plain <ul>. */
export function SectionList<T>({ query, items, loadingLabel, skeletonHeight, empty, overrides, renderItem }: SectionListProps<T>) {
  if (query.isPending) {
    return (
      <Stack gap="xs" aria-busy aria-label={loadingLabel}>
        <Skeleton h={skeletonHeight} />
        <Skeleton h={skeletonHeight} />
      </Stack>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} overrides={overrides} />;
  if (items.length === 0) {
    return (
      <Stack gap={2} py="xs" data-testid={empty.testId}>
        <Text size="sm" fw={500}>
          {empty.title}
        </Text>
        <Text size="sm" c="dimmed">
          {empty.body}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
      {items.map(renderItem)}
    </Stack>
  );
}
