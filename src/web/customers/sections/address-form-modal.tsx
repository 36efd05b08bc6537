import { NativeSelect, SimpleGrid, Switch, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADDRESS_TYPES, sectionsApi, type Address, type AddressPart, type AddressType } from '../sections-api.js';
import { addressChanges, addressFormOf, addressInput, emptyAddressForm, maskedParts, streetMissing, type AddressFormValues } from './address-form.js';
import { useCountryOptions } from './countries.js';
import { FormModal } from './form-modal.js';
import { useInputErrors } from './use-input-errors.js';

/** Inputs the server may name in a refusal. */
const INPUTS = ['type', 'country', 'label', 'region', 'city', 'district', 'street', 'postalCode'] as const;
/** The server's bounds are checked there; these keep typing within reason. */
const MAX_LENGTH: Record<AddressPart, number> = { label: 40, region: 100, city: 100, district: 100, street: 300, postalCode: 20 };

interface AddressFormModalProps {
  customerId: string;
  /** The address being edited; null to add one. */
  editing: Address | null;
  /** A customer's first address is their primary one. */
  firstAddress: boolean;
  onClose: () => void;
  onSaved: (editing: boolean) => void;
}

/** Adds or edits one address. Masked parts are write-only: left empty, they keep their value. */
export function AddressFormModal({ customerId, editing, firstAddress, onClose, onSaved }: AddressFormModalProps) {
  const { t } = useTranslation();
  const countries = useCountryOptions();
  const [values, setValues] = useState<AddressFormValues>(() => (editing ? addressFormOf(editing) : emptyAddressForm(firstAddress)));
  const [showMissing, setShowMissing] = useState(false);
  const masked = editing ? maskedParts(editing) : new Set<AddressPart>();

  const save = useMutation({
    mutationFn: () => (editing ? sectionsApi.updateAddress(customerId, editing.id, addressChanges(editing, values)) : sectionsApi.addAddress(customerId, addressInput(values))),
    onSuccess: () => onSaved(editing !== null),
  });
  const { inputError, formError } = useInputErrors(save.error, INPUTS);

  const set = <K extends keyof AddressFormValues>(key: K, value: AddressFormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    if (save.error) save.reset();
  };

  const submit = () => {
    if (streetMissing(values, editing)) return setShowMissing(true);
    save.mutate();
  };

  const partInput = (part: AddressPart, extra: { required?: boolean; placeholder?: string } = {}) => (
    <TextInput
      label={t(`customers.sections.addresses.parts.${part}`)}
      value={values[part]}
      onChange={(event) => {
        set(part, event.currentTarget.value);
        if (part === 'street') setShowMissing(false);
      }}
      placeholder={masked.has(part) ? (editing?.[part] ?? undefined) : extra.placeholder}
      description={masked.has(part) ? t('customers.form.keepCurrent') : undefined}
      error={part === 'street' && showMissing ? t('customers.sections.addresses.streetRequired') : inputError(part)}
      maxLength={MAX_LENGTH[part]}
      autoComplete="off"
      data-field={part}
    />
  );

  return (
    <FormModal
      opened
      title={t(editing ? 'customers.sections.addresses.editTitle' : 'customers.sections.addresses.addTitle')}
      submitLabel={t(editing ? 'common.save' : 'customers.sections.addresses.add')}
      loading={save.isPending}
      error={formError}
      testId="address-form"
      onSubmit={submit}
      onClose={onClose}
    >
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <NativeSelect
          label={t('customers.sections.addresses.type')}
          value={values.type}
          onChange={(event) => set('type', event.currentTarget.value as AddressType)}
          data={ADDRESS_TYPES.map((type) => ({ value: type, label: t(`customers.sections.addresses.types.${type}`) }))}
          error={inputError('type')}
        />
        {partInput('label', { placeholder: t('customers.sections.addresses.labelPlaceholder') })}
      </SimpleGrid>
      <NativeSelect
        label={t('customers.sections.addresses.country')}
        value={values.country}
        onChange={(event) => set('country', event.currentTarget.value)}
        data={countries}
        error={inputError('country')}
        data-field="country"
      />
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {partInput('region')}
        {partInput('city')}
        {partInput('district')}
      </SimpleGrid>
      {partInput('street')}
      {partInput('postalCode')}
      <Switch
        label={t('customers.sections.addresses.primarySwitch')}
        description={t('customers.sections.addresses.primaryHint')}
        checked={values.primary}
        disabled={editing?.primary === true}
        onChange={(event) => set('primary', event.currentTarget.checked)}
      />
    </FormModal>
  );
}
