import { Button, Group, Modal, Radio, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import type { CustomerRecord } from '../customers/customers-api.js';
import { useCustomerName } from '../customers/customer-name.js';
import { fieldsOfKind, useFieldLabel, useFieldRegistry } from '../customers/use-field-registry.js';
import { useFormatFieldValue } from '../customers/use-format-field-value.js';
import { useNotify } from '../ui/notifications.js';
import { DUPLICATES_QUERY_KEY, duplicatesApi, type DuplicatePair, type MergeSide } from './duplicates-api.js';
import { useDuplicateErrors } from './use-duplicate-errors.js';
import { defaultChoices, defaultSurvivor, mergeRows } from './merge-choices.js';

/**
 * Merging a pair: which customer survives, then per field whose value it keeps (a radio per
 * row, the survivor's value by default, the other's where the survivor has none). Everything
 * else — contact points, notes, addresses, transactions, history — is kept from both.
 */
export function MergeDialog({ pair, onClose }: { pair: DuplicatePair; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 36em)');
  const registry = useFieldRegistry();
  const fieldLabel = useFieldLabel();
  const formatValue = useFormatFieldValue();
  const nameOf = useCustomerName();
  const notify = useNotify();
  const errorTexts = useDuplicateErrors();
  const queryClient = useQueryClient();
  const [first, second] = defaultSurvivor(pair.customers[0], pair.customers[1]);
  const [survivorId, setSurvivorId] = useState(first.id);
  const survivor = survivorId === first.id ? first : second;
  const merged = survivorId === first.id ? second : first;
  const rows = useMemo(() => mergeRows(fieldsOfKind(registry.data ?? [], survivor.kind), survivor, merged), [registry.data, survivor, merged]);
  const [choices, setChoices] = useState<Record<string, MergeSide>>({});
  const chosen = { ...defaultChoices(rows), ...choices };

  const merge = useMutation({
    mutationFn: () => duplicatesApi.merge({ survivorId: survivor.id, mergedId: merged.id, fields: Object.fromEntries(rows.filter((row) => !row.same).map((row) => [row.field.key, chosen[row.field.key]!])) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: DUPLICATES_QUERY_KEY });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      notify(t('duplicates.merge.done', { name: nameOf(survivor) }));
      onClose();
    },
  });

  const side = (record: CustomerRecord) => (record.id === survivor.id ? 'survivor' : 'merged');
  const valueText = (row: (typeof rows)[number], which: MergeSide) => {
    const value = which === 'survivor' ? row.survivor : row.merged;
    return value === undefined || value === null || value === '' ? t('duplicates.merge.empty') : formatValue(row.field, value);
  };

  return (
    <Modal opened onClose={onClose} title={t('duplicates.merge.title')} size="xl" fullScreen={phone}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('duplicates.merge.intro')}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={600} id="merge-survivor-label">
            {t('duplicates.merge.keep')}
          </Text>
          <SegmentedControl
            aria-labelledby="merge-survivor-label"
            fullWidth
            value={survivorId}
            onChange={(id) => {
              setSurvivorId(id);
              setChoices({});
            }}
            data={[first, second].map((record) => ({ value: record.id, label: nameOf(record) }))}
          />
        </Stack>
        <ErrorAlert error={registry.error} />
        <Table layout="fixed" verticalSpacing="xs" data-testid="merge-fields">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="28%">{t('duplicates.merge.field')}</Table.Th>
              {[survivor, merged].map((record) => (
                <Table.Th key={record.id}>{side(record) === 'survivor' ? t('duplicates.merge.survivorColumn') : t('duplicates.merge.mergedColumn')}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.field.key} data-field={row.field.key}>
                <Table.Td style={{ wordBreak: 'break-word' }}>{fieldLabel(row.field)}</Table.Td>
                {row.same ? (
                  <Table.Td colSpan={2} style={{ wordBreak: 'break-word' }}>
                    <Text size="sm">{valueText(row, 'survivor')}</Text>
                  </Table.Td>
                ) : (
                  (['survivor', 'merged'] as const).map((which) => (
                    <Table.Td key={which} style={{ wordBreak: 'break-word' }}>
                      <Radio
                        name={`merge-${row.field.key}`}
                        value={which}
                        checked={chosen[row.field.key] === which}
                        onChange={() => setChoices((current) => ({ ...current, [row.field.key]: which }))}
                        label={valueText(row, which)}
                        aria-label={t('duplicates.merge.choose', { field: fieldLabel(row.field), value: valueText(row, which) })}
                      />
                    </Table.Td>
                  ))
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">
          {t('duplicates.merge.keepsAll')}
        </Text>
        <ErrorAlert error={merge.error} overrides={errorTexts} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => merge.mutate()} loading={merge.isPending} disabled={registry.isPending}>
            {t('duplicates.merge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
