import { Button, Group, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useCan } from '../auth/use-can.js';
import { useMe } from '../auth/use-me.js';
import { EmptyState } from '../ui/empty-state.js';
import type { CustomerKind } from '../../shared/fields.js';
import { BulkReassignBar } from './bulk-reassign-bar.js';
import { CustomersTable, type TableSelection } from './customers-table.js';
import { DeletedCustomerNotice } from './deleted-customer-notice.js';
import { ExportButton } from './export/export-button.js';
import { ColumnChooser } from './list/column-chooser.js';
import { FilterBuilder } from './list/filter-builder.js';
import { FilterPills } from './list/filter-pills.js';
import { applicableTo, availableColumns, visibleColumns } from './list/list-fields.js';
import { useRowSelection } from './list/row-selection.js';
import { SavedViewsMenu } from './list/saved-views-menu.js';
import { SearchBox } from './list/search-box.js';
import { useCustomerList } from './list/use-customer-list.js';
import { useListErrorOverrides } from './list/use-list-error-overrides.js';
import { useListState } from './list/use-list-state.js';
import { isNarrowed, MAX_FILTERS, nextSort } from './search-query.js';
import { useFieldRegistry } from './use-field-registry.js';

/** Codes a link's or a view's own settings earn; "show all customers" is the way out. */
const LIST_SETTING_ERRORS = new Set(['invalid_input', 'invalid_filter', 'unknown_field', 'field_not_filterable', 'field_not_sortable', 'field_hidden', 'invalid_cursor']);
const KINDS = ['all', 'person', 'company'] as const;
const PHONE_COLUMN_WIDTH = 160;

/**
 * `/customers` — every customer, newest first, in a virtualized table that loads further pages
 * as it scrolls; one search box, a kind switch, filters, sorting by column, a column chooser
 * and saved views. Search, kind, filters, sort and view live in the address, so a link
 * reproduces the list and Back from a customer returns to it.
 */
export function CustomersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const mayCreate = can('customers', 'create');
  const mayImport = can('customers', 'import');
  const fields = useFieldRegistry();
  const overrides = useListErrorOverrides();
  const state = useListState(me.user.id, { viewsAllowed: fields.isSuccess });
  const { query, update } = state;
  const request = useMemo(() => ({ q: query.q, kind: query.kind, filters: query.filters, sort: query.sort }), [query.q, query.kind, query.filters, query.sort]);
  const listKey = useMemo(() => JSON.stringify(request), [request]);
  const list = useCustomerList(request);
  // Rows can be ticked only by a role the server lets hand customers over (the one bulk action).
  const mayReassign = me.policies.reassignOwner;
  const { selected, toggle, togglePage, clear } = useRowSelection(listKey);
  const selection = useMemo<TableSelection | undefined>(() => (mayReassign ? { selected, onToggle: toggle, onTogglePage: togglePage } : undefined), [mayReassign, selected, toggle, togglePage]);
  // Read at once, not after a first paint with every column.
  const phone = useMediaQuery('(max-width: 36em)', undefined, { getInitialValueInEffect: false });
  const tablet = useMediaQuery('(max-width: 62em)', undefined, { getInitialValueInEffect: false });

  const available = useMemo(() => availableColumns(fields.data ?? [], query.kind), [fields.data, query.kind]);
  const maxColumns = phone ? 2 : tablet ? 4 : Infinity;
  // A phone shows the name and one more column, narrower, without sideways scrolling; the
  // kind is left to the customer's page there, the contact columns matter more.
  const columns = useMemo(
    () =>
      phone
        ? visibleColumns(available.filter((column) => column.key !== 'kind'), state.columns, maxColumns).map((column) => ({ ...column, width: Math.min(column.width, PHONE_COLUMN_WIDTH) }))
        : visibleColumns(available, state.columns, maxColumns),
    [available, state.columns, maxColumns, phone],
  );
  const chosenCount = visibleColumns(available, state.columns).length;
  const customers = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const narrowed = isNarrowed(query);
  const noCustomersYet = !narrowed && !list.isPlaceholderData && list.data?.pages[0]?.items.length === 0;
  const { hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    if (!isPlaceholderData) void fetchNextPage();
  }, [isPlaceholderData, fetchNextPage]);
  const onSearch = useCallback((q: string) => update({ q }, { replace: true }), [update]);

  // A role without access to customers gets one clear sentence, not a form and a button that cannot work.
  if (isApiError(fields.error, 'forbidden') || isApiError(list.error, 'forbidden')) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('customers.title')}
        </Title>
        <ErrorAlert error={fields.error ?? list.error} overrides={overrides} />
      </Stack>
    );
  }

  const showAll = (
    <Button variant="default" onClick={() => state.openView(null)} data-testid="list-reset">
      {t('customers.list.showAll')}
    </Button>
  );

  const content = () => {
    if (!fields.data) return fields.isError ? null : <Skeleton h={320} />;
    if (!list.data) {
      if (list.isError) {
        return (
          <Stack align="flex-start">
            <ErrorAlert error={list.error} overrides={overrides} />
            {isApiError(list.error) && LIST_SETTING_ERRORS.has(list.error.code) ? showAll : <Button onClick={() => void list.refetch()}>{t('common.retry')}</Button>}
          </Stack>
        );
      }
      return <CustomersTable customers={[]} columns={columns} sort={query.sort} onSort={() => undefined} loading hasMore={false} loadingMore={false} loadMoreError={null} onLoadMore={loadMore} />;
    }
    if (noCustomersYet) {
      return (
        <EmptyState
          title={t('customers.list.emptyTitle')}
          action={
            mayCreate && (
              <Button component={Link} to="/customers/new" data-testid="new-customer">
                {t('customers.new')}
              </Button>
            )
          }
        >
          {mayCreate ? t('customers.list.emptyBody') : t('customers.list.emptyBodyNoCreate')}
        </EmptyState>
      );
    }
    if (customers.length === 0 && !list.isPlaceholderData) {
      return (
        <EmptyState title={t('customers.list.noMatchesTitle')} action={showAll}>
          {t('customers.list.noMatchesBody')}
        </EmptyState>
      );
    }
    return (
      <Stack gap="xs">
        {/* A failed refresh keeps the rows already shown. */}
        {list.isError && !list.isFetchNextPageError && <ErrorAlert error={list.error} overrides={overrides} />}
        <CustomersTable
          customers={customers}
          columns={columns}
          listKey={listKey}
          sort={query.sort}
          onSort={(key) => update({ sort: nextSort(query.sort, key) })}
          refreshing={list.isPlaceholderData}
          hasMore={hasNextPage && !list.isPlaceholderData}
          loadingMore={isFetchingNextPage}
          loadMoreError={list.isFetchNextPageError ? list.error : null}
          onLoadMore={loadMore}
          selection={selection}
        />
      </Stack>
    );
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('customers.title')}
        </Title>
        <Group gap="xs">
          {mayImport && (
            <Button component={Link} to="/customers/import" variant="default" data-testid="import-customers">
              {t('imports.open')}
            </Button>
          )}
          {/* Offered once the registry has loaded (the form is built from it), and here only while the list is not empty. */}
          {fields.data && !noCustomersYet && mayCreate && (
            <Button component={Link} to="/customers/new" data-testid="new-customer">
              {t('customers.new')}
            </Button>
          )}
        </Group>
      </Group>
      <DeletedCustomerNotice />
      <Group gap="xs" align="flex-start" wrap="wrap">
        <SearchBox value={query.q} onSearch={onSearch} />
        <Group gap="xs" wrap="wrap">
          <SegmentedControl
            aria-label={t('customers.list.kindLabel')}
            data={KINDS.map((kind) => ({ value: kind, label: t(`customers.list.kinds.${kind}`) }))}
            value={query.kind ?? 'all'}
            onChange={(value) => update(applicableTo(query, fields.data ?? [], value === 'all' ? null : (value as CustomerKind)))}
            data-testid="customer-kind"
          />
          <FilterBuilder columns={available.filter((column) => column.filterable)} onAdd={(filter) => update({ filters: [...query.filters, filter] })} full={query.filters.length >= MAX_FILTERS} />
          <ColumnChooser available={available} chosen={state.columns} onChange={state.setColumns} fitting={chosenCount > maxColumns ? maxColumns : null} />
          <SavedViewsMenu state={state} />
          <ExportButton list={request} shown={visibleColumns(available, state.columns)} />
        </Group>
      </Group>
      <FilterPills filters={query.filters} columns={available} onChange={(filters) => update({ filters })} />
      {query.q && (
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" fw={500} data-testid="customer-search-summary" style={{ wordBreak: 'break-all' }}>
            {t('customers.list.searchSummary', { q: query.q })}
          </Text>
          <Button variant="subtle" size="compact-sm" onClick={() => update({ q: '' })}>
            {t('customers.list.clearSearch')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={fields.error} overrides={overrides} />
      {mayReassign && <BulkReassignBar selected={selected} onClear={clear} />}
      {content()}
    </Stack>
  );
}
