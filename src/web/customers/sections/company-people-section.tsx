import { Anchor, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCustomerName } from '../customer-name.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { SectionList } from '../section-list.js';
import { SECTION_QUERY_KEYS, sectionsApi } from '../sections-api.js';
import { SectionCard } from './section-card.js';
import { SectionRow } from './section-row.js';

/** The people who work at a company, each linking to their page; the first few only, as a pointer. */
export function CompanyPeopleSection({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const nameOf = useCustomerName();
  const overrides = useCustomerErrorOverrides();
  // Every read is audited: fetch on arrival only.
  const people = useQuery({ queryKey: SECTION_QUERY_KEYS.companyPeople(companyId), queryFn: () => sectionsApi.companyPeople(companyId), refetchOnWindowFocus: false });
  const items = people.data?.items ?? [];
  return (
    <SectionCard title={t('customers.sections.company.peopleTitle')} intro={t('customers.sections.company.peopleIntro')} testId="companyPeople">
      <SectionList
        query={people}
        items={items}
        loadingLabel={t('customers.sections.company.loading')}
        skeletonHeight={24}
        empty={{ title: t('customers.sections.company.emptyTitle'), body: t('customers.sections.company.emptyBody'), testId: 'company-people-empty' }}
        overrides={overrides}
        renderItem={(person) => (
          <SectionRow key={person.id} testId="company-person" id={person.id}>
            <Anchor component={Link} to={`/customers/${encodeURIComponent(person.id)}`} size="sm">
              {nameOf(person)}
            </Anchor>
          </SectionRow>
        )}
      />
      {people.data?.nextCursor && (
        <Text size="xs" c="dimmed">
          {t('customers.sections.company.more', { count: items.length })}
        </Text>
      )}
    </SectionCard>
  );
}
