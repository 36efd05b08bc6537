import { Badge, Button, Divider, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
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

/** The server's bounds (`ContactPointBody`). */
const MAX_LABEL_LENGTH = 40;
const MAX_VALUE_LENGTH = 254;

const TYPE_COLORS: Record<ContactPointType, string> = { email: 'blue', phone: 'teal', im: 'grape' };
const VALUE_INPUTS: Record<ContactPointType, { type?: string; inputMode?: 'email' | 'tel' | 'text' }> = {
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  im: { inputMode: 'text' },
};
/** Inputs the server may name in a 400; its message goes under that input. */
const FORM_FIELDS = ['value', 'channel', 'label'] as const;
type FormField = (typeof FORM_FIELDS)[number];

/** Further emails, phones and messaging handles of one customer: listed, added, removed. */
export function ContactPointsSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
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

  const items = list.data?.items ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="customer-section-contactPoints">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t('customers.contactPoints.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('customers.contactPoints.intro')}
        </Text>
        <SectionList
          query={list}
          items={items}
          loadingLabel={t('customers.contactPoints.loading')}
          skeletonHeight={28}
          empty={{ title: t('customers.contactPoints.emptyTitle'), body: t('customers.contactPoints.emptyBody'), testId: 'contact-points-empty' }}
          overrides={overrides}
          renderItem={(point) => <ContactPointRow key={point.id} point={point} onRemove={() => setRemoving(point)} />}
        />
        <Divider />
        <AddContactPointForm customerId={customerId} />
      </Stack>
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
    </Paper>
  );
}

function ContactPointRow({ point, onRemove }: { point: ContactPoint; onRemove: () => void }) {
  const { t } = useTranslation();
  const channel = point.channel ? t(`customers.contactPoints.channels.${point.channel}`) : null;
  return (
    <Group
      component="li"
      justify="space-between"
      wrap="nowrap"
      gap="xs"
      py={6}
      data-testid="contact-point-row"
      data-id={point.id}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
    >
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
      <Button variant="subtle" color="red" size="compact-sm" onClick={onRemove} aria-label={t('customers.contactPoints.removeLabel', { value: point.value })}>
        {t('customers.contactPoints.remove')}
      </Button>
    </Group>
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

  const messages = t('customers.fieldErrors', { returnObjects: true }) as Record<string, string | undefined>;
  const failedField = isApiError(add.error) && add.error.status === 400 && FORM_FIELDS.includes(add.error.field as FormField) ? (add.error.field as FormField) : null;
  const fieldError = (field: FormField): string | undefined => {
    if (field === 'value' && valueMissing) return t('customers.contactPoints.valueRequired');
    if (failedField !== field || !isApiError(add.error)) return undefined;
    return messages[add.error.code] ?? add.error.message;
  };

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
        {!failedField && <ErrorAlert error={add.error} overrides={overrides} />}
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={add.isPending} data-testid="add-contact-point">
            {t('customers.contactPoints.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
