import { Anchor, Loader, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import type { CustomerPage, CustomerRecord } from './customers-api.js';
import { useCustomerName } from './customer-name.js';

// Fields of type `company` hold a company customer's id: people pick their company by name,
// and read it as a link to the company's page.

const companyQueryKey = (id: string) => ['customers', 'company', id] as const;

function useCompany(id: string | null) {
  return useQuery({
    queryKey: companyQueryKey(id ?? ''),
    queryFn: () => api.get<CustomerRecord>(`/api/customers/${encodeURIComponent(id!)}`),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

/** A company's name linking to its page; the id itself while it loads or when it is gone. */
export function CompanyLink({ id }: { id: string }) {
  const nameOf = useCustomerName();
  const company = useCompany(id);
  if (company.isPending) return <Loader size="xs" type="dots" aria-label={id} />;
  return (
    <Anchor component={Link} to={`/customers/${encodeURIComponent(id)}`} size="sm" data-testid="company-link">
      {company.data ? nameOf(company.data) : id}
    </Anchor>
  );
}

type CompanySelectProps = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> & {
  value: string;
  onChange: (id: string) => void;
};

/** Picks a company by name with the server's search (`kind=company`), keeping the chosen one listed. */
export function CompanySelect({ value, onChange, ...props }: CompanySelectProps) {
  const { t } = useTranslation();
  const nameOf = useCustomerName();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const chosen = useCompany(value || null);
  const found = useQuery({
    queryKey: ['customers', 'companies', debounced],
    queryFn: () => api.get<CustomerPage>(`/api/customers?${new URLSearchParams({ kind: 'company', limit: '20', ...(debounced ? { q: debounced } : {}) })}`),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const data = useMemo(() => {
    const options = new Map((found.data?.items ?? []).map((company) => [company.id, nameOf(company)]));
    if (value && !options.has(value)) options.set(value, chosen.data ? nameOf(chosen.data) : value);
    return [...options].map(([id, name]) => ({ value: id, label: name }));
  }, [found.data, chosen.data, value, nameOf]);

  return (
    <Select
      {...props}
      data={data}
      value={value || null}
      onChange={(id) => onChange(id ?? '')}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('customers.company.searching') : t('customers.company.noneFound')}
      rightSection={found.isFetching ? <Loader size="xs" /> : undefined}
      placeholder={props.placeholder ?? t('customers.company.placeholder')}
    />
  );
}
