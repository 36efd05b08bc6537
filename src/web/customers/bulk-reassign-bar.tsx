import { Button, Group, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BulkReassignModal } from './bulk-reassign-modal.js';

interface BulkReassignBarProps {
  selected: ReadonlySet<string>;
  onClear: () => void;
}

/** Over the list while rows are ticked: how many, the way to hand them to another owner, and the way to untick them. */
export function BulkReassignBar({ selected, onClear }: BulkReassignBarProps) {
  const { t } = useTranslation();
  const [ids, setIds] = useState<readonly string[] | null>(null);
  return (
    <>
      {selected.size > 0 && (
        <Paper withBorder radius="md" px="sm" py={6} bg="var(--mantine-primary-color-light)" data-testid="bulk-actions">
          <Group gap="xs" justify="space-between" wrap="wrap">
            <Text size="sm" fw={500} role="status" data-testid="bulk-selected">
              {t('customers.bulk.selected', { count: selected.size })}
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Button size="compact-sm" onClick={() => setIds([...selected])} data-testid="bulk-reassign">
                {t('customers.bulk.reassign')}
              </Button>
              <Button size="compact-sm" variant="subtle" onClick={onClear} data-testid="bulk-clear">
                {t('customers.bulk.clear')}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
      {/* Beside the bar, not in it: the summary stays once the reassignment has cleared the selection. */}
      <BulkReassignModal ids={ids ?? []} opened={ids !== null} onClose={() => setIds(null)} onReassigned={onClear} />
    </>
  );
}
