import { ActionIcon, Button, Checkbox, Fieldset, Group, Input, NumberInput, Paper, SimpleGrid, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../shared/fields.js';
import { isApiError } from '../api/api-error.js';
import { LockIcon } from '../customers/icons.js';
import {
  EXACT_LOOKUP_TYPES,
  FIELD_LIMITS,
  formInputOf,
  LENGTH_BOUNDED_TYPES,
  moveOption,
  optionProblem,
  VALUE_BOUNDED_TYPES,
  type FieldDraft,
  type FieldRules,
  type FormInput,
  type OptionProblem,
  type RuleInput,
} from './field-form.js';

/**
 * A failed save, said under the input it is about (the server names it), in the interface
 * language when the code is known. `named` is null when no input fits: the form shows it whole.
 */
export function useServerFieldError(error: unknown): { named: FormInput | null; errorFor: (input: FormInput) => string | undefined } {
  const { t } = useTranslation();
  const messages = t('admin.fields.errors', { returnObjects: true }) as Record<string, string | undefined>;
  const named = isApiError(error) ? formInputOf(error.field) : null;
  return { named, errorFor: (input) => (named === input && isApiError(error) ? (messages[error.code] ?? error.message) : undefined) };
}

type DraftSetter = <K extends keyof FieldDraft>(name: K, value: FieldDraft[K]) => void;

/** The field's name in both interface languages; both are required. */
export function LabelInputs({ draft, set, errorFor, autoFocus }: { draft: FieldDraft; set: DraftSetter; errorFor: (input: FormInput) => string | undefined; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label={t('admin.fields.labelEn')}
        value={draft.labelEn}
        onChange={(e) => set('labelEn', e.currentTarget.value)}
        maxLength={FIELD_LIMITS.label}
        required
        data-autofocus={autoFocus || undefined}
        error={errorFor('labelEn')}
      />
      <TextInput
        label={t('admin.fields.labelZh')}
        value={draft.labelZh}
        onChange={(e) => set('labelZh', e.currentTarget.value)}
        maxLength={FIELD_LIMITS.label}
        required
        error={errorFor('labelZh')}
      />
    </SimpleGrid>
  );
}

/**
 * The choices of a select or multi-select field, in the order forms offer them. Options in
 * `saved` cannot be removed (the server refuses: customers may hold them), only moved.
 */
export function OptionsEditor({ draft, set, saved, error }: { draft: FieldDraft; set: DraftSetter; saved: ReadonlySet<string>; error?: string }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<OptionProblem | null>(null);
  const { options, newOption } = draft;

  function add() {
    const found = optionProblem(options, newOption);
    setProblem(found);
    if (found) return;
    set('options', [...options, newOption.trim()]);
    set('newOption', '');
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the option instead of submitting the whole form.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  };

  return (
    <Input.Wrapper label={t('admin.fields.options')} description={t('admin.fields.optionsHint')} error={error} data-testid="options-editor">
      <Stack gap={6} mt={6}>
        {options.length === 0 ? (
          <Text size="sm" c="dimmed" fs="italic">
            {t('admin.fields.noOptions')}
          </Text>
        ) : (
          <Paper withBorder radius="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }} aria-label={t('admin.fields.options')}>
            {options.map((option, index) => (
              <Group
                key={option}
                component="li"
                justify="space-between"
                wrap="nowrap"
                px="sm"
                py={4}
                data-testid="option-row"
                data-option={option}
                style={index > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
              >
                <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                  {saved.has(option) && <LockIcon size={12} label={t('admin.fields.savedOption')} />}
                  <Text size="sm" truncate>
                    {option}
                  </Text>
                </Group>
                <Group gap={2} wrap="nowrap">
                  <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => set('options', moveOption(options, index, -1))} aria-label={t('admin.fields.moveUp', { option })}>
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    disabled={index === options.length - 1}
                    onClick={() => set('options', moveOption(options, index, 1))}
                    aria-label={t('admin.fields.moveDown', { option })}
                  >
                    ↓
                  </ActionIcon>
                  <Tooltip label={t('admin.fields.savedOption')} disabled={!saved.has(option)} multiline w={260} events={{ hover: true, focus: true, touch: true }}>
                    {/* A disabled button gets no pointer events: the wrapper carries the tooltip. */}
                    <span>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        disabled={saved.has(option)}
                        onClick={() => set('options', options.filter((_, i) => i !== index))}
                        aria-label={t('admin.fields.removeOption', { option })}
                      >
                        ×
                      </ActionIcon>
                    </span>
                  </Tooltip>
                </Group>
              </Group>
            ))}
          </Paper>
        )}
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label={t('admin.fields.newOption')}
            placeholder={t('admin.fields.newOption')}
            value={newOption}
            onChange={(e) => {
              setProblem(null);
              set('newOption', e.currentTarget.value);
            }}
            onKeyDown={onKeyDown}
            maxLength={FIELD_LIMITS.option + 1}
            error={problem && problem !== 'empty' ? t(`admin.fields.optionProblems.${problem}`) : undefined}
            style={{ flex: 1 }}
          />
          <Button variant="default" onClick={add} disabled={!newOption.trim()}>
            {t('admin.fields.addOption')}
          </Button>
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}

/** What the values are collected for (purpose limitation); suggestions come from the other fields. */
export function PurposesInput({ draft, set, suggestions, error }: { draft: FieldDraft; set: DraftSetter; suggestions: readonly string[]; error?: string }) {
  const { t } = useTranslation();
  const [tooLong, setTooLong] = useState(false);
  return (
    <TagsInput
      label={t('admin.fields.purposes')}
      description={t('admin.fields.purposesHint')}
      value={draft.purposes}
      onChange={(values) => {
        const trimmed = values.map((value) => value.trim()).filter(Boolean);
        const fits = trimmed.every((value) => value.length <= FIELD_LIMITS.purpose);
        setTooLong(!fits);
        if (fits) set('purposes', [...new Set(trimmed)]);
      }}
      data={[...new Set(suggestions)].filter((purpose) => !draft.purposes.includes(purpose))}
      maxTags={FIELD_LIMITS.purposes}
      clearable
      error={error ?? (tooLong ? t('admin.fields.purposeTooLong') : undefined)}
    />
  );
}

interface RuleInputsProps {
  type: FieldType;
  draft: FieldDraft;
  set: DraftSetter;
  problems: FieldRules['problems'];
  errorFor: (input: FormInput) => string | undefined;
  /** Why "unique" cannot be turned on for this field, when it cannot (an existing field without exact lookup). */
  uniqueUnavailable?: string;
}

/**
 * The rules on a field's values: unique (exact-lookup types), bounds that fit the type
 * (lengths, or numbers with money in major units) and a retention period. A typing problem
 * is said at once; the server's answer goes under the input it names.
 */
export function RuleInputs({ type, draft, set, problems, errorFor, uniqueUnavailable }: RuleInputsProps) {
  const { t } = useTranslation();
  const money = type === 'money';
  const problemOr = (input: RuleInput, serverInput: FormInput = input) => {
    const problem = problems[input];
    return problem ? t(`admin.fields.ruleProblems.${problem}`) : errorFor(serverInput);
  };
  // A "minimum above maximum" from the server names the bounds as a whole: said under the maximum.
  const boundsError = (input: 'maxLength' | 'max') => problemOr(input) ?? errorFor('validation');
  const numberInput = (name: RuleInput) => ({ value: draft[name], onChange: (value: string | number) => set(name, String(value)) });

  return (
    <Fieldset legend={t('admin.fields.rules')} p="sm" data-testid="field-rules">
      <Stack gap="sm">
        {EXACT_LOOKUP_TYPES.has(type) && (
          <Checkbox
            label={t('admin.fields.unique')}
            description={uniqueUnavailable ?? t('admin.fields.uniqueHint')}
            checked={draft.unique}
            disabled={uniqueUnavailable !== undefined && !draft.unique}
            onChange={(e) => set('unique', e.currentTarget.checked)}
            error={errorFor('unique')}
          />
        )}
        {LENGTH_BOUNDED_TYPES.has(type) && (
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <NumberInput
              label={t('admin.fields.minLength')}
              description={t('admin.fields.lengthHint')}
              {...numberInput('minLength')}
              min={0}
              max={FIELD_LIMITS.length}
              allowDecimal={false}
              allowNegative={false}
              error={problemOr('minLength')}
            />
            <NumberInput
              label={t('admin.fields.maxLength')}
              description={t('admin.fields.lengthHint')}
              {...numberInput('maxLength')}
              min={1}
              max={FIELD_LIMITS.length}
              allowDecimal={false}
              allowNegative={false}
              error={boundsError('maxLength')}
            />
          </SimpleGrid>
        )}
        {VALUE_BOUNDED_TYPES.has(type) && (
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <NumberInput
              label={t(money ? 'admin.fields.minAmount' : 'admin.fields.min')}
              description={t(money ? 'admin.fields.amountHint' : 'admin.fields.valueHint')}
              {...numberInput('min')}
              decimalScale={money ? 2 : undefined}
              error={problemOr('min')}
            />
            <NumberInput
              label={t(money ? 'admin.fields.maxAmount' : 'admin.fields.max')}
              description={t(money ? 'admin.fields.amountHint' : 'admin.fields.valueHint')}
              {...numberInput('max')}
              decimalScale={money ? 2 : undefined}
              error={boundsError('max')}
            />
          </SimpleGrid>
        )}
        <NumberInput
          label={t('admin.fields.retentionDays')}
          description={t('admin.fields.retentionHint')}
          {...numberInput('retentionDays')}
          min={1}
          max={FIELD_LIMITS.retentionDays}
          allowDecimal={false}
          allowNegative={false}
          error={problemOr('retentionDays')}
        />
        {!LENGTH_BOUNDED_TYPES.has(type) && !VALUE_BOUNDED_TYPES.has(type) && (
          <Text size="xs" c="dimmed">
            {t('admin.fields.noBounds')}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
