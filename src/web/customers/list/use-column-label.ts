import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldLabel } from '../use-field-registry.js';
import { NAME_COLUMN, type ListColumn } from './list-fields.js';

const RECORD_COLUMNS = ['kind', 'createdAt', 'updatedAt'] as const;

/** A column's heading: the field's label in the interface language, or the record property's name. */
export function useColumnLabel(): (column: Pick<ListColumn, 'key' | 'fields'>) => string {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  return useCallback(
    (column) => {
      const record = RECORD_COLUMNS.find((key) => key === column.key);
      if (record) return t(`customers.list.columns.${record}`);
      const [first, second] = column.fields;
      if (!first) return column.key;
      // People and companies in one list: "Name" covers a person's name and a company's name.
      if (column.key === NAME_COLUMN && second) return t('customers.list.columns.name');
      return fieldLabel(first);
    },
    [t, fieldLabel],
  );
}
