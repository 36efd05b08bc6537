import { ActionIcon, Badge, Button, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/use-can.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { useNotify } from '../../ui/notifications.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { formatMoney } from '../money.js';
import { SectionList } from '../section-list.js';
import { SECTION_QUERY_KEYS, sectionsApi, type CurrencyTotal, type Transaction, type TransactionStatus, UNCOUNTED_STATUSES } from '../sections-api.js';
import { DEFAULT_CURRENCY } from './currencies.js';
import { SectionCard } from './section-card.js';
import { TransactionFormModal } from './transaction-form-modal.js';
import { mainCurrency } from './transaction-summary.js';
import { TransactionsChart } from './transactions-chart.js';

const STATUS_COLORS: Record<TransactionStatus, string> = { pending: 'yellow', paid: 'blue', fulfilled: 'teal', cancelled: 'gray', refunded: 'red' };
/** How many transactions the server sends at most (newest first); the totals count them all. */
const SERVER_LIMIT = 200;

/** Orders and payments of one customer, newest first, with totals per currency and a monthly chart. */
export function TransactionsSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const mayAdd = useCan()('transactions', 'create');
  const queryKey = SECTION_QUERY_KEYS.transactions(customerId);
  // Every read is audited: fetch on arrival and after changes only.
  const list = useQuery({ queryKey, queryFn: () => sectionsApi.transactions(customerId), refetchOnWindowFocus: false });
  const [adding, setAdding] = useState(false);

  const items = list.data?.items ?? [];
  const totals = list.data?.totals ?? [];
  const currency = mainCurrency(totals);
  return (
    <SectionCard
      title={t('customers.sections.transactions.title')}
      intro={t('customers.sections.transactions.intro')}
      testId="transactions"
      actions={
        mayAdd && (
          <Button size="compact-sm" variant="light" onClick={() => setAdding(true)} disabled={list.isPending || list.isError} data-testid="add-transaction">
            {t('customers.sections.transactions.add')}
          </Button>
        )
      }
    >
      {totals.length > 0 && <Totals totals={totals} />}
      {currency && <TransactionsChart items={items} currency={currency} />}
      {/* The loading, error and empty states are the other sections'; the transactions themselves are one table, the list's only item. */}
      <SectionList
        query={list}
        items={items.length > 0 ? [items] : []}
        loadingLabel={t('customers.sections.transactions.loading')}
        skeletonHeight={36}
        empty={{ title: t('customers.sections.transactions.emptyTitle'), body: t('customers.sections.transactions.emptyBody'), testId: 'transactions-empty' }}
        overrides={overrides}
        renderItem={(all) => <TransactionsTable key="table" items={all} />}
      />
      {items.length >= SERVER_LIMIT && (
        <Text size="xs" c="dimmed">
          {t('customers.sections.transactions.latestOnly', { count: items.length })}
        </Text>
      )}
      {adding && (
        <TransactionFormModal
          customerId={customerId}
          currency={currency ?? DEFAULT_CURRENCY}
          currenciesInUse={totals.map((total) => total.currency)}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            notify(t('customers.sections.transactions.added'));
            void queryClient.invalidateQueries({ queryKey });
          }}
        />
      )}
    </SectionCard>
  );
}

function Totals({ totals }: { totals: readonly CurrencyTotal[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        {totals.map((total) => (
          <Paper key={total.currency} withBorder radius="sm" px="sm" py={6} bg="var(--mantine-color-default-hover)" data-testid="transaction-total" data-currency={total.currency}>
            <Text size="md" fw={600} data-testid="transaction-total-amount">
              {formatMoney({ amount: total.amountMinor, currency: total.currency }, language)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('customers.sections.transactions.count', { count: total.count })}
            </Text>
          </Paper>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        {t('customers.sections.transactions.totalsNote')}
      </Text>
    </Stack>
  );
}

function TransactionsTable({ items }: { items: readonly Transaction[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <li>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing={6} fz="sm" data-testid="transactions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={32}>
                <VisuallyHidden>{t('customers.sections.transactions.lineItems')}</VisuallyHidden>
              </Table.Th>
              <Table.Th>{t('customers.sections.transactions.occurredAt')}</Table.Th>
              <Table.Th>{t('customers.sections.transactions.externalId')}</Table.Th>
              <Table.Th>{t('customers.sections.transactions.status')}</Table.Th>
              <Table.Th>{t('customers.sections.transactions.channel')}</Table.Th>
              <Table.Th ta="right">{t('customers.sections.transactions.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <TransactionRows key={item.id} item={item} open={open.has(item.id)} onToggle={() => toggle(item.id)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </li>
  );
}

function TransactionRows({ item, open, onToggle }: { item: Transaction; open: boolean; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const formatDate = useFormatDate();
  const money = (amount: number) => formatMoney({ amount, currency: item.currency }, language);
  const detailsId = `transaction-items-${item.id}`;
  const uncounted = UNCOUNTED_STATUSES.has(item.status);
  return (
    <Fragment>
      <Table.Tr data-testid="transaction-row" data-id={item.id}>
        <Table.Td>
          {item.lineItems.length > 0 && (
            <ActionIcon
              variant="subtle"
              size="sm"
              onClick={onToggle}
              aria-expanded={open}
              aria-controls={detailsId}
              aria-label={t(open ? 'customers.sections.transactions.hideItems' : 'customers.sections.transactions.showItems', { count: item.lineItems.length })}
              data-testid="transaction-toggle"
            >
              <span aria-hidden style={{ display: 'inline-block', transform: open ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }}>
                ›
              </span>
            </ActionIcon>
          )}
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={item.occurredAt}>{formatDate(item.occurredAt)}</time>
        </Table.Td>
        <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
          {item.externalId ?? '—'}
        </Table.Td>
        <Table.Td>
          <Badge variant="light" size="sm" color={STATUS_COLORS[item.status] ?? 'gray'}>
            {t(`customers.sections.transactions.statuses.${item.status}`, { defaultValue: item.status })}
          </Badge>
        </Table.Td>
        <Table.Td>{item.channel ?? '—'}</Table.Td>
        <Table.Td ta="right" style={{ whiteSpace: 'nowrap', textDecoration: uncounted ? 'line-through' : undefined }} c={uncounted ? 'dimmed' : undefined} data-testid="transaction-amount">
          {money(item.amountMinor)}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId}>
          <Table.Td />
          <Table.Td colSpan={5}>
            <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }} data-testid="transaction-line-items">
              {item.lineItems.map((line, index) => (
                <Group key={index} component="li" justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="sm" style={{ minWidth: 0, wordBreak: 'break-word' }}>
                    {line.quantity} × {line.name}
                    {line.sku && (
                      <Text span size="xs" c="dimmed" ff="monospace">
                        {' '}
                        {line.sku}
                      </Text>
                    )}
                  </Text>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {line.quantity > 1 && `${money(line.unitAmountMinor)} · `}
                    {money(line.quantity * line.unitAmountMinor)}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}
