import type { RegistryField } from './customers-api.js';
import { fromMinor, isMoney, toMinor } from './money.js';
import { isMaskedField } from './use-field-registry.js';

/**
 * What an input holds while the user types, and the conversion to and from the values the API
 * takes: text for most types, a list for multi-select, amount and currency for money.
 */
export interface MoneyInput {
  amount: string;
  currency: string;
}
export type FormValue = string | string[] | MoneyInput;
export type FormValues = Record<string, FormValue>;

/** Problems found before anything is sent; the server checks everything again. */
export type ClientProblem = 'required' | 'invalid_number' | 'invalid_money' | 'invalid_datetime';
export type FieldProblems = Record<string, ClientProblem>;

type Converted = { empty: true } | { empty: false; value: unknown } | { problem: ClientProblem };

/** Types whose value is a list of strings: chosen options, or free labels. */
const LIST_TYPES: ReadonlySet<string> = new Set(['multi_select', 'tags']);

export function emptyValue(field: RegistryField): FormValue {
  if (LIST_TYPES.has(field.type)) return [];
  if (field.type === 'money') return { amount: '', currency: '' };
  return '';
}

export function emptyValues(fields: readonly RegistryField[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.key, emptyValue(field)]));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → the `datetime-local` input's wall-clock text in this browser's zone. */
function toLocalDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A stored value as the edit form starts with it. Masked values are write-only: their input
 * starts empty (sending the mask back would be refused, and would not be the value anyway).
 */
export function formValueOf(field: RegistryField, value: unknown): FormValue {
  if (value === undefined || value === null || isMaskedField(field)) return emptyValue(field);
  if (LIST_TYPES.has(field.type)) return Array.isArray(value) ? value.map(String) : [];
  switch (field.type) {
    case 'money':
      return isMoney(value) ? { amount: String(fromMinor(value)), currency: value.currency } : emptyValue(field);
    case 'boolean':
      return value === true ? 'true' : value === false ? 'false' : '';
    case 'datetime':
      return typeof value === 'string' ? toLocalDateTime(value) : '';
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

export function formValuesOf(fields: readonly RegistryField[], record: Record<string, unknown>): FormValues {
  return Object.fromEntries(fields.map((field) => [field.key, formValueOf(field, record[field.key])]));
}

function convert(field: RegistryField, input: FormValue): Converted {
  if (LIST_TYPES.has(field.type)) {
    const list = Array.isArray(input) ? input : [];
    return list.length ? { empty: false, value: list } : { empty: true };
  }
  if (field.type === 'money') {
    const money = typeof input === 'object' && !Array.isArray(input) ? input : { amount: '', currency: '' };
    if (!money.amount.trim() && !money.currency.trim()) return { empty: true };
    const currency = money.currency.trim().toUpperCase();
    const amount = /^[A-Z]{3}$/.test(currency) ? toMinor(money.amount, currency) : null;
    return amount === null ? { problem: 'invalid_money' } : { empty: false, value: { amount, currency } };
  }
  const text = typeof input === 'string' ? input.trim() : '';
  if (!text) return { empty: true };
  switch (field.type) {
    case 'boolean':
      return { empty: false, value: text === 'true' };
    case 'number': {
      const number = Number(text.replace(/,/g, ''));
      return Number.isFinite(number) ? { empty: false, value: number } : { problem: 'invalid_number' };
    }
    case 'datetime': {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? { problem: 'invalid_datetime' } : { empty: false, value: date.toISOString() };
    }
    default:
      return { empty: false, value: text };
  }
}

/** The body of `POST /api/customers`: every filled-in field; required ones checked here first. */
export function createInput(fields: readonly RegistryField[], values: FormValues): { input: Record<string, unknown>; problems: FieldProblems } {
  const input: Record<string, unknown> = {};
  const problems: FieldProblems = {};
  for (const field of fields) {
    const converted = convert(field, values[field.key] ?? emptyValue(field));
    if ('problem' in converted) problems[field.key] = converted.problem;
    else if (!converted.empty) input[field.key] = converted.value;
    else if (field.required) problems[field.key] = 'required';
  }
  return { input, problems };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The body of `PATCH /api/customers/:id`: only what changed, `null` for a cleared value. An
 * empty masked input means "keep": its current value was never in the form.
 */
export function changedInput(fields: readonly RegistryField[], initial: FormValues, values: FormValues): { changes: Record<string, unknown>; problems: FieldProblems } {
  const changes: Record<string, unknown> = {};
  const problems: FieldProblems = {};
  for (const field of fields) {
    const before = convert(field, initial[field.key] ?? emptyValue(field));
    const after = convert(field, values[field.key] ?? emptyValue(field));
    if ('problem' in after) {
      problems[field.key] = after.problem;
      continue;
    }
    if (after.empty) {
      if (isMaskedField(field)) continue;
      if ('empty' in before && !before.empty) {
        if (field.required) problems[field.key] = 'required';
        else changes[field.key] = null;
      }
      continue;
    }
    if (!('empty' in before) || before.empty || !same(before.value, after.value)) changes[field.key] = after.value;
  }
  return { changes, problems };
}
