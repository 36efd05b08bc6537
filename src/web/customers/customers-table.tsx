import { Anchor, Box, Button, Checkbox, Group, Loader, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useErrorMessage } from '../api/use-error-message.js';
import { CompanyLink } from './company-link.js';
import type { CustomerRecord } from './customers-api.js';
import { useCustomerName } from './customer-name.js';
import { NAME_COLUMN, type ListColumn } from './list/list-fields.js';
import { pageSelection } from './list/row-selection.js';
import { useColumnLabel } from './list/use-column-label.js';
import { sortDirection } from './search-query.js';
import { MaskedMark } from './sensitivity-badge.js';
import { isMaskedField } from './use-field-registry.js';
import { useFormatFieldValue } from './use-format-field-value.js';
import classes from './list/customers-table.module.css';

const ROW_HEIGHT = 44;
const HEADER_HEIGHT = 42;
/** Rows drawn beyond the visible ones, so a fast scroll shows rows rather than blank space. */
const OVERSCAN = 12;
/** How close to the last loaded row the next page is asked for. */
const LOAD_AHEAD = 40;
const SKELETON_ROWS = 8;
/** The least the table keeps on a short screen; below the page's bottom padding otherwise. */
const MIN_HEIGHT = 320;
const BOTTOM_GAP = 16;
/** The column of row boxes, when rows can be selected: narrow, so a phone still shows two columns beside it. */
const CHECK_WIDTH = 36;

interface CustomersTableProps {
  customers: readonly CustomerRecord[];
  columns: readonly ListColumn[];
  /** Changes when the list asked for changes (search, filters, sort): the table goes back to its top. */
  listKey?: string;
  sort: string | null;
  onSort: (key: string) => void;
  /** The first page is on its way: the header over skeleton rows. */
  loading?: boolean;
  /** A page is being replaced (new search or filter): the old rows stay, dimmed. */
  refreshing?: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMoreError: unknown;
  onLoadMore: () => void;
  /** Rows can be ticked (for acting on many at once): a box on each row and one in the header for every loaded row. */
  selection?: TableSelection;
}

export interface TableSelection {
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onTogglePage: (ids: readonly string[]) => void;
}

const cell: CSSProperties = { display: 'flex', alignItems: 'center', overflow: 'hidden', whiteSpace: 'nowrap', minWidth: 0 };

/**
 * The customers list as a virtualized table (TanStack Virtual): however many rows are loaded,
 * only the few dozen on screen exist in the page, at a fixed row height, so scrolling stays
 * smooth at a million customers. Pages load as the user nears the end (keyset cursor, no
 * count). The header stays on top; a click on a sortable column's header sorts by it.
 */
export function CustomersTable({ customers, columns, listKey, sort, onSort, loading, refreshing, hasMore, loadingMore, loadMoreError, onLoadMore, selection }: CustomersTableProps) {
  const { t } = useTranslation();
  const nameOf = useCustomerName();
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = useHeightToViewportBottom(scrollRef);
  const renderCell = useRenderCell();
  const rowCount = customers.length + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({ count: loading ? 0 : rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [listKey]);

  useEffect(() => {
    // After a failed page, the user asks again (the button in the last row): no retry loop.
    if (hasMore && !loadingMore && !loadMoreError && lastIndex >= customers.length - LOAD_AHEAD) onLoadMore();
  }, [lastIndex, customers.length, hasMore, loadingMore, loadMoreError, onLoadMore]);

  const template = (selection ? `${CHECK_WIDTH}px ` : '') + columns.map((column) => `minmax(${column.width}px, 1fr)`).join(' ');
  const minWidth = columns.reduce((sum, column) => sum + column.width, selection ? CHECK_WIDTH : 0);
  const row: CSSProperties = { display: 'grid', gridTemplateColumns: template, width: '100%' };
  const navigate = useNavigate();
  const open = useCallback((path: string) => void navigate(path), [navigate]);

  return (
    <Box
      ref={scrollRef}
      data-testid="customers-scroll"
      style={{
        height: height ?? MIN_HEIGHT,
        overflow: 'auto',
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-md)',
        overscrollBehavior: 'contain',
      }}
    >
      <Table
        verticalSpacing={0}
        aria-rowcount={hasMore || loading ? -1 : customers.length + 1}
        aria-busy={loading || refreshing || loadingMore}
        style={{ display: 'grid', minWidth, opacity: refreshing ? 0.6 : 1, transition: 'opacity 150ms' }}
      >
        <Table.Thead style={{ display: 'grid', position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)' }}>
          <Table.Tr aria-rowindex={1} style={{ ...row, height: HEADER_HEIGHT }}>
            {selection && <SelectPageCell customers={customers} selection={selection} />}
            {columns.map((column) => (
              <HeaderCell key={column.key} column={column} direction={sortDirection(sort, column.key)} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        {loading ? (
          <Table.Tbody style={{ display: 'grid' }} data-testid="customers-loading">
            {Array.from({ length: SKELETON_ROWS }, (_, index) => (
              <Table.Tr key={index} style={{ ...row, height: ROW_HEIGHT }}>
                {columns.map((column) => (
                  <Table.Td key={column.key} style={cell}>
                    <Skeleton h={12} w="70%" />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        ) : (
          <Table.Tbody style={{ display: 'grid', position: 'relative', height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const customer = customers[item.index];
              if (!customer) {
                return (
                  <tr key="more" className={classes.row} style={{ ...placed(template, item.start), cursor: 'default' }} aria-rowindex={item.index + 2}>
                    <td className={classes.cell} style={{ gridColumn: '1 / -1', position: 'sticky', left: 0 }}>
                      <MoreRow loading={loadingMore} error={loadMoreError} onRetry={onLoadMore} />
                    </td>
                  </tr>
                );
              }
              return (
                <CustomerRow
                  key={customer.id}
                  customer={customer}
                  columns={columns}
                  index={item.index}
                  start={item.start}
                  template={template}
                  renderCell={renderCell}
                  onOpen={open}
                  {...(selection && { selected: selection.selected.has(customer.id), selectLabel: t('customers.bulk.selectOne', { name: nameOf(customer) }), onToggle: selection.onToggle })}
                />
              );
            })}
          </Table.Tbody>
        )}
      </Table>
      {!loading && customers.length > 0 && (
        <Text size="xs" c="dimmed" ta="center" py={6} data-testid="customers-loaded">
          {hasMore ? t('customers.list.loadedMore', { count: customers.length }) : t('customers.list.loadedAll', { count: customers.length })}
        </Text>
      )}
    </Box>
  );
}

/** The header's box: ticks every loaded row, or unticks them when all are ticked; "some" shows as a dash. Not redrawn as the table scrolls. */
const SelectPageCell = memo(function SelectPageCell({ customers, selection }: { customers: readonly CustomerRecord[]; selection: TableSelection }) {
  const { t } = useTranslation();
  const ids = useMemo(() => customers.map((customer) => customer.id), [customers]);
  const state = pageSelection(selection.selected, ids);
  return (
    <Table.Th style={{ ...cell, justifyContent: 'center', padding: 0 }}>
      <Checkbox
        aria-label={t('customers.bulk.selectPage')}
        checked={state === 'all'}
        indeterminate={state === 'some'}
        disabled={ids.length === 0}
        onChange={() => selection.onTogglePage(ids)}
        data-testid="select-page"
      />
    </Table.Th>
  );
});

function HeaderCell({ column, direction, onSort }: { column: ListColumn; direction: 'asc' | 'desc' | null; onSort: (key: string) => void }) {
  const { t } = useTranslation();
  const label = useColumnLabel()(column);
  return (
    <Table.Th
      style={cell}
      aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : column.sortable ? 'none' : undefined}
      data-testid={`header-${column.key}`}
    >
      {column.sortable ? (
        <UnstyledButton onClick={() => onSort(column.key)} title={t('customers.list.sortBy', { column: label })} fw={700} fz="sm" style={{ display: 'flex', gap: 4, alignItems: 'center', minWidth: 0 }}>
          <Text span inherit truncate>
            {label}
          </Text>
          <Text span inherit c={direction ? undefined : 'dimmed'} aria-hidden>
            {direction === 'asc' ? '↑' : direction === 'desc' ? '↓' : '↕'}
          </Text>
        </UnstyledButton>
      ) : (
        <Text span inherit truncate>
          {label}
        </Text>
      )}
    </Table.Th>
  );
}

/**
 * The table scrolls inside itself (its header sticks to its top) and reaches down to the
 * bottom of the window, wherever the filters and notices above leave its top.
 */
function useHeightToViewportBottom(ref: RefObject<HTMLElement | null>): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setHeight(Math.max(MIN_HEIGHT, Math.floor(window.innerHeight - element.getBoundingClientRect().top - window.scrollY - BOTTOM_GAP)));
    measure();
    // What is above the table changes the page's height: filters, a search summary, a notice.
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return height;
}

type RenderCell = (customer: CustomerRecord, column: ListColumn, path: string) => ReactNode;

/** A row at its place in the scrolled body (the rest is its class): moved by a transform, which costs no layout. */
function placed(template: string, start: number): CSSProperties {
  return { gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${start}px)` };
}

interface CustomerRowProps {
  customer: CustomerRecord;
  columns: readonly ListColumn[];
  index: number;
  start: number;
  template: string;
  renderCell: RenderCell;
  onOpen: (path: string) => void;
  /** Set when rows can be ticked: whether this one is, its box's label, and what a tick does. */
  selected?: boolean;
  selectLabel?: string;
  onToggle?: (id: string) => void;
}

/** Rows already on screen keep their props while the table scrolls: only rows coming into view render. */
const CustomerRow = memo(function CustomerRow({ customer, columns, index, start, template, renderCell, onOpen, selected, selectLabel, onToggle }: CustomerRowProps) {
  const path = `/customers/${encodeURIComponent(customer.id)}`;
  return (
    <tr
      className={selected ? `${classes.row} ${classes.selected}` : classes.row}
      data-testid="customer-row"
      data-id={customer.id}
      aria-rowindex={index + 2}
      onClick={() => onOpen(path)}
      style={placed(template, start)}
    >
      {onToggle && (
        // The whole cell is the box's target (a fingertip on a phone), and never opens the customer.
        <td
          className={classes.check}
          onClick={(event) => {
            event.stopPropagation();
            if (event.target === event.currentTarget) onToggle(customer.id);
          }}
        >
          <Checkbox aria-label={selectLabel} checked={selected ?? false} onChange={() => onToggle(customer.id)} data-testid="select-row" />
        </td>
      )}
      {columns.map((column) => (
        <td key={column.key} className={classes.cell} data-column={column.key}>
          {renderCell(customer, column, path)}
        </td>
      ))}
    </tr>
  );
});

/**
 * One value as the gateway sent it: masked values as they came, with a mark; absent ones a
 * dash. Built once per table (formatters included), not once per cell: rows mount on every scroll.
 */
function useRenderCell(): RenderCell {
  const { t, i18n } = useTranslation();
  const formatValue = useFormatFieldValue();
  const nameOf = useCustomerName();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => {
    const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const formatTime = (value: unknown) => {
      const date = new Date(String(value));
      return Number.isNaN(date.getTime()) ? String(value ?? '') : time.format(date);
    };
    return (customer, column, path) => {
      const field = column.fields.find((each) => each.kind === customer.kind);
      if (column.key === NAME_COLUMN) {
        return (
          <>
            {/* A real link, for the keyboard and for opening in a new tab; the row click is a shortcut. */}
            <Anchor component={Link} to={path} fw={500} size="sm" className={classes.text} onClick={(event) => event.stopPropagation()}>
              {nameOf(customer)}
            </Anchor>
            {isMaskedField(field) && <MaskedMark />}
          </>
        );
      }
      if (column.key === 'kind') return <span className={classes.text}>{t(`customers.kinds.${customer.kind}`)}</span>;
      if (column.key === 'createdAt' || column.key === 'updatedAt') return <span className={classes.text}>{formatTime(customer[column.key])}</span>;
      const raw = customer[column.key];
      if (field?.type === 'company' && typeof raw === 'string' && raw) {
        // The company's own page, not the row's person.
        return (
          <span className={classes.text} onClick={(event) => event.stopPropagation()}>
            <CompanyLink id={raw} />
          </span>
        );
      }
      const value = field ? formatValue(field, raw) : '';
      if (!value) return <span className={classes.dimmed}>—</span>;
      return (
        <>
          <span className={classes.text} title={value}>
            {value}
          </span>
          {isMaskedField(field) && <MaskedMark />}
        </>
      );
    };
  }, [t, formatValue, nameOf, language]);
}

function MoreRow({ loading, error, onRetry }: { loading: boolean; error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  if (error && !loading) {
    return (
      <Group gap="sm" wrap="nowrap" data-testid="customers-load-more-failed">
        <Text size="sm" c="red" truncate>
          {t('customers.list.loadMoreFailed')} {describe(error)}
        </Text>
        <Button size="compact-sm" variant="default" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      </Group>
    );
  }
  return (
    <Group gap="xs" data-testid="customers-loading-more">
      <Loader size="xs" />
      <Text size="sm" c="dimmed">
        {t('customers.list.loadingMore')}
      </Text>
    </Group>
  );
}
