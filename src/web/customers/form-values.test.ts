import { describe, expect, it } from 'vitest';
import type { RegistryField } from './customers-api.js';
import { changedInput, createInput, emptyValues, formValuesOf } from './form-values.js';
import { toMinor } from './money.js';

const field = (key: string, type: RegistryField['type'], extra: Partial<RegistryField> = {}): RegistryField => ({
  key,
  kind: 'person',
  type,
  labels: { en: key, 'zh-CN': key },
  sensitivity: 'personal',
  required: false,
  lookup: 'none',
  purposes: [],
  builtIn: true,
  ...extra,
});

const fields = [
  field('name', 'text', { required: true }),
  field('nationalId', 'national_id', { sensitivity: 'sensitive' }),
  field('doNotContact', 'boolean', { sensitivity: 'internal' }),
  field('preferredChannels', 'multi_select', { options: ['email', 'sms'] }),
  field('tags', 'tags'),
  field('score', 'number'),
  field('budget', 'money'),
  field('source', 'text'),
];

describe('the customer form', () => {
  it('sends only what was filled in, converted to the API’s types', () => {
    const values = { ...emptyValues(fields), name: ' 张伟 ', doNotContact: 'false', preferredChannels: ['sms'], score: '4.5', budget: { amount: '12.5', currency: 'CNY' } };
    expect(createInput(fields, values)).toEqual({
      input: { name: '张伟', doNotContact: false, preferredChannels: ['sms'], score: 4.5, budget: { amount: 1250, currency: 'CNY' } },
      problems: {},
    });
  });

  it('says which fields are missing or malformed before sending', () => {
    const values = { ...emptyValues(fields), score: 'many', budget: { amount: '1.234', currency: 'CNY' } };
    expect(createInput(fields, values).problems).toEqual({ name: 'required', score: 'invalid_number', budget: 'invalid_money' });
  });

  it('edits: sends changes and nulls for cleared values, never the masked ID number', () => {
    const record = { name: '张伟', nationalId: '110***********002X', source: 'Fair', tags: ['VIP'], doNotContact: true };
    const initial = formValuesOf(fields, record);
    expect(initial.nationalId).toBe('');
    const edited = { ...initial, source: '', tags: ['VIP', 'Beijing'] };
    expect(changedInput(fields, initial, edited)).toEqual({ changes: { source: null, tags: ['VIP', 'Beijing'] }, problems: {} });
    expect(changedInput(fields, initial, { ...initial, nationalId: '11010519491231002X' }).changes).toEqual({ nationalId: '11010519491231002X' });
  });

  it('edits: a required value cannot be cleared', () => {
    const initial = formValuesOf(fields, { name: '张伟' });
    expect(changedInput(fields, initial, { ...initial, name: '  ' }).problems).toEqual({ name: 'required' });
  });

  it('turns amounts into minor units by the currency’s decimals', () => {
    expect(toMinor('12.5', 'CNY')).toBe(1250);
    expect(toMinor('1,200', 'JPY')).toBe(1200);
    expect(toMinor('1.5', 'JPY')).toBeNull();
    expect(toMinor('abc', 'USD')).toBeNull();
  });
});
