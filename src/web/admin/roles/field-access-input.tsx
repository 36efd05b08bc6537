import { Button, Group, NativeSelect, SimpleGrid, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FIELD_LEVELS, RELATIONS, levelRank, type FieldAccess, type FieldLevel } from '../../../shared/permissions.js';
import { expandAccess } from './permission-draft.js';

interface FieldAccessInputProps {
  /** What the access is for, e.g. "Personal fields": names every select. */
  target: string;
  value: FieldAccess;
  disabled: boolean;
  onChange: (access: FieldAccess) => void;
}

/**
 * One level for every customer, in a single select, until it is opened up to a level per
 * relation (own, team, support case, other). Closing it again keeps the narrowest of the
 * four, so folding never widens what the role sees.
 */
export function FieldAccessInput({ target, value, disabled, onChange }: FieldAccessInputProps) {
  const { t } = useTranslation();
  const levels = FIELD_LEVELS.map((level) => ({ value: level, label: t(`admin.roles.levels.${level}`) }));

  if (typeof value === 'string') {
    return (
      <Group gap="xs" wrap="nowrap">
        <NativeSelect size="xs" aria-label={target} value={value} data={levels} disabled={disabled} onChange={(event) => onChange(event.currentTarget.value as FieldLevel)} />
        {!disabled && (
          <Button size="compact-xs" variant="subtle" aria-label={t('admin.roles.expandLabel', { target })} onClick={() => onChange(expandAccess(value))}>
            {t('admin.roles.expand')}
          </Button>
        )}
      </Group>
    );
  }

  const narrowest = RELATIONS.map((relation) => value[relation]).reduce((a, b) => (levelRank(b) < levelRank(a) ? b : a));
  return (
    <Stack gap={4}>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing={4}>
        {RELATIONS.map((relation) => (
          <NativeSelect
            key={relation}
            size="xs"
            label={t(`admin.roles.relations.${relation}`)}
            aria-label={t('admin.roles.relationLabel', { target, relation: t(`admin.roles.relations.${relation}`) })}
            value={value[relation]}
            data={levels}
            disabled={disabled}
            onChange={(event) => onChange({ ...value, [relation]: event.currentTarget.value as FieldLevel })}
          />
        ))}
      </SimpleGrid>
      {!disabled && (
        <Button size="compact-xs" variant="subtle" aria-label={t('admin.roles.collapseLabel', { target })} onClick={() => onChange(narrowest)} style={{ alignSelf: 'flex-start' }}>
          {t('admin.roles.collapse')}
        </Button>
      )}
    </Stack>
  );
}
