import { Button, Checkbox, Group, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SensitivityBadge } from '../sensitivity-badge.js';
import { DEFAULT_COLUMNS, NAME_COLUMN, type ListColumn } from './list-fields.js';
import { useColumnLabel } from './use-column-label.js';

/** As many as a saved view keeps. */
const MAX_CHOSEN = 40;

/**
 * Which columns the list shows. The name always; the others in the order the registry offers
 * them. A choice for one kind of customer keeps the columns chosen for the other.
 */
export function ColumnChooser({
  available,
  chosen,
  onChange,
  fitting,
}: {
  available: readonly ListColumn[];
  chosen: readonly string[];
  onChange: (columns: string[]) => void;
  /** How many columns this screen has room for, when fewer than chosen. */
  fitting: number | null;
}) {
  const { t } = useTranslation();
  const label = useColumnLabel();
  const toggle = (key: string) => onChange(chosen.includes(key) ? chosen.filter((each) => each !== key) : [...chosen, key]);

  return (
    <Popover position="bottom-end" width={300} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" data-testid="column-chooser">
          {t('customers.list.chooser.button')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('customers.list.chooser.title')}
          </Text>
          <ScrollArea.Autosize mah={320} type="auto" offsetScrollbars>
            <Stack gap={8}>
              {available.map((column) => {
                const field = column.fields[0];
                const on = column.key === NAME_COLUMN || chosen.includes(column.key);
                return (
                  <Group key={column.key} justify="space-between" wrap="nowrap" gap="xs">
                    <Checkbox
                      label={label(column)}
                      checked={on}
                      disabled={column.key === NAME_COLUMN || (!on && chosen.length >= MAX_CHOSEN)}
                      onChange={() => toggle(column.key)}
                      data-testid={`column-option-${column.key}`}
                    />
                    {field && <SensitivityBadge sensitivity={field.sensitivity} />}
                  </Group>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
          {fitting !== null && (
            <Text size="xs" c="dimmed">
              {t('customers.list.chooser.narrow', { count: fitting })}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" size="compact-sm" onClick={() => onChange([...DEFAULT_COLUMNS])}>
              {t('customers.list.chooser.reset')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
