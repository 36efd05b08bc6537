import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistryField } from '../customers/customers-api.js';
import { boundsOf, type FieldBounds } from './field-form.js';

/** `5–80 characters`, `≤ 1,000.00`, `≥ 0`: a field's bounds in the interface language. */
function useBoundsText(): (bounds: FieldBounds) => string {
  const { t, i18n } = useTranslation();
  return (bounds) => {
    const money = bounds.unit === 'money';
    const format = (value: number) => new Intl.NumberFormat(i18n.language, money ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : {}).format(value);
    const values = { min: bounds.min === undefined ? '' : format(bounds.min), max: bounds.max === undefined ? '' : format(bounds.max) };
    const which = bounds.min !== undefined && bounds.max !== undefined ? 'between' : bounds.max !== undefined ? 'atMost' : 'atLeast';
    return bounds.unit === 'characters' ? t(`admin.fields.bounds.characters.${which}`, values) : t(`admin.fields.bounds.values.${which}`, values);
  };
}

/**
 * What the fields page says about a field's rules: unique values, bounds, how long values are
 * kept. Badges keep their whole text (`max-content`): a narrow table scrolls rather than cut them.
 */
export function FieldRuleBadges({ field }: { field: RegistryField }) {
  const { t } = useTranslation();
  const boundsText = useBoundsText();
  const bounds = boundsOf(field);
  if (!field.unique && !bounds && field.retentionDays === undefined) {
    return (
      <Text span size="sm" c="dimmed">
        {t('admin.fields.noRules')}
      </Text>
    );
  }
  return (
    <Group gap={4} data-testid="field-rule-badges">
      {field.unique && (
        <Badge variant="light" color="grape" tt="none" miw="max-content" title={t('admin.fields.uniqueHint')}>
          {t('admin.fields.uniqueBadge')}
        </Badge>
      )}
      {bounds && (
        <Badge variant="light" color="gray" tt="none" miw="max-content">
          {boundsText(bounds)}
        </Badge>
      )}
      {field.retentionDays !== undefined && (
        <Badge variant="light" color="yellow" tt="none" miw="max-content" title={t('admin.fields.retentionHint')}>
          {t('admin.fields.keptDays', { count: field.retentionDays })}
        </Badge>
      )}
    </Group>
  );
}
