import { Button, CloseButton, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, SENSITIVITY_CLASSES, type Sensitivity } from '../../../shared/fields.js';
import { FIELD_LEVELS, RELATIONS, type FieldAccess, type RolePermissions } from '../../../shared/permissions.js';
import { ErrorAlert } from '../../api/error-alert.js';
import type { RegistryField } from '../../customers/customers-api.js';
import { SensitivityBadge } from '../../customers/sensitivity-badge.js';
import { fieldsOfKind, useFieldLabel, useFieldRegistry } from '../../customers/use-field-registry.js';
import { CHANGED_BG } from './object-matrix.js';
import { FieldAccessInput } from './field-access-input.js';
import { sameAccess } from './permission-draft.js';

/** Rules name a field as `kind.key` (`person.phone`), the way the server keys them. */
const ruleKey = (field: Pick<RegistryField, 'kind' | 'key'>) => `${field.kind}.${field.key}`;

interface FieldRulesProps {
  saved: RolePermissions;
  draft: RolePermissions;
  readOnly: boolean;
  onClassChange: (sensitivity: Sensitivity, access: FieldAccess) => void;
  /** null removes the field's own rule. */
  onFieldChange: (field: string, access: FieldAccess | null) => void;
}

/** How the role sees fields: one rule per sensitivity class, then rules for single fields that override their class. */
export function FieldRules({ saved, draft, readOnly, onClassChange, onFieldChange }: FieldRulesProps) {
  const { t } = useTranslation();
  const registry = useFieldRegistry();
  const fieldLabel = useFieldLabel();
  const className = (sensitivity: Sensitivity) => t('admin.roles.classLabel', { class: t(`customers.sensitivity.${sensitivity}`) });
  const byKey = new Map((registry.data ?? []).map((field) => [ruleKey(field), field]));
  const overridden = Object.keys(draft.fields.byField).sort();

  return (
    <Stack gap="md">
      <div>
        <Title order={3} size="h4">
          {t('admin.roles.fieldsTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.roles.fieldsHint')}
        </Text>
      </div>

      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('admin.roles.classesTitle')}
        </Title>
        {SENSITIVITY_CLASSES.map((sensitivity) => {
          const changed = !sameAccess(saved.fields.byClass[sensitivity], draft.fields.byClass[sensitivity]);
          return (
            <RuleRow key={sensitivity} changed={changed} testId="class-rule" name={sensitivity}>
              <Stack gap={2} style={{ flex: '1 1 220px' }}>
                <Group gap="xs">
                  <Text fw={500} size="sm">
                    {className(sensitivity)}
                  </Text>
                  <SensitivityBadge sensitivity={sensitivity} />
                </Group>
                <Text size="xs" c="dimmed">
                  {t(`customers.sensitivityHelp.${sensitivity}`)}
                </Text>
              </Stack>
              <FieldAccessInput target={className(sensitivity)} value={draft.fields.byClass[sensitivity]} disabled={readOnly} onChange={(access) => onClassChange(sensitivity, access)} />
            </RuleRow>
          );
        })}
      </Stack>

      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('admin.roles.overridesTitle')}
        </Title>
        <ErrorAlert error={registry.error} />
        {overridden.length === 0 && (
          <Text size="sm" c="dimmed" fs="italic">
            {t('admin.roles.overridesEmpty')}
          </Text>
        )}
        {overridden.map((key) => {
          const field = byKey.get(key);
          const label = field ? fieldLabel(field) : key;
          const access = draft.fields.byField[key]!;
          return (
            <RuleRow key={key} changed={!sameAccess(saved.fields.byField[key], access)} testId="field-rule" name={key}>
              <Stack gap={2} style={{ flex: '1 1 220px' }}>
                <Group gap="xs">
                  <Text fw={500} size="sm">
                    {label}
                  </Text>
                  {field && <SensitivityBadge sensitivity={field.sensitivity} />}
                </Group>
                <Text size="xs" c="dimmed" ff="monospace">
                  {key}
                  {!field && registry.data && ` · ${t('admin.roles.unknownField')}`}
                </Text>
              </Stack>
              <Group gap="xs" align="flex-start" wrap="nowrap">
                <FieldAccessInput target={label} value={access} disabled={readOnly} onChange={(next) => onFieldChange(key, next)} />
                {!readOnly && (
                  <CloseButton size="sm" aria-label={t('admin.roles.removeOverride', { field: label })} title={t('admin.roles.removeOverride', { field: label })} onClick={() => onFieldChange(key, null)} />
                )}
              </Group>
            </RuleRow>
          );
        })}
        {!readOnly && registry.data && (
          <AddFieldRule
            fields={registry.data.filter((field) => !(ruleKey(field) in draft.fields.byField))}
            onAdd={(field) => onFieldChange(ruleKey(field), draft.fields.byClass[field.sensitivity])}
          />
        )}
      </Stack>

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Legend title={t('admin.roles.levelLegend')} items={FIELD_LEVELS.map((level) => [t(`admin.roles.levels.${level}`), t(`admin.roles.levelHelp.${level}`)])} />
        <Legend title={t('admin.roles.relationLegend')} items={RELATIONS.map((relation) => [t(`admin.roles.relations.${relation}`), t(`admin.roles.relationHelp.${relation}`)])} />
      </SimpleGrid>
    </Stack>
  );
}

function RuleRow({ changed, testId, name, children }: { changed: boolean; testId: string; name: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xs" bg={changed ? CHANGED_BG : undefined} data-testid={testId} data-name={name} data-changed={changed || undefined}>
      <Group justify="space-between" align="flex-start" gap="sm">
        {children}
      </Group>
    </Paper>
  );
}

/** Picks a field without a rule of its own; its rule starts as its class's, to be changed from there. */
function AddFieldRule({ fields, onAdd }: { fields: readonly RegistryField[]; onAdd: (field: RegistryField) => void }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const [chosen, setChosen] = useState('');
  const field = fields.find((candidate) => ruleKey(candidate) === chosen);
  const groups = CUSTOMER_KINDS.map((kind) => ({
    group: t(`customers.kinds.${kind}`),
    items: fieldsOfKind(fields, kind).map((candidate) => ({ value: ruleKey(candidate), label: fieldLabel(candidate) })),
  })).filter((group) => group.items.length > 0);
  if (groups.length === 0) return null;
  return (
    <Group gap="xs" align="flex-end">
      <NativeSelect
        size="xs"
        label={t('admin.roles.addOverride')}
        value={chosen}
        data={[{ value: '', label: t('admin.roles.addOverridePlaceholder'), disabled: true }, ...groups]}
        onChange={(event) => setChosen(event.currentTarget.value)}
        style={{ flex: '1 1 200px', maxWidth: 320 }}
      />
      <Button
        size="xs"
        variant="light"
        disabled={!field}
        onClick={() => {
          if (!field) return;
          onAdd(field);
          setChosen('');
        }}
      >
        {t('admin.roles.addOverrideSubmit')}
      </Button>
    </Group>
  );
}

function Legend({ title, items }: { title: string; items: [string, string][] }) {
  return (
    <Stack gap={4}>
      <Title order={4} size="h6">
        {title}
      </Title>
      {items.map(([name, help]) => (
        <Text key={name} size="sm">
          <Text span fw={600} size="sm">
            {name}
          </Text>
          {' — '}
          {help}
        </Text>
      ))}
    </Stack>
  );
}
