import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useOptionLabel } from '../use-field-registry.js';
import { parseFilter, type FilterOperator } from '../search-query.js';
import { needsValue } from './filter-value.js';
import { REFERENCE_FILTER_KEYS, type ListColumn, type ValueInput } from './list-fields.js';
import { useColumnLabel } from './use-column-label.js';

const TIME_OPERATORS: readonly FilterOperator[] = ['eq', 'gt', 'gte', 'lt', 'lte'];

/** An operator in words that fit the value: "is after" for a date, "has" for tags, "is more than" for a number. */
export function useOperatorLabel(): (input: ValueInput, op: FilterOperator) => string {
  const { t } = useTranslation();
  return useCallback(
    (input, op) => {
      if ((input === 'date' || input === 'instant') && TIME_OPERATORS.includes(op)) return t(`customers.list.filters.timeOps.${op as 'eq' | 'gt' | 'gte' | 'lt' | 'lte'}`);
      if (input === 'items' && op === 'contains') return t('customers.list.filters.has');
      return t(`customers.list.filters.ops.${op}`);
    },
    [t],
  );
}

export interface FilterWords {
  /** "Lifecycle stage is one of Lead, Prospect"; for a company, without the company. */
  words: string;
  /** The company a filter names, shown by its name (which needs a read of its own). */
  companyId: string | null;
}

/** A filter of the list in words. */
export function useDescribeFilter(columns: readonly ListColumn[]): (text: string) => FilterWords {
  const { t, i18n } = useTranslation();
  const columnLabel = useColumnLabel();
  const operatorLabel = useOperatorLabel();
  const optionLabel = useOptionLabel();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useCallback(
    (text) => {
      const filter = parseFilter(text);
      if (!filter) return { words: text, companyId: null };
      const column = columns.find((each) => each.key === filter.key);
      const reference = REFERENCE_FILTER_KEYS.find((key) => key === filter.key);
      const label = column ? columnLabel(column) : reference ? t(`customers.list.filters.reference.${reference as 'ownerId'}`) : filter.key;
      const input = column?.input ?? 'text';
      const op = operatorLabel(input, filter.op);
      if (!needsValue(filter.op)) return { words: `${label} ${op}`, companyId: null };
      if (input === 'company') return { words: `${label} ${op}`, companyId: filter.value };
      const field = column?.fields[0];
      const values = (filter.op === 'in' ? filter.value.split('|') : [filter.value]).map((value) => {
        switch (input) {
          case 'choice':
          case 'items':
            return field ? optionLabel(field, value) : value;
          case 'boolean':
            return value === 'true' ? t('customers.yes') : t('customers.no');
          case 'money':
            return new Intl.NumberFormat(language, { minimumFractionDigits: 2 }).format(Number(value) / 100);
          case 'instant': {
            const date = new Date(value);
            return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date);
          }
          default:
            return `“${value}”`;
        }
      });
      return { words: `${label} ${op} ${values.join(language.startsWith('zh') ? '、' : ', ')}`, companyId: null };
    },
    [columns, columnLabel, operatorLabel, optionLabel, t, language],
  );
}
