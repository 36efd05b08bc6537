import { Button, Group, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { EmptyState } from '../ui/empty-state.js';
import { CUSTOMER_QUERY_KEYS, customersApi } from './customers-api.js';
import { CustomersTable } from './customers-table.js';
import { DeletedCustomerNotice } from './deleted-customer-notice.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { SearchIcon } from './icons.js';
import { lookupFor, type Lookup } from './search-query.js';
import { useFieldRegistry } from './use-field-registry.js';

/**
 * `/customers` — one search box (finds by name, email, phone or ID number, read from what was
 * typed), otherwise every customer, newest first, fifty at a time. The search lives in the
 * address (`?q=`), so Back from a customer returns to the same results.
 */
export function CustomersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const lookup = lookupFor(query);
  const fields = useFieldRegistry();
  const overrides = useCustomerErrorOverrides();

  const browse = useInfiniteQuery({
    queryKey: CUSTOMER_QUERY_KEYS.browse,
    queryFn: ({ pageParam }) => customersApi.list(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: lookup === null,
    // Every list read is audited: refresh when something changed, not whenever the tab regains focus.
    refetchOnWindowFocus: false,
  });
  const noCustomersYet = lookup === null && browse.data?.pages[0]?.items.length === 0;

  // A role without access to customers gets one clear sentence, not a form and a button that cannot work.
  if (isApiError(fields.error, 'forbidden') || isApiError(browse.error, 'forbidden')) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('customers.title')}
        </Title>
        <ErrorAlert error={fields.error ?? browse.error} overrides={overrides} />
      </Stack>
    );
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('customers.title')}
        </Title>
        {/* Offered once the registry has loaded (the form is built from it), and here only while the list is not empty. */}
        {fields.data && !noCustomersYet && (
          <Button component={Link} to="/customers/new" data-testid="new-customer">
            {t('customers.new')}
          </Button>
        )}
      </Group>
      <DeletedCustomerNotice />
      <SearchForm key={query} initial={query} onSearch={(text) => setParams(text ? { q: text } : {})} />
      <ErrorAlert error={fields.error} overrides={overrides} />
      {lookup ? (
        <LookupResults lookup={lookup} onClear={() => setParams({})} />
      ) : !browse.data ? (
        browse.isError ? <ErrorAlert error={browse.error} overrides={overrides} /> : <Skeleton h={200} />
      ) : noCustomersYet ? (
        <EmptyState
          title={t('customers.list.emptyTitle')}
          action={
            <Button component={Link} to="/customers/new" data-testid="new-customer">
              {t('customers.new')}
            </Button>
          }
        >
          {t('customers.list.emptyBody')}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <CustomersTable customers={browse.data.pages.flatMap((page) => page.items)} fields={fields.data} />
          {/* A failed "Load more" (or refresh) keeps the rows already shown. */}
          <ErrorAlert error={browse.error} overrides={overrides} />
          {browse.hasNextPage && (
            <Group justify="center">
              <Button variant="default" onClick={() => void browse.fetchNextPage()} loading={browse.isFetchingNextPage}>
                {t('customers.list.loadMore')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}

/** Searches on Enter, not on every keystroke: each lookup is an audited read. */
function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const planned = lookupFor(text);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };

  return (
    <form onSubmit={submit} role="search">
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          aria-label={t('customers.list.search')}
          placeholder={t('customers.list.searchPlaceholder')}
          description={planned ? t(`customers.list.searchBy.${planned.key}`) : undefined}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          leftSection={<SearchIcon />}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          type="search"
          maxLength={254}
          autoComplete="off"
          spellCheck={false}
          data-testid="customer-search"
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="default">
          {t('customers.list.searchSubmit')}
        </Button>
      </Group>
    </form>
  );
}

function LookupResults({ lookup, onClear }: { lookup: Lookup; onClear: () => void }) {
  const { t } = useTranslation();
  const fields = useFieldRegistry();
  const overrides = useCustomerErrorOverrides();
  const results = useQuery({
    queryKey: CUSTOMER_QUERY_KEYS.lookup(lookup.key, lookup.value),
    queryFn: () => customersApi.lookup(lookup.key, lookup.value),
    refetchOnWindowFocus: false,
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} data-testid="customer-search-summary" style={{ wordBreak: 'break-all' }}>
          {t(`customers.list.searchingBy.${lookup.key}`, { value: lookup.value })}
        </Text>
        <Button variant="subtle" size="compact-sm" onClick={onClear}>
          {t('customers.list.clearSearch')}
        </Button>
      </Group>
      {results.isPending ? (
        <Skeleton h={120} />
      ) : results.isError ? (
        <ErrorAlert error={results.error} overrides={overrides} />
      ) : results.data.items.length === 0 ? (
        <EmptyState title={t('customers.list.noMatchesTitle')}>{t('customers.list.noMatchesBody')}</EmptyState>
      ) : (
        <CustomersTable customers={results.data.items} fields={fields.data} />
      )}
    </Stack>
  );
}
