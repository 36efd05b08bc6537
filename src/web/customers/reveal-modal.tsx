import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { customersApi, type RegistryField } from './customers-api.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { useFieldLabel } from './use-field-registry.js';

/** The server's own minimum (`RevealBody.reason`), checked here first so the user is told at once. */
const MIN_REASON_LENGTH = 5;

interface RevealModalProps {
  customerId: string;
  field: RegistryField | null;
  onClose: () => void;
  onRevealed: (values: Record<string, unknown>) => void;
}

/** Asks why before a sensitive value is shown in clear; the server records the reason in the audit trail. */
export function RevealModal({ customerId, field, onClose, onRevealed }: RevealModalProps) {
  const { t } = useTranslation();
  const labelOf = useFieldLabel();
  const label = field ? labelOf(field) : '';
  return (
    <Modal opened={field !== null} onClose={onClose} title={t('customers.reveal.title', { field: label })} centered>
      {field && <RevealForm customerId={customerId} field={field} onClose={onClose} onRevealed={onRevealed} />}
    </Modal>
  );
}

function RevealForm({ customerId, field, onClose, onRevealed }: RevealModalProps & { field: RegistryField }) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);

  const reveal = useMutation({
    mutationFn: () => customersApi.reveal(customerId, [field.key], reason.trim()),
    // The clear value lives in the page's state only, not in a cache that outlives it.
    gcTime: 0,
    onSuccess: (values) => {
      onRevealed(values);
      onClose();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON_LENGTH) return setTooShort(true);
    reveal.mutate();
  };

  const reasonRefused = isApiError(reveal.error) && reveal.error.field === 'reason';
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('customers.reveal.explanation')}</Text>
        <Textarea
          label={t('customers.reveal.reason')}
          description={t('customers.reveal.reasonHint')}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setTooShort(false);
          }}
          error={tooShort || reasonRefused ? t('customers.reveal.reasonTooShort') : undefined}
          required
          withAsterisk={false}
          minLength={MIN_REASON_LENGTH}
          maxLength={500}
          autosize
          minRows={2}
          data-autofocus
        />
        {!reasonRefused && <ErrorAlert error={reveal.error} overrides={overrides} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={reveal.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={reveal.isPending}>
            {t('customers.reveal.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
