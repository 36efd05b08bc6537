import { Badge, Button, Divider, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useErrorMessage } from '../api/use-error-message.js';
import { useCan } from '../auth/use-can.js';
import type { ItemList } from '../api/types.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useNotify } from '../ui/notifications.js';
import {
  CONTACT_POINT_TYPES,
  CUSTOMER_QUERY_KEYS,
  customersApi,
  IM_CHANNELS,
  type ContactPoint,
  type ContactPointInput,
  type ContactPointType,
  type ImChannel,
} from './customers-api.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { SectionList } from './section-list.js';
import { sectionsApi } from './sections-api.js';
import { SectionCard } from './sections/section-card.js';
import { SectionRow } from './sections/section-row.js';
import { useInputErrors } from './sections/use-input-errors.js';

/** The server's bounds (`ContactPointBody`). */
const MAX_LABEL_LENGTH = 40;
const MAX_VALUE_LENGTH = 254;

const TYPE_COLORS: Record<ContactPointType, string> = { email: 'blue', phone: 'teal', im: 'grape' };
const VALUE_INPUTS: Record<ContactPointType, { type?: string; inputMode?: 'email' | 'tel' | 'text' }> = {
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  im: { inputMode: 'text' },
};
/** Inputs the server may name in a refusal; its message goes under that input. */
const FORM_FIELDS = ['value', 'channel', 'label'] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** Further emails, phones and messaging handles of one customer: listed, added, made primary, removed. */
export function ContactPointsSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const describe = useErrorMessage();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const can = useCan();
  const queryKey = CUSTOMER_QUERY_KEYS.contactPoints(customerId);
  // Every read is audited: fetch on arrival and after changes only.
  const list = useQuery({ queryKey, queryFn: () => customersApi.contactPoints(customerId), refetchOnWindowFocus: false });
  const [removing, setRemoving] = useState<ContactPoint | null>(null);

  const remove = useMutation({
    mutationFn: (point: ContactPoint) => customersApi.removeContactPoint(customerId, point.id),
    onSuccess: () => {
      setRemoving(null);
      notify(t('customers.contactPoints.removed'));
      // Another handle of the same app may have become the primary one.
      void queryClient.invalidateQueries({ queryKey });
    },
  });

  const makePrimary = useMutation({
    mutationFn: (point: ContactPoint) => sectionsApi.makeContactPointPrimary(customerId, point.id),
    onSuccess: (points) => {
      queryClient.setQueryData<ItemList<ContactPoint>>(queryKey, points);
      // An email or phone swaps places with the customer's primary one, which the profile shows.
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(customerId), exact: true });
      notify(t('customers.sections.contactPoints.madePrimary'));
    },
    onError: (error) => notify(describe(error), 'error'),
  });

  const items = list.data?.items ?? [];
  return (
    <SectionCard title={t('customers.contactPoints.title')} intro={t('customers.contactPoints.intro')} testId="contactPoints">
      <SectionList
        query={list}
        items={items}
        loadingLabel={t('customers.contactPoints.loading')}
        skeletonHeight={28}
        empty={{ title: t('customers.contactPoints.emptyTitle'), body: t('customers.contactPoints.emptyBody'), testId: 'contact-points-empty' }}
        overrides={overrides}
        renderItem={(point) => (
          <ContactPointRow
            key={point.id}
            point={point}
            busy={makePrimary.isPending && makePrimary.variables?.id === point.id}
            onMakePrimary={can('contact_points', 'update') ? () => makePrimary.mutate(point) : undefined}
            onRemove={can('contact_points', 'delete') ? () => setRemoving(point) : undefined}
          />
        )}
      />
      {can('contact_points', 'create') && (
        <>
          <Divider />
          <AddContactPointForm customerId={customerId} />
        </>
      )}
      <ConfirmDialog
        opened={removing !== null}
        title={t('customers.contactPoints.removeConfirm.title')}
        confirmLabel={t('customers.contactPoints.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        {t('customers.contactPoints.removeConfirm.body', { value: removing?.value ?? '' })}
      </ConfirmDialog>
    </SectionCard>
  );
}

interface ContactPointRowProps {
  point: ContactPoint;
  busy: boolean;
  /** Absent when the role may not do it: no button then. */
  onMakePrimary?: () => void;
  onRemove?: () => void;
}

function ContactPointRow({ point, busy, onMakePrimary, onRemove }: ContactPointRowProps) {
  const { t } = useTranslation();
  const channel = point.channel ? t(`customers.contactPoints.channels.${point.channel}`) : null;
  return (
    <SectionRow testId="contact-point-row" id={point.id}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Badge variant="light" size="sm" color={TYPE_COLORS[point.type]}>
              {t(`customers.contactPoints.types.${point.type}`)}
            </Badge>
            {channel && (
              <Badge variant="outline" size="sm" color={TYPE_COLORS.im}>
                {channel}
              </Badge>
            )}
            {point.primary && (
              <Badge variant="filled" size="sm" color="gray" title={t('customers.contactPoints.primaryHint', { channel: channel ?? '' })}>
                {t('customers.contactPoints.primary')}
              </Badge>
            )}
            {point.label && (
              <Text span size="xs" c="dimmed">
                {point.label}
              </Text>
            )}
          </Group>
          <Text size="sm" style={{ wordBreak: 'break-all' }} data-testid="contact-point-value">
            {point.value}
          </Text>
        </Stack>
        <Group gap={4} wrap="nowrap">
          {!point.primary && onMakePrimary && (
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={onMakePrimary}
              loading={busy}
              aria-label={t('customers.sections.makePrimaryLabel', { value: point.value })}
              data-testid="make-contact-point-primary"
            >
              {t('customers.sections.makePrimary')}
            </Button>
          )}
          {onRemove && (
            <Button variant="subtle" color="red" size="compact-sm" onClick={onRemove} aria-label={t('customers.contactPoints.removeLabel', { value: point.value })}>
              {t('customers.contactPoints.remove')}
            </Button>
          )}
        </Group>
      </Group>
    </SectionRow>
  );
}

function AddContactPointForm({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const [type, setType] = useState<ContactPointType>('email');
  const [channel, setChannel] = useState<ImChannel>('wechat');
  const [label, setLabel] = useState('');
  const [value, setValue] = useState('');
  const [valueMissing, setValueMissing] = useState(false);

  const add = useMutation({
    mutationFn: (input: ContactPointInput) => customersApi.addContactPoint(customerId, input),
    onSuccess: (point) => {
      queryClient.setQueryData<ItemList<ContactPoint>>(CUSTOMER_QUERY_KEYS.contactPoints(customerId), (current) => current && { items: [...current.items, point] });
      notify(t('customers.contactPoints.added'));
      setLabel('');
      setValue('');
    },
  });

  const { inputError, formError } = useInputErrors(add.error, FORM_FIELDS);
  const fieldError = (field: FormField): string | undefined => (field === 'value' && valueMissing ? t('customers.contactPoints.valueRequired') : inputError(field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return setValueMissing(true);
    add.mutate({ type, ...(type === 'im' ? { channel } : {}), ...(label.trim() ? { label: label.trim() } : {}), value: value.trim() });
  };

  const edited = () => {
    setValueMissing(false);
    if (add.error) add.reset();
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('customers.contactPoints.addTitle')} data-testid="contact-point-form">
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {t('customers.contactPoints.addTitle')}
        </Text>
        <SimpleGrid cols={{ base: 1, xs: type === 'im' ? 2 : 1 }} spacing="xs">
          <NativeSelect
            label={t('customers.contactPoints.type')}
            value={type}
            onChange={(event) => {
              setType(event.currentTarget.value as ContactPointType);
              edited();
            }}
            data={CONTACT_POINT_TYPES.map((each) => ({ value: each, label: t(`customers.contactPoints.types.${each}`) }))}
          />
          {type === 'im' && (
            <NativeSelect
              label={t('customers.contactPoints.channel')}
              value={channel}
              onChange={(event) => {
                setChannel(event.currentTarget.value as ImChannel);
                edited();
              }}
              data={IM_CHANNELS.map((each) => ({ value: each, label: t(`customers.contactPoints.channels.${each}`) }))}
              error={fieldError('channel')}
            />
          )}
        </SimpleGrid>
        <TextInput
          label={t('customers.contactPoints.label')}
          placeholder={t('customers.contactPoints.labelPlaceholder')}
          value={label}
          onChange={(event) => {
            setLabel(event.currentTarget.value);
            edited();
          }}
          maxLength={MAX_LABEL_LENGTH}
          error={fieldError('label')}
          autoComplete="off"
        />
        <TextInput
          label={t('customers.contactPoints.value')}
          value={value}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            edited();
          }}
          maxLength={MAX_VALUE_LENGTH}
          error={fieldError('value')}
          autoComplete="off"
          {...VALUE_INPUTS[type]}
        />
        <ErrorAlert error={formError} overrides={overrides} />
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={add.isPending} data-testid="add-contact-point">
            {t('customers.contactPoints.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
