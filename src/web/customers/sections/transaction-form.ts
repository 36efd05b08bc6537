import { toMinor } from '../money.js';
import type { LineItem, TransactionInput, TransactionStatus } from '../sections-api.js';

export interface LineItemForm {
  /** Keys the row for React while rows are added and removed. */
  key: number;
  name: string;
  sku: string;
  quantity: string;
  unitPrice: string;
}

/** What the transaction form holds while the user types: text, as typed. */
export interface TransactionFormValues {
  /** `datetime-local` text, the viewer's wall clock. */
  occurredAt: string;
  amount: string;
  currency: string;
  status: TransactionStatus;
  channel: string;
  externalId: string;
  lineItems: LineItemForm[];
}

/** Problems found before anything is sent, by input (`lineItems.0.name` for a line item's, as the server names them). */
export type TransactionProblem = 'required' | 'invalid_amount' | 'invalid_currency' | 'invalid_datetime' | 'invalid_quantity';
export type TransactionProblems = Record<string, TransactionProblem>;

const pad = (n: number) => String(n).padStart(2, '0');

/** A `datetime-local` value for this instant in the viewer's zone, to the minute. */
export function localDateTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const emptyTransactionForm = (now: Date, currency: string): TransactionFormValues => ({
  occurredAt: localDateTime(now),
  amount: '',
  currency,
  status: 'paid',
  channel: '',
  externalId: '',
  lineItems: [],
});

export const emptyLineItem = (key: number): LineItemForm => ({ key, name: '', sku: '', quantity: '1', unitPrice: '' });

/** Line items as the API takes them, or the problems that stop that; blank rows are ignored. */
function lineItemsOf(rows: readonly LineItemForm[], currency: string, problems: TransactionProblems): LineItem[] {
  const items: LineItem[] = [];
  rows.forEach((row, index) => {
    if (!row.name.trim() && !row.sku.trim() && !row.unitPrice.trim()) return;
    const at = `lineItems.${index}`;
    const quantity = Number(row.quantity.trim());
    const unitAmountMinor = toMinor(row.unitPrice, currency);
    if (!row.name.trim()) problems[`${at}.name`] = 'required';
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) problems[`${at}.quantity`] = 'invalid_quantity';
    if (unitAmountMinor === null) problems[`${at}.unitAmountMinor`] = row.unitPrice.trim() ? 'invalid_amount' : 'required';
    if (unitAmountMinor !== null) items.push({ name: row.name.trim(), quantity, unitAmountMinor, ...(row.sku.trim() ? { sku: row.sku.trim() } : {}) });
  });
  return items;
}

/** What the line items add up to, in minor units; null while one of them cannot be read. */
export function lineItemsTotal(rows: readonly LineItemForm[], currency: string): number | null {
  const problems: TransactionProblems = {};
  const items = lineItemsOf(rows, currency, problems);
  if (Object.keys(problems).length > 0 || items.length === 0) return null;
  return items.reduce((sum, item) => sum + item.quantity * item.unitAmountMinor, 0);
}

/**
 * The body of `POST …/transactions`, or what is wrong with the form. An empty amount takes the
 * line items' total, so an order typed item by item need not be added up by hand.
 */
export function transactionInput(values: TransactionFormValues): { input: TransactionInput | null; problems: TransactionProblems } {
  const problems: TransactionProblems = {};
  const currency = values.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) problems.currency = 'invalid_currency';
  const when = values.occurredAt.trim() ? new Date(values.occurredAt) : null;
  if (!when) problems.occurredAt = 'required';
  else if (Number.isNaN(when.getTime())) problems.occurredAt = 'invalid_datetime';
  const lineItems = lineItemsOf(values.lineItems, currency, problems);
  let amountMinor: number | null = null;
  if (values.amount.trim()) {
    amountMinor = toMinor(values.amount, currency);
    if (amountMinor === null) problems.amountMinor = 'invalid_amount';
  } else if (lineItems.length > 0) {
    amountMinor = lineItems.reduce((sum, item) => sum + item.quantity * item.unitAmountMinor, 0);
  } else {
    problems.amountMinor = 'required';
  }
  if (Object.keys(problems).length > 0 || amountMinor === null || !when) return { input: null, problems };
  const input: TransactionInput = { occurredAt: when.toISOString(), amountMinor, currency, status: values.status };
  if (values.channel.trim()) input.channel = values.channel.trim();
  if (values.externalId.trim()) input.externalId = values.externalId.trim();
  if (lineItems.length > 0) input.lineItems = lineItems;
  return { input, problems };
}
