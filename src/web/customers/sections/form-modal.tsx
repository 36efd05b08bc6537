import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useCustomerErrorOverrides } from '../field-errors.js';

interface FormModalProps {
  opened: boolean;
  title: string;
  submitLabel: string;
  loading: boolean;
  /** A failure not about one input (those are said under the input). */
  error: unknown;
  testId: string;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A section's add or edit form in a dialog: the inputs, what went wrong, cancel and save. Full screen on a phone. */
export function FormModal({ opened, title, submitLabel, loading, error, testId, onSubmit, onClose, children }: FormModalProps) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  const phone = useMediaQuery('(max-width: 36em)');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" fullScreen={phone} centered>
      <form onSubmit={submit} noValidate data-testid={testId}>
        <Stack gap="sm">
          {children}
          <ErrorAlert error={error} overrides={overrides} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={loading}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={loading} data-testid={`${testId}-submit`}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
