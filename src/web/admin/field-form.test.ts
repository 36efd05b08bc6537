import { describe, expect, it } from 'vitest';
import type { RegistryField } from '../customers/customers-api.js';
import { boundsOf, classChange, draftOf, EMPTY_DRAFT, fieldChanges, formInputOf, majorText, moveOption, optionProblem, optionsToSave, readRules, reclassifyEffects } from './field-form.js';

const tier: RegistryField = {
  key: 'loyaltyLevel',
  kind: 'person',
  type: 'select',
  labels: { en: 'Loyalty level', 'zh-CN': '会员等级' },
  sensitivity: 'internal',
  required: false,
  lookup: 'none',
  options: ['bronze', 'silver', 'gold'],
  purposes: ['marketing'],
  builtIn: false,
  archived: false,
};

describe('the custom field forms', () => {
  it('puts a server error under the input it names', () => {
    expect(formInputOf('labels.en')).toBe('labelEn');
    expect(formInputOf('/labels/zh-CN')).toBe('labelZh');
    expect(formInputOf('zh-CN')).toBe('labelZh');
    expect(formInputOf('options')).toBe('options');
    expect(formInputOf('options.2')).toBe('options');
    expect(formInputOf('purposes.0')).toBe('purposes');
    expect(formInputOf('key')).toBe('key');
    expect(formInputOf('optionsX')).toBeNull();
    expect(formInputOf('archived')).toBeNull();
    expect(formInputOf('unique')).toBe('unique');
    expect(formInputOf('validation')).toBe('validation');
    expect(formInputOf('validation.maxLength')).toBe('maxLength');
    expect(formInputOf('/validation/min')).toBe('min');
    expect(formInputOf('validation.other')).toBe('validation');
    expect(formInputOf('retentionDays')).toBe('retentionDays');
    expect(formInputOf(undefined)).toBeNull();
  });

  it('refuses an empty, repeated or too long option before the server does', () => {
    expect(optionProblem(['gold'], '  ')).toBe('empty');
    expect(optionProblem(['gold'], ' gold ')).toBe('duplicate');
    expect(optionProblem(['gold'], 'x'.repeat(81))).toBe('tooLong');
    expect(optionProblem(Array.from({ length: 200 }, (_, i) => `o${i}`), 'one more')).toBe('tooMany');
    expect(optionProblem(['gold'], 'platinum')).toBeNull();
  });

  it('saves an option still typed in the input, unless it is not a valid one', () => {
    expect(optionsToSave({ options: ['gold'], newOption: ' platinum ' })).toEqual(['gold', 'platinum']);
    expect(optionsToSave({ options: ['gold'], newOption: 'gold' })).toEqual(['gold']);
    expect(optionsToSave({ options: ['gold'], newOption: '' })).toEqual(['gold']);
  });

  it('moves an option up or down, and stays put at the ends', () => {
    expect(moveOption(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveOption(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveOption(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveOption(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('sends only what changed', () => {
    const unchanged = { ...draftOf(tier), archived: false };
    expect(fieldChanges(tier, unchanged)).toEqual({});
    expect(fieldChanges(tier, { ...unchanged, labelEn: ' Loyalty tier ' })).toEqual({ labels: { en: 'Loyalty tier', 'zh-CN': '会员等级' } });
    expect(fieldChanges(tier, { ...unchanged, options: ['gold', 'silver', 'bronze'] })).toEqual({ options: ['gold', 'silver', 'bronze'] });
    expect(fieldChanges(tier, { ...unchanged, newOption: 'platinum' })).toEqual({ options: ['bronze', 'silver', 'gold', 'platinum'] });
    expect(fieldChanges(tier, { ...unchanged, purposes: [], required: true, archived: true })).toEqual({ purposes: [], required: true, archived: true });
  });

  it('never sends options for a field that has none', () => {
    const note: RegistryField = { ...tier, key: 'nickname', type: 'text', options: undefined };
    expect(fieldChanges(note, { ...draftOf(note), newOption: 'stray', archived: false })).toEqual({});
  });

  it('reads only the bounds that fit the type', () => {
    const typed = { ...EMPTY_DRAFT, minLength: '2', maxLength: '80', min: '1', max: '9' };
    expect(readRules('text', typed)).toEqual({ unique: false, validation: { minLength: 2, maxLength: 80 }, retentionDays: null, problems: {} });
    expect(readRules('number', typed)).toEqual({ unique: false, validation: { min: 1, max: 9 }, retentionDays: null, problems: {} });
    expect(readRules('date', typed).validation).toBeNull();
    expect(readRules('number', { ...EMPTY_DRAFT, min: '-2.5', max: ' 1,000 ' }).validation).toEqual({ min: -2.5, max: 1000 });
  });

  it('turns money bounds typed in major units into minor units', () => {
    expect(readRules('money', { ...EMPTY_DRAFT, min: '0', max: '1234.5' }).validation).toEqual({ min: 0, max: 123450 });
    expect(readRules('money', { ...EMPTY_DRAFT, min: '-0.05', max: '12.' }).validation).toEqual({ min: -5, max: 1200 });
    expect(readRules('money', { ...EMPTY_DRAFT, max: '1.234' }).problems).toEqual({ max: 'decimals' });
    expect(majorText(123450)).toBe('1234.50');
    expect(majorText(100)).toBe('1');
    expect(majorText(-5)).toBe('-0.05');
    for (const minor of [0, 1, 99, 100, 101, -1999, 123456789]) {
      expect(readRules('money', { ...EMPTY_DRAFT, max: majorText(minor) }).validation).toEqual({ max: minor });
    }
  });

  it('names a bound or retention period typed wrong, and a minimum above its maximum', () => {
    expect(readRules('text', { ...EMPTY_DRAFT, minLength: '1.5', maxLength: '10001' }).problems).toEqual({ minLength: 'length', maxLength: 'length' });
    expect(readRules('text', { ...EMPTY_DRAFT, maxLength: '0' }).problems).toEqual({ maxLength: 'length' });
    expect(readRules('email', { ...EMPTY_DRAFT, minLength: '10', maxLength: '5' }).problems).toEqual({ maxLength: 'minAboveMax' });
    expect(readRules('money', { ...EMPTY_DRAFT, min: '10', max: '9.99' }).problems).toEqual({ max: 'minAboveMax' });
    expect(readRules('number', { ...EMPTY_DRAFT, min: 'ten' }).problems).toEqual({ min: 'number' });
    expect(readRules('text', { ...EMPTY_DRAFT, retentionDays: '0' }).problems).toEqual({ retentionDays: 'retention' });
    expect(readRules('text', { ...EMPTY_DRAFT, retentionDays: '36501' }).problems).toEqual({ retentionDays: 'retention' });
    expect(readRules('text', { ...EMPTY_DRAFT, retentionDays: '365' })).toMatchObject({ retentionDays: 365, problems: {} });
  });

  it('asks for unique values only on exact-lookup types', () => {
    expect(readRules('text', { ...EMPTY_DRAFT, unique: true }).unique).toBe(true);
    expect(readRules('national_id', { ...EMPTY_DRAFT, unique: true }).unique).toBe(true);
    expect(readRules('long_text', { ...EMPTY_DRAFT, unique: true }).unique).toBe(false);
  });

  it('sends changed rules, and null for rules emptied', () => {
    const memberNo: RegistryField = { ...tier, key: 'memberNo', type: 'text', options: undefined, lookup: 'exact', unique: true, validation: { maxLength: 12 }, retentionDays: 365 };
    const unchanged = { ...draftOf(memberNo), archived: false };
    expect(unchanged).toMatchObject({ unique: true, minLength: '', maxLength: '12', retentionDays: '365' });
    expect(fieldChanges(memberNo, unchanged)).toEqual({});
    expect(fieldChanges(memberNo, { ...unchanged, unique: false, minLength: '4' })).toEqual({ unique: false, validation: { minLength: 4, maxLength: 12 } });
    expect(fieldChanges(memberNo, { ...unchanged, maxLength: '', retentionDays: '' })).toEqual({ validation: null, retentionDays: null });
    expect(fieldChanges({ ...tier, key: 'nickname', type: 'text', options: undefined }, { ...draftOf(tier), options: [], retentionDays: '30', maxLength: '40', archived: false })).toEqual({
      validation: { maxLength: 40 },
      retentionDays: 30,
    });
  });

  it('shows a money field’s saved bounds in major units, unchanged when saved again', () => {
    const budget: RegistryField = { ...tier, key: 'budget', type: 'money', options: undefined, validation: { min: 0, max: 1_000_050 } };
    expect(draftOf(budget)).toMatchObject({ min: '0', max: '10000.50' });
    expect(fieldChanges(budget, { ...draftOf(budget), archived: false })).toEqual({});
    expect(boundsOf(budget)).toEqual({ unit: 'money', min: 0, max: 10000.5 });
    expect(boundsOf({ type: 'text', validation: { maxLength: 80 } })).toEqual({ unit: 'characters', min: undefined, max: 80 });
    expect(boundsOf({ type: 'number', validation: { min: 3 } })).toEqual({ unit: 'number', min: 3, max: undefined });
    expect(boundsOf({ type: 'text', validation: undefined })).toBeNull();
  });
});

describe('changing a field’s class', () => {
  it('knows whether the class goes up or down', () => {
    expect(classChange('internal', 'personal')).toBe('raise');
    expect(classChange('sensitive', 'public')).toBe('lower');
    expect(classChange('personal', 'personal')).toBeNull();
  });

  it('says what happens to the stored values', () => {
    expect(reclassifyEffects('internal', 'personal')).toEqual(['encrypt', 'notFilterable', 'masked']);
    expect(reclassifyEffects('public', 'sensitive')).toEqual(['encrypt', 'notFilterable', 'hidden']);
    expect(reclassifyEffects('personal', 'sensitive')).toEqual(['hidden']);
    expect(reclassifyEffects('sensitive', 'personal')).toEqual(['masked']);
    expect(reclassifyEffects('personal', 'internal')).toEqual(['decrypt', 'searchable', 'shownInClear']);
    expect(reclassifyEffects('internal', 'public')).toEqual(['staysInClear']);
    expect(reclassifyEffects('internal', 'internal')).toEqual([]);
  });
});
