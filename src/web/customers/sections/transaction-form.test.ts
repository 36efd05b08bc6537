import { describe, expect, it } from 'vitest';
import type { Transaction } from '../sections-api.js';
import { emptyLineItem, emptyTransactionForm, lineItemsTotal, localDateTime, transactionInput, type TransactionFormValues } from './transaction-form.js';
import { mainCurrency, monthlyAmounts } from './transaction-summary.js';

const form = (over: Partial<TransactionFormValues>): TransactionFormValues => ({ ...emptyTransactionForm(new Date(2026, 10, 29, 14, 30), 'CNY'), ...over });

describe('the transaction form', () => {
  it('sends the amount in minor units and the time as an ISO instant', () => {
    const { input, problems } = transactionInput(form({ amount: '128.50', externalId: ' SO-1 ', channel: 'Tmall' }));
    expect(problems).toEqual({});
    expect(input).toEqual({ occurredAt: new Date(2026, 10, 29, 14, 30).toISOString(), amountMinor: 12850, currency: 'CNY', status: 'paid', externalId: 'SO-1', channel: 'Tmall' });
  });

  it('takes the line items’ total when the amount is left empty', () => {
    const lineItems = [
      { ...emptyLineItem(1), name: 'Tea', quantity: '2', unitPrice: '30' },
      { ...emptyLineItem(2), name: 'Cup', sku: 'C-1', unitPrice: '12.5' },
      emptyLineItem(3),
    ];
    expect(lineItemsTotal(lineItems, 'CNY')).toBe(7250);
    const { input } = transactionInput(form({ lineItems }));
    expect(input?.amountMinor).toBe(7250);
    expect(input?.lineItems).toEqual([
      { name: 'Tea', quantity: 2, unitAmountMinor: 3000 },
      { name: 'Cup', sku: 'C-1', quantity: 1, unitAmountMinor: 1250 },
    ]);
  });

  it('names each problem by the input the server would name', () => {
    const { input, problems } = transactionInput(
      form({ occurredAt: '', amount: '1.005', lineItems: [{ ...emptyLineItem(1), unitPrice: '3', quantity: '0' }] }),
    );
    expect(input).toBeNull();
    expect(problems).toEqual({ occurredAt: 'required', amountMinor: 'invalid_amount', 'lineItems.0.name': 'required', 'lineItems.0.quantity': 'invalid_quantity' });
    expect(transactionInput(form({})).problems).toEqual({ amountMinor: 'required' });
    expect(transactionInput(form({ amount: '100', currency: '¥' })).problems).toEqual({ currency: 'invalid_currency' });
  });

  it('knows currencies without minor units', () => {
    expect(transactionInput(form({ amount: '1500', currency: 'JPY' })).input?.amountMinor).toBe(1500);
    expect(transactionInput(form({ amount: '1500.5', currency: 'JPY' })).problems).toEqual({ amountMinor: 'invalid_amount' });
  });

  it('starts at the current minute in the viewer’s zone', () => {
    expect(localDateTime(new Date(2026, 0, 5, 9, 7, 59))).toBe('2026-01-05T09:07');
  });
});

const transaction = (occurredAt: Date, amountMinor: number, over: Partial<Transaction> = {}): Transaction => ({
  id: String(occurredAt.getTime()),
  externalId: null,
  occurredAt: occurredAt.toISOString(),
  amountMinor,
  currency: 'CNY',
  channel: null,
  status: 'paid',
  lineItems: [],
  ...over,
});

describe('the transactions summary', () => {
  it('charts the currency most transactions are in', () => {
    expect(mainCurrency([{ currency: 'CNY', amountMinor: 100, count: 3 }, { currency: 'USD', amountMinor: 99_999, count: 1 }])).toBe('CNY');
    expect(mainCurrency([{ currency: 'EUR', amountMinor: 1, count: 2 }, { currency: 'USD', amountMinor: 1, count: 2 }])).toBe('EUR');
    expect(mainCurrency([])).toBeNull();
  });

  it('adds up each month like the totals do, empty months included', () => {
    const items = [
      transaction(new Date(2026, 10, 20), 5000),
      transaction(new Date(2026, 10, 2), 2550),
      transaction(new Date(2026, 9, 15), 9900, { status: 'refunded' }),
      transaction(new Date(2026, 8, 15), 1000),
      transaction(new Date(2026, 8, 16), 777, { currency: 'USD' }),
    ];
    expect(monthlyAmounts(items, 'CNY')).toEqual([
      { month: '2026-09', amount: 10 },
      { month: '2026-10', amount: 0 },
      { month: '2026-11', amount: 75.5 },
    ]);
  });

  it('shows the last year at most', () => {
    const items = [transaction(new Date(2024, 0, 10), 100), transaction(new Date(2026, 10, 10), 100)];
    const months = monthlyAmounts(items, 'CNY');
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ month: '2025-12', amount: 0 });
    expect(months.at(-1)).toEqual({ month: '2026-11', amount: 1 });
  });
});
