import { Button, CloseButton, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../money.js';
import { sectionsApi, TRANSACTION_STATUSES, type TransactionStatus } from '../sections-api.js';
import { useCurrencyOptions } from './currencies.js';
import { FormModal } from './form-modal.js';
import {
  emptyLineItem,
  emptyTransactionForm,
  lineItemsTotal,
  transactionInput,
  type LineItemForm,
  type TransactionFormValues,
  type TransactionProblems,
} from './transaction-form.js';
import { useInputErrors } from './use-input-errors.js';

/** The server's bounds (`TransactionBody`). */
const MAX_EXTERNAL_ID = 100;
const MAX_CHANNEL = 50;
const MAX_ITEM_NAME = 200;
const MAX_SKU = 100;
const MAX_LINE_ITEMS = 200;

const ITEM_PARTS = ['name', 'sku', 'quantity', 'unitAmountMinor'] as const;
const inputsOf = (rows: readonly LineItemForm[]) => [
  'occurredAt',
  'amountMinor',
  'currency',
  'status',
  'channel',
  'externalId',
  'lineItems',
  ...rows.flatMap((_, index) => ITEM_PARTS.map((part) => `lineItems.${index}.${part}`)),
];

interface TransactionFormModalProps {
  customerId: string;
  /** Preselected: the currency most of the customer's transactions are in. */
  currency: string;
  /** Codes already in use, offered even if this browser does not list them. */
  currenciesInUse: readonly string[];
  onClose: () => void;
  onSaved: () => void;
}

/** Records an order or payment by hand: when, how much, its state, and optionally what was in it. */
export function TransactionFormModal({ customerId, currency, currenciesInUse, onClose, onSaved }: TransactionFormModalProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const currencies = useCurrencyOptions(currenciesInUse);
  const nextKey = useRef(1);
  const [values, setValues] = useState<TransactionFormValues>(() => emptyTransactionForm(new Date(), currency));
  const [problems, setProblems] = useState<TransactionProblems>({});

  const add = useMutation({
    mutationFn: (input: NonNullable<ReturnType<typeof transactionInput>['input']>) => sectionsApi.addTransaction(customerId, input),
    onSuccess: onSaved,
  });
  const { inputError, formError } = useInputErrors(add.error, inputsOf(values.lineItems));
  const errorOf = (input: string) => {
    const problem = problems[input];
    return problem ? t(`customers.sections.transactions.problems.${problem}`) : inputError(input);
  };

  const edited = () => {
    setProblems({});
    if (add.error) add.reset();
  };
  const set = <K extends keyof TransactionFormValues>(key: K, value: TransactionFormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    edited();
  };
  const setItem = (index: number, change: Partial<LineItemForm>) =>
    set(
      'lineItems',
      values.lineItems.map((row, at) => (at === index ? { ...row, ...change } : row)),
    );

  const submit = () => {
    const { input, problems: found } = transactionInput(values);
    if (!input) return setProblems(found);
    add.mutate(input);
  };

  const itemsTotal = lineItemsTotal(values.lineItems, values.currency);
  const text = (key: 'occurredAt' | 'amount' | 'channel' | 'externalId') => ({
    value: values[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(key, event.currentTarget.value),
    autoComplete: 'off',
  });

  return (
    <FormModal
      opened
      title={t('customers.sections.transactions.addTitle')}
      submitLabel={t('customers.sections.transactions.add')}
      loading={add.isPending}
      error={formError}
      testId="transaction-form"
      onSubmit={submit}
      onClose={onClose}
    >
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput type="datetime-local" label={t('customers.sections.transactions.occurredAt')} error={errorOf('occurredAt')} {...text('occurredAt')} />
        <NativeSelect
          label={t('customers.sections.transactions.status')}
          value={values.status}
          onChange={(event) => set('status', event.currentTarget.value as TransactionStatus)}
          data={TRANSACTION_STATUSES.map((status) => ({ value: status, label: t(`customers.sections.transactions.statuses.${status}`) }))}
          error={errorOf('status')}
        />
        <TextInput
          label={t('customers.sections.transactions.amount')}
          description={
            itemsTotal !== null
              ? t('customers.sections.transactions.itemsTotal', { amount: formatMoney({ amount: itemsTotal, currency: values.currency }, language) })
              : t('customers.sections.transactions.amountHint')
          }
          inputMode="decimal"
          error={errorOf('amountMinor')}
          {...text('amount')}
        />
        <NativeSelect label={t('customers.sections.transactions.currency')} value={values.currency} onChange={(event) => set('currency', event.currentTarget.value)} data={currencies} error={errorOf('currency')} />
        <TextInput
          label={t('customers.sections.transactions.channel')}
          placeholder={t('customers.sections.transactions.channelPlaceholder')}
          maxLength={MAX_CHANNEL}
          error={errorOf('channel')}
          {...text('channel')}
        />
        <TextInput
          label={t('customers.sections.transactions.externalId')}
          placeholder={t('customers.sections.transactions.externalIdPlaceholder')}
          maxLength={MAX_EXTERNAL_ID}
          error={errorOf('externalId')}
          {...text('externalId')}
        />
      </SimpleGrid>
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t('customers.sections.transactions.lineItems')}
        </Text>
        {values.lineItems.map((row, index) => (
          <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="line-item-form-row">
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" style={{ flex: 1 }}>
              <TextInput
                label={t('customers.sections.transactions.itemName')}
                value={row.name}
                onChange={(event) => setItem(index, { name: event.currentTarget.value })}
                maxLength={MAX_ITEM_NAME}
                error={errorOf(`lineItems.${index}.name`)}
                autoComplete="off"
              />
              <TextInput
                label={t('customers.sections.transactions.sku')}
                value={row.sku}
                onChange={(event) => setItem(index, { sku: event.currentTarget.value })}
                maxLength={MAX_SKU}
                error={errorOf(`lineItems.${index}.sku`)}
                autoComplete="off"
              />
              <TextInput
                label={t('customers.sections.transactions.quantity')}
                inputMode="numeric"
                value={row.quantity}
                onChange={(event) => setItem(index, { quantity: event.currentTarget.value })}
                error={errorOf(`lineItems.${index}.quantity`)}
                autoComplete="off"
              />
              <TextInput
                label={t('customers.sections.transactions.unitPrice')}
                inputMode="decimal"
                value={row.unitPrice}
                onChange={(event) => setItem(index, { unitPrice: event.currentTarget.value })}
                error={errorOf(`lineItems.${index}.unitAmountMinor`)}
                autoComplete="off"
              />
            </SimpleGrid>
            <CloseButton
              mt={26}
              aria-label={t('customers.sections.transactions.removeItem', { number: index + 1 })}
              onClick={() =>
                set(
                  'lineItems',
                  values.lineItems.filter((_, at) => at !== index),
                )
              }
            />
          </Group>
        ))}
        {errorOf('lineItems') && (
          <Text size="xs" c="red">
            {errorOf('lineItems')}
          </Text>
        )}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            disabled={values.lineItems.length >= MAX_LINE_ITEMS}
            onClick={() => set('lineItems', [...values.lineItems, emptyLineItem(nextKey.current++)])}
            data-testid="add-line-item"
          >
            {t('customers.sections.transactions.addItem')}
          </Button>
        </Group>
      </Stack>
    </FormModal>
  );
}
