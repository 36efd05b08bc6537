import { Button, Checkbox, Group, NativeSelect, Popover, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CompanySelect } from '../company-link.js';
import { useOptionLabel } from '../use-field-registry.js';
import { formatFilter, type FilterOperator } from '../search-query.js';
import { filterValue, MAX_FILTER_VALUE, needsValue } from './filter-value.js';
import { operatorsFor, type ListColumn } from './list-fields.js';
import { useColumnLabel } from './use-column-label.js';
import { useOperatorLabel } from './use-describe-filter.js';

/**
 * "Add filter": a field, then an operator that fits its type, then a value. Only plain fields
 * (public, internal) and the record's times are offered; personal and sensitive values are
 * stored encrypted and cannot be filtered on.
 */
export function FilterBuilder({ columns, onAdd, full }: { columns: readonly ListColumn[]; onAdd: (filter: string) => void; full: boolean }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" width={320} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" onClick={() => setOpened((open) => !open)} disabled={full || columns.length === 0} title={full ? t('customers.list.filters.full') : undefined} data-testid="filter-add">
          {t('customers.list.filters.add')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        {/* Mounted while open only: each opening starts from a clean form. */}
        {opened && (
          <FilterForm
            columns={columns}
            onAdd={(filter) => {
              onAdd(filter);
              setOpened(false);
            }}
          />
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

function FilterForm({ columns, onAdd }: { columns: readonly ListColumn[]; onAdd: (filter: string) => void }) {
  const { t } = useTranslation();
  const columnLabel = useColumnLabel();
  const operatorLabel = useOperatorLabel();
  const optionLabel = useOptionLabel();
  const [key, setKey] = useState(columns[0]?.key ?? '');
  const column = columns.find((each) => each.key === key) ?? columns[0]!;
  const operators = operatorsFor(column);
  const [op, setOp] = useState<FilterOperator>(operators[0]!);
  const [typed, setTyped] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState(false);
  const field = column.fields[0];
  const options = field?.options ?? [];
  // A list's first entry counts as chosen even if never touched.
  const value = typed || (column.input === 'boolean' ? 'true' : op !== 'in' ? (options[0] ?? '') : '');

  const chooseField = (next: string) => {
    const nextColumn = columns.find((each) => each.key === next) ?? column;
    setKey(next);
    setOp(operatorsFor(nextColumn)[0]!);
    setTyped('');
    setChosen([]);
    setProblem(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const sent = filterValue(column.input, op, value, chosen);
    if (sent === null) return setProblem(true);
    onAdd(formatFilter({ key: column.key, op, value: sent }));
  };

  const valueInput = () => {
    if (!needsValue(op)) return null;
    if (op === 'in') {
      return (
        <Checkbox.Group label={t('customers.list.filters.value')} value={chosen} onChange={setChosen} data-testid="filter-value">
          <Stack gap={6} mt={4}>
            {options.map((option) => (
              <Checkbox key={option} value={option} label={field ? optionLabel(field, option) : option} />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    }
    if (column.input === 'company') {
      return <CompanySelect label={t('customers.list.filters.value')} value={typed} onChange={setTyped} error={problem ? t('customers.list.filters.valueRequired') : undefined} data-testid="filter-value" comboboxProps={{ withinPortal: false }} />;
    }
    if (options.length > 0 || column.input === 'boolean') {
      const data =
        column.input === 'boolean'
          ? [
              { value: 'true', label: t('customers.yes') },
              { value: 'false', label: t('customers.no') },
            ]
          : options.map((option) => ({ value: option, label: field ? optionLabel(field, option) : option }));
      return <NativeSelect label={t('customers.list.filters.value')} data={data} value={value} onChange={(event) => setTyped(event.currentTarget.value)} data-testid="filter-value" />;
    }
    const type = column.input === 'number' || column.input === 'money' ? 'number' : column.input === 'date' || column.input === 'instant' ? 'date' : 'text';
    return (
      <TextInput
        label={t('customers.list.filters.value')}
        description={column.input === 'money' ? t('customers.list.filters.moneyHint') : undefined}
        type={type}
        step={column.input === 'money' ? '0.01' : undefined}
        maxLength={MAX_FILTER_VALUE}
        value={typed}
        onChange={(event) => {
          setTyped(event.currentTarget.value);
          setProblem(false);
        }}
        error={problem ? t('customers.list.filters.valueRequired') : undefined}
        autoComplete="off"
        data-autofocus
        data-testid="filter-value"
      />
    );
  };

  return (
    <form onSubmit={submit} data-testid="filter-form">
      <Stack gap="sm">
        <Text fw={600} size="sm">
          {t('customers.list.filters.title')}
        </Text>
        <NativeSelect
          label={t('customers.list.filters.field')}
          data={columns.map((each) => ({ value: each.key, label: columnLabel(each) }))}
          value={column.key}
          onChange={(event) => chooseField(event.currentTarget.value)}
          data-testid="filter-field"
        />
        <NativeSelect
          label={t('customers.list.filters.operator')}
          data={operators.map((each) => ({ value: each, label: operatorLabel(column.input, each) }))}
          value={op}
          onChange={(event) => {
            setOp(event.currentTarget.value as FilterOperator);
            setProblem(false);
          }}
          data-testid="filter-op"
        />
        {valueInput()}
        {problem && op === 'in' && (
          <Text size="xs" c="red">
            {t('customers.list.filters.valueRequired')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" data-testid="filter-apply">
            {t('customers.list.filters.apply')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
