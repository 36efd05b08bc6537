import { Button, Group, Pill } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CompanyLink } from '../company-link.js';
import type { ListColumn } from './list-fields.js';
import { useDescribeFilter } from './use-describe-filter.js';

/** The filters in force, each removable, in words. */
export function FilterPills({ filters, columns, onChange }: { filters: readonly string[]; columns: readonly ListColumn[]; onChange: (filters: string[]) => void }) {
  const { t } = useTranslation();
  const describe = useDescribeFilter(columns);
  if (filters.length === 0) return null;
  return (
    <Group gap="xs" data-testid="filter-pills">
      {filters.map((filter, index) => {
        const { words, companyId } = describe(filter);
        return (
          <Pill
            key={`${index}:${filter}`}
            size="md"
            withRemoveButton
            removeButtonProps={{ 'aria-label': t('customers.list.filters.remove', { filter: words }) }}
            onRemove={() => onChange(filters.filter((_, at) => at !== index))}
            data-testid="filter-pill"
            style={{ maxWidth: '100%' }}
          >
            {words}
            {companyId && (
              <>
                {' '}
                <CompanyLink id={companyId} />
              </>
            )}
          </Pill>
        );
      })}
      {filters.length > 1 && (
        <Button variant="subtle" size="compact-sm" onClick={() => onChange([])}>
          {t('customers.list.filters.clearAll')}
        </Button>
      )}
    </Group>
  );
}
