import { Anchor, Badge, Button, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { useCan } from '../auth/use-can.js';
import { ErrorAlert } from '../api/error-alert.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { EmptyState } from '../ui/empty-state.js';
import { PageLoader } from '../ui/page-loader.js';
import { CompanyLink } from './company-link.js';
import { ContactPointsSection } from './contact-points-section.js';
import { useCustomerName } from './customer-name.js';
import { CUSTOMER_QUERY_KEYS, customersApi, type CustomerRecord, type RecordActions } from './customers-api.js';
import type { DeletedCustomerState } from './deleted-customer-notice.js';
import { EditCustomerForm } from './edit-customer-form.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { NotesSection } from './notes-section.js';
import { ProfileCard } from './profile-card.js';
import { AddressesSection } from './sections/addresses-section.js';
import { CasesSection } from './sections/cases-section.js';
import { CompanyPeopleSection } from './sections/company-people-section.js';
import { HistorySection } from './sections/history-section.js';
import { PreferencesSection } from './sections/preferences-section.js';
import { TimelineSection } from './sections/timeline-section.js';
import { TransactionsSection } from './sections/transactions-section.js';
import { useFieldRegistry } from './use-field-registry.js';
import { WhoSawLink } from '../audit/who-saw-link.js';

/** A record answered without its actions offers none (deny by default). */
const NOTHING_ALLOWED: RecordActions = { update: false, delete: false, reassign: false, reveal: false };

/**
 * `/customers/:id` — one customer: profile (with reveal), edit, delete; their company or, for a
 * company, its people; contact points, addresses, preferences, notes, support cases,
 * transactions, the behaviour timeline and the field history — each as far as the user's role reaches.
 */
export function CustomerPage() {
  const { id = '' } = useParams();
  // A fresh page per customer: nothing revealed for one may linger on the next.
  return <CustomerView key={id} id={id} />;
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/customers" size="sm">
      ← {t('customers.profile.back')}
    </Anchor>
  );
}

function CustomerView({ id }: { id: string }) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  // Every read is audited: fetch on arrival and after changes, not whenever the window regains focus.
  const record = useQuery({ queryKey: CUSTOMER_QUERY_KEYS.record(id), queryFn: () => customersApi.get(id), refetchOnWindowFocus: false });

  if (record.isPending) return <PageLoader />;
  if (record.isError) {
    if (isApiError(record.error) && record.error.status === 404) {
      return (
        <EmptyState
          title={t('customers.profile.notFoundTitle')}
          action={
            <Button component={Link} to="/customers" variant="light">
              {t('customers.profile.back')}
            </Button>
          }
        >
          {t('customers.profile.notFoundBody')}
        </EmptyState>
      );
    }
    return (
      <Stack>
        <BackLink />
        <ErrorAlert error={record.error} overrides={overrides} />
      </Stack>
    );
  }
  return <CustomerDetails record={record.data} />;
}

function CustomerDetails({ record }: { record: CustomerRecord }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const nameOf = useCustomerName();
  const overrides = useCustomerErrorOverrides();
  const fields = useFieldRegistry();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const name = nameOf(record);
  // The server says what this user may do to this record (their scope against its owner and team): offer only that.
  const allowed = record.allowed ?? NOTHING_ALLOWED;

  const remove = useMutation({
    mutationFn: () => customersApi.remove(record.id),
    onSuccess: async () => {
      const state: DeletedCustomerState = { deletedCustomer: { id: record.id, name } };
      await navigate('/customers', { state });
      queryClient.removeQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(record.id) });
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
    },
  });

  return (
    <Stack>
      <BackLink />
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4}>
          <Group gap="sm" align="center">
            <Title order={1} size="h2" data-testid="customer-name" style={{ wordBreak: 'break-word' }}>
              {name}
            </Title>
            <Badge variant="light" data-testid="customer-kind">
              {t(`customers.kinds.${record.kind}`)}
            </Badge>
          </Group>
          {record.kind === 'person' && typeof record.companyId === 'string' && (
            <Group gap={6} data-testid="customer-company">
              <Text size="sm" c="dimmed">
                {t('customers.sections.company.label')}
              </Text>
              <CompanyLink id={record.companyId} />
            </Group>
          )}
          <WhoSawLink customerId={record.id} />
        </Stack>
        {!editing && (allowed.update || allowed.delete) && (
          <Group gap="xs">
            {allowed.update && (
              <Button variant="default" onClick={() => setEditing(true)} disabled={!fields.data}>
                {t('customers.profile.edit')}
              </Button>
            )}
            {allowed.delete && (
              <Button variant="light" color="red" onClick={() => setConfirmingDelete(true)}>
                {t('customers.profile.delete')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <ErrorAlert error={fields.error} overrides={overrides} />
      {fields.isPending ? (
        <Skeleton h={240} />
      ) : editing && fields.data ? (
        <EditCustomerForm record={record} fields={fields.data} onDone={() => setEditing(false)} />
      ) : (
        <ProfileCard record={record} fields={fields.data ?? []} />
      )}
      {/* A section whose object the role may not read is left out, not fetched: the server would refuse it. */}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {record.kind === 'company' && <CompanyPeopleSection companyId={record.id} />}
        {can('contact_points', 'read') && <ContactPointsSection customerId={record.id} />}
        {can('addresses', 'read') && <AddressesSection customerId={record.id} />}
        <PreferencesSection customerId={record.id} />
        {can('notes', 'read') && <NotesSection customerId={record.id} />}
        {can('cases', 'read') && <CasesSection customerId={record.id} />}
      </SimpleGrid>
      {can('transactions', 'read') && <TransactionsSection customerId={record.id} />}
      {can('events', 'read') && <TimelineSection customerId={record.id} />}
      <HistorySection record={record} />
      <ConfirmDialog
        opened={confirmingDelete}
        title={t('customers.deleteConfirm.title')}
        confirmLabel={t('customers.profile.delete')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setConfirmingDelete(false);
          remove.reset();
        }}
      >
        {t('customers.deleteConfirm.body', { name })}
      </ConfirmDialog>
    </Stack>
  );
}
