import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../api/use-error-message.js';
import { useCan } from '../../auth/use-can.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { useNotify } from '../../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS } from '../customers-api.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { SectionList } from '../section-list.js';
import { SECTION_QUERY_KEYS, sectionsApi, type Address, type AddressType } from '../sections-api.js';
import { formatAddressLine, isMaskedText, primaryFirst } from './address-format.js';
import { AddressFormModal } from './address-form-modal.js';
import { useCountryName } from './countries.js';
import { SectionCard } from './section-card.js';
import { SectionRow } from './section-row.js';

const TYPE_COLORS: Record<AddressType, string> = { home: 'teal', work: 'blue', billing: 'grape', shipping: 'orange', other: 'gray' };

/** Postal addresses of one customer, the primary one first: added, edited, made primary, deleted. */
export function AddressesSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const describe = useErrorMessage();
  const can = useCan();
  const queryKey = SECTION_QUERY_KEYS.addresses(customerId);
  // Every read is audited: fetch on arrival and after changes only.
  const list = useQuery({ queryKey, queryFn: () => sectionsApi.addresses(customerId), refetchOnWindowFocus: false });
  const [form, setForm] = useState<{ editing: Address | null } | null>(null);
  const [removing, setRemoving] = useState<Address | null>(null);

  /** The profile's `address` field shows the primary address: it changes with it. */
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey });
    void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(customerId), exact: true });
  };

  const makePrimary = useMutation({
    mutationFn: (address: Address) => sectionsApi.updateAddress(customerId, address.id, { primary: true }),
    onSuccess: () => {
      notify(t('customers.sections.addresses.madePrimary'));
      refresh();
    },
    onError: (error) => notify(describe(error), 'error'),
  });

  const remove = useMutation({
    mutationFn: (address: Address) => sectionsApi.removeAddress(customerId, address.id),
    onSuccess: () => {
      setRemoving(null);
      notify(t('customers.sections.addresses.removed'));
      refresh();
    },
  });

  const items = primaryFirst(list.data?.items ?? []);
  return (
    <SectionCard
      title={t('customers.sections.addresses.title')}
      intro={t('customers.sections.addresses.intro')}
      testId="addresses"
      actions={
        can('addresses', 'create') && (
          <Button size="compact-sm" variant="light" onClick={() => setForm({ editing: null })} disabled={list.isPending || list.isError} data-testid="add-address">
            {t('customers.sections.addresses.add')}
          </Button>
        )
      }
    >
      <SectionList
        query={list}
        items={items}
        loadingLabel={t('customers.sections.addresses.loading')}
        skeletonHeight={40}
        empty={{ title: t('customers.sections.addresses.emptyTitle'), body: t('customers.sections.addresses.emptyBody'), testId: 'addresses-empty' }}
        overrides={overrides}
        renderItem={(address) => (
          <AddressRow
            key={address.id}
            address={address}
            busy={makePrimary.isPending && makePrimary.variables?.id === address.id}
            onEdit={can('addresses', 'update') ? () => setForm({ editing: address }) : undefined}
            onMakePrimary={can('addresses', 'update') ? () => makePrimary.mutate(address) : undefined}
            onRemove={can('addresses', 'delete') ? () => setRemoving(address) : undefined}
          />
        )}
      />
      {form && (
        <AddressFormModal
          customerId={customerId}
          editing={form.editing}
          firstAddress={items.length === 0}
          onClose={() => setForm(null)}
          onSaved={(edited) => {
            setForm(null);
            notify(t(edited ? 'customers.sections.addresses.saved' : 'customers.sections.addresses.added'));
            refresh();
          }}
        />
      )}
      <ConfirmDialog
        opened={removing !== null}
        title={t('customers.sections.addresses.removeConfirm.title')}
        confirmLabel={t('customers.sections.addresses.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        {t('customers.sections.addresses.removeConfirm.body')}
      </ConfirmDialog>
    </SectionCard>
  );
}

interface AddressRowProps {
  address: Address;
  busy: boolean;
  /** Absent when the role may not do it: no button then. */
  onEdit?: () => void;
  onMakePrimary?: () => void;
  onRemove?: () => void;
}

function AddressRow({ address, busy, onEdit, onMakePrimary, onRemove }: AddressRowProps) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const line = formatAddressLine(address, countryName(address.country));
  const type = t(`customers.sections.addresses.types.${address.type}`);
  return (
    <SectionRow testId="address-row" id={address.id}>
      <Stack gap={4}>
        <Group gap={6} wrap="wrap">
          <Badge variant="light" size="sm" color={TYPE_COLORS[address.type]}>
            {type}
          </Badge>
          {address.primary && (
            <Badge variant="filled" size="sm" color="gray" data-testid="address-primary">
              {t('customers.sections.primary')}
            </Badge>
          )}
          {address.label && (
            <Text span size="xs" c="dimmed">
              {address.label}
            </Text>
          )}
        </Group>
        <Text size="sm" style={{ wordBreak: 'break-word' }} ff={isMaskedText(address.street) ? 'monospace' : undefined} data-testid="address-line">
          {line}
        </Text>
        {(onEdit || onRemove) && (
          <Group gap={4} justify="flex-end">
            {!address.primary && onMakePrimary && (
              <Button variant="subtle" size="compact-sm" onClick={onMakePrimary} loading={busy} aria-label={t('customers.sections.makePrimaryLabel', { value: line })}>
                {t('customers.sections.makePrimary')}
              </Button>
            )}
            {onEdit && (
              <Button variant="subtle" size="compact-sm" onClick={onEdit} aria-label={t('customers.sections.addresses.editLabel', { type })}>
                {t('customers.sections.addresses.edit')}
              </Button>
            )}
            {onRemove && (
              <Button variant="subtle" color="red" size="compact-sm" onClick={onRemove} aria-label={t('customers.sections.addresses.removeLabel', { type })}>
                {t('customers.sections.addresses.remove')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </SectionRow>
  );
}
