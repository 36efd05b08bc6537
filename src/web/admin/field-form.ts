import { SENSITIVITY_CLASSES, type FieldType, type FieldValidation, type Sensitivity } from '../../shared/fields.js';
import type { RegistryField } from '../customers/customers-api.js';
import type { FieldChanges } from './admin-api.js';

/** The server's bounds (customers/schema.ts), checked here too so the input can say so at once. */
export const FIELD_LIMITS = { label: 80, option: 80, options: 200, purpose: 60, purposes: 20, length: 10_000, retentionDays: 36_500, reason: 500 } as const;

/** The server's own minimum for a stated reason (`ReclassifyBody.reason`). */
export const MIN_REASON_LENGTH = 5;

/** The types whose values the server can look up exactly (a blind index on the normalized value). */
export const EXACT_LOOKUP_TYPES: ReadonlySet<FieldType> = new Set(['text', 'email', 'phone', 'national_id', 'bank_card']);
export const CHOICE_TYPES: ReadonlySet<FieldType> = new Set(['select', 'multi_select']);
/** The types a minimum and maximum length apply to (the server's `TEXT_BOUNDED`). */
export const LENGTH_BOUNDED_TYPES: ReadonlySet<FieldType> = new Set(['text', 'long_text', 'url', 'email']);
/** The types a minimum and maximum value apply to; money in minor units. */
export const VALUE_BOUNDED_TYPES: ReadonlySet<FieldType> = new Set(['number', 'money']);

/**
 * Money bounds travel as integer minor units and the server compares them with a value's
 * amount whatever its currency; the form shows them with two decimals (yuan and fen, dollars
 * and cents), the way most currencies count.
 */
const MONEY_MINOR_PER_MAJOR = 100;

/** The inputs of the add and edit forms a server error can point at. */
export type FormInput =
  | 'kind'
  | 'key'
  | 'type'
  | 'labelEn'
  | 'labelZh'
  | 'sensitivity'
  | 'lookup'
  | 'options'
  | 'purposes'
  | 'required'
  | 'unique'
  | 'validation'
  | 'minLength'
  | 'maxLength'
  | 'min'
  | 'max'
  | 'retentionDays';

const NAMED_INPUTS: readonly FormInput[] = ['kind', 'key', 'type', 'sensitivity', 'lookup', 'required', 'unique', 'validation', 'retentionDays'];
const BOUND_INPUTS: readonly FormInput[] = ['minLength', 'maxLength', 'min', 'max'];

/** Which input a server error names (`labels.en`, `/labels/zh-CN`, `options.3`, `validation.max`, …). */
export function formInputOf(field: string | undefined): FormInput | null {
  if (!field) return null;
  const path = field.replace(/^\//, '').replace(/\//g, '.');
  // A label missing from `labels` is named by itself (`zh-CN`).
  if (path === 'labels' || path === 'labels.en' || path === 'en') return 'labelEn';
  if (path === 'labels.zh-CN' || path === 'zh-CN') return 'labelZh';
  if (path === 'options' || path.startsWith('options.')) return 'options';
  if (path === 'purposes' || path.startsWith('purposes.')) return 'purposes';
  if (path.startsWith('validation.')) return BOUND_INPUTS.find((name) => `validation.${name}` === path) ?? 'validation';
  return NAMED_INPUTS.find((name) => name === path) ?? null;
}

/**
 * What the add and edit forms have in common. `newOption` is typed but not added yet; the
 * bounds and retention period are kept as typed (empty: no rule) until `readRules` reads them.
 */
export interface FieldDraft {
  labelEn: string;
  labelZh: string;
  required: boolean;
  options: string[];
  newOption: string;
  purposes: string[];
  unique: boolean;
  minLength: string;
  maxLength: string;
  min: string;
  max: string;
  retentionDays: string;
}

export const EMPTY_DRAFT: FieldDraft = {
  labelEn: '',
  labelZh: '',
  required: false,
  options: [],
  newOption: '',
  purposes: [],
  unique: false,
  minLength: '',
  maxLength: '',
  min: '',
  max: '',
  retentionDays: '',
};

export type OptionProblem = 'empty' | 'duplicate' | 'tooLong' | 'tooMany';

/** Why `typed` cannot join the options, or null when it can. */
export function optionProblem(options: readonly string[], typed: string): OptionProblem | null {
  const value = typed.trim();
  if (!value) return 'empty';
  if (value.length > FIELD_LIMITS.option) return 'tooLong';
  if (options.includes(value)) return 'duplicate';
  if (options.length >= FIELD_LIMITS.options) return 'tooMany';
  return null;
}

/** The options to save: an option still in the "new option" input counts, as the user would expect. */
export function optionsToSave(draft: Pick<FieldDraft, 'options' | 'newOption'>): string[] {
  return optionProblem(draft.options, draft.newOption) === null ? [...draft.options, draft.newOption.trim()] : [...draft.options];
}

export function moveOption(options: readonly string[], index: number, by: -1 | 1): string[] {
  const target = index + by;
  if (index < 0 || index >= options.length || target < 0 || target >= options.length) return [...options];
  const next = [...options];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** The rule inputs that can be typed wrong. */
export type RuleInput = 'minLength' | 'maxLength' | 'min' | 'max' | 'retentionDays';
/** `length` and `retention`: not a whole number in range; `decimals`: money with more than two. */
export type RuleProblem = 'length' | 'number' | 'decimals' | 'minAboveMax' | 'retention';

/** A field's rules as the API takes them: no bounds and no retention period are null. */
export interface FieldRules {
  unique: boolean;
  validation: FieldValidation | null;
  retentionDays: number | null;
  problems: Partial<Record<RuleInput, RuleProblem>>;
}

type Parsed = { value: number | undefined } | { problem: RuleProblem };

function wholeNumber(text: string, min: number, max: number, problem: RuleProblem): Parsed {
  const typed = text.trim();
  if (!typed) return { value: undefined };
  const value = /^\d+$/.test(typed) ? Number(typed) : NaN;
  return value >= min && value <= max ? { value } : { problem };
}

/** A bound on a number or money field, in what the server compares (minor units for money). */
function valueBound(text: string, money: boolean): Parsed {
  const typed = text.trim().replace(/,/g, '');
  if (!typed) return { value: undefined };
  // `12.` is what a number input holds while the decimals are still being typed.
  if (!/^-?\d+(\.\d*)?$/.test(typed)) return { problem: 'number' };
  if (!money) return Number.isFinite(Number(typed)) ? { value: Number(typed) } : { problem: 'number' };
  const [whole = '', decimals = ''] = typed.replace(/^-/, '').split('.');
  if (decimals.length > 2) return { problem: 'decimals' };
  const minor = (typed.startsWith('-') ? -1 : 1) * (Number(whole) * MONEY_MINOR_PER_MAJOR + Number(decimals.padEnd(2, '0')));
  return Number.isSafeInteger(minor) ? { value: minor } : { problem: 'number' };
}

/**
 * Reads the rule inputs for a field of `type`: only the bounds that fit the type count, and
 * "unique" only for exact-lookup types. A rule typed wrong is named in `problems` and left
 * out, so a form must not save while there are problems.
 */
export function readRules(type: FieldType, draft: Pick<FieldDraft, 'unique' | RuleInput>): FieldRules {
  const problems: FieldRules['problems'] = {};
  const validation: FieldValidation = {};
  const take = (input: RuleInput, parsed: Parsed, into?: keyof FieldValidation) => {
    if ('problem' in parsed) problems[input] = parsed.problem;
    else if (parsed.value !== undefined && into) validation[into] = parsed.value;
    return 'value' in parsed ? parsed.value : undefined;
  };
  if (LENGTH_BOUNDED_TYPES.has(type)) {
    const low = take('minLength', wholeNumber(draft.minLength, 0, FIELD_LIMITS.length, 'length'), 'minLength');
    const high = take('maxLength', wholeNumber(draft.maxLength, 1, FIELD_LIMITS.length, 'length'), 'maxLength');
    if (low !== undefined && high !== undefined && low > high) problems.maxLength = 'minAboveMax';
  }
  if (VALUE_BOUNDED_TYPES.has(type)) {
    const low = take('min', valueBound(draft.min, type === 'money'), 'min');
    const high = take('max', valueBound(draft.max, type === 'money'), 'max');
    if (low !== undefined && high !== undefined && low > high) problems.max = 'minAboveMax';
  }
  const retentionDays = take('retentionDays', wholeNumber(draft.retentionDays, 1, FIELD_LIMITS.retentionDays, 'retention')) ?? null;
  return {
    unique: draft.unique && EXACT_LOOKUP_TYPES.has(type),
    validation: Object.keys(validation).length > 0 ? validation : null,
    retentionDays,
    problems,
  };
}

/** Integer minor units as the form shows them: `123456` → `"1234.56"`, `100` → `"1"`. */
export function majorText(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(minor) / MONEY_MINOR_PER_MAJOR);
  const cents = Math.abs(minor) % MONEY_MINOR_PER_MAJOR;
  return cents === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

const boundText = (value: number | undefined, money: boolean) => (value === undefined ? '' : money ? majorText(value) : String(value));

export function draftOf(field: RegistryField): FieldDraft {
  const bounds = field.validation ?? {};
  const money = field.type === 'money';
  return {
    labelEn: field.labels.en,
    labelZh: field.labels['zh-CN'],
    required: field.required,
    options: [...(field.options ?? [])],
    newOption: '',
    purposes: [...field.purposes],
    unique: field.unique ?? false,
    minLength: boundText(bounds.minLength, false),
    maxLength: boundText(bounds.maxLength, false),
    min: boundText(bounds.min, money),
    max: boundText(bounds.max, money),
    retentionDays: field.retentionDays === undefined ? '' : String(field.retentionDays),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, i) => item === b[i]);

const BOUND_KEYS = ['minLength', 'maxLength', 'min', 'max'] as const satisfies readonly (keyof FieldValidation)[];
const sameBounds = (a: FieldValidation | null | undefined, b: FieldValidation | null | undefined) => BOUND_KEYS.every((key) => a?.[key] === b?.[key]);

/**
 * Only what changed, so the audit event names just that (`field.updated` lists the changed
 * keys). Bounds or a retention period emptied are sent as null, which clears them.
 */
export function fieldChanges(field: RegistryField, draft: FieldDraft & { archived: boolean }): FieldChanges {
  const changes: FieldChanges = {};
  const labels = { en: draft.labelEn.trim(), 'zh-CN': draft.labelZh.trim() };
  if (labels.en !== field.labels.en || labels['zh-CN'] !== field.labels['zh-CN']) changes.labels = labels;
  if (draft.required !== field.required) changes.required = draft.required;
  if (CHOICE_TYPES.has(field.type)) {
    const options = optionsToSave(draft);
    if (!sameList(options, field.options ?? [])) changes.options = options;
  }
  if (!sameList(draft.purposes, field.purposes)) changes.purposes = draft.purposes;
  if (draft.archived !== (field.archived ?? false)) changes.archived = draft.archived;
  const rules = readRules(field.type, draft);
  if (rules.unique !== (field.unique ?? false)) changes.unique = rules.unique;
  if (!sameBounds(rules.validation, field.validation)) changes.validation = rules.validation;
  if (rules.retentionDays !== (field.retentionDays ?? null)) changes.retentionDays = rules.retentionDays;
  return changes;
}

/** A field's bounds as the fields page shows them: lengths in characters, money in major units. */
export interface FieldBounds {
  unit: 'characters' | 'number' | 'money';
  min?: number;
  max?: number;
}

export function boundsOf(field: Pick<RegistryField, 'type' | 'validation'>): FieldBounds | null {
  const bounds = field.validation;
  if (!bounds) return null;
  if (LENGTH_BOUNDED_TYPES.has(field.type) && (bounds.minLength !== undefined || bounds.maxLength !== undefined)) {
    return { unit: 'characters', min: bounds.minLength, max: bounds.maxLength };
  }
  if (VALUE_BOUNDED_TYPES.has(field.type) && (bounds.min !== undefined || bounds.max !== undefined)) {
    const money = field.type === 'money';
    const major = (value: number | undefined) => (value === undefined || !money ? value : value / MONEY_MINOR_PER_MAJOR);
    return { unit: money ? 'money' : 'number', min: major(bounds.min), max: major(bounds.max) };
  }
  return null;
}

/** Where a value lives: in the customer's sealed bundles (personal, sensitive) or in clear. */
const isEncryptedClass = (sensitivity: Sensitivity) => sensitivity === 'personal' || sensitivity === 'sensitive';

/** Up the classes (more protection) or down; null when the class stays. */
export function classChange(from: Sensitivity, to: Sensitivity): 'raise' | 'lower' | null {
  const by = SENSITIVITY_CLASSES.indexOf(to) - SENSITIVITY_CLASSES.indexOf(from);
  return by === 0 ? null : by > 0 ? 'raise' : 'lower';
}

/**
 * What a reclassification does to the stored values, in the order the form says it:
 * `encrypt` + `notFilterable` out of clear storage, `decrypt` + `searchable` + `shownInClear`
 * back into it, `staysInClear` between the clear classes, then how the values are shown
 * (`masked` personal, `hidden` sensitive).
 */
export type ReclassifyEffect = 'encrypt' | 'notFilterable' | 'decrypt' | 'searchable' | 'shownInClear' | 'staysInClear' | 'masked' | 'hidden';

export function reclassifyEffects(from: Sensitivity, to: Sensitivity): ReclassifyEffect[] {
  if (from === to) return [];
  const effects: ReclassifyEffect[] = [];
  if (!isEncryptedClass(from) && isEncryptedClass(to)) effects.push('encrypt', 'notFilterable');
  if (isEncryptedClass(from) && !isEncryptedClass(to)) effects.push('decrypt', 'searchable', 'shownInClear');
  if (!isEncryptedClass(from) && !isEncryptedClass(to)) effects.push('staysInClear');
  if (to === 'personal') effects.push('masked');
  if (to === 'sensitive') effects.push('hidden');
  return effects;
}
