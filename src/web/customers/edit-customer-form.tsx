import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { CustomerFieldInputs } from './customer-field-inputs.js';
import { CUSTOMER_QUERY_KEYS, customersApi, type CustomerRecord, type RegistryField } from './customers-api.js';
import { useCustomerErrorOverrides, useFieldErrors } from './field-errors.js';
import { focusField } from './focus-field.js';
import { changedInput, formValuesOf, type FieldProblems, type FormValue } from './form-values.js';
import { fieldsOfKind } from './use-field-registry.js';

/** Inline edit with the create form's inputs; sends only what changed (`null` clears a value). */
export function EditCustomerForm({ record, fields, onDone }: { record: CustomerRecord; fields: readonly RegistryField[]; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const splitErrors = useFieldErrors();
  const overrides = useCustomerErrorOverrides();
  const kindFields = fieldsOfKind(fields, record.kind);
  const [initial] = useState(() => formValuesOf(kindFields, record));
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<FieldProblems>({});

  const save = useMutation({
    mutationFn: (changes: Record<string, unknown>) => customersApi.update(record.id, changes),
    onSuccess: (updated) => {
      queryClient.setQueryData(CUSTOMER_QUERY_KEYS.record(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
      notify(t('customers.profile.saved'));
      onDone();
    },
    onError: (error) => focusField(isApiError(error) ? error.field : undefined),
  });

  const change = (key: string, value: FormValue) => {
    setValues((current) => ({ ...current, [key]: value }));
    setProblems(({ [key]: _fixed, ...rest }) => rest);
    if (save.isError) save.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { changes, problems: found } = changedInput(kindFields, initial, values);
    setProblems(found);
    if (Object.keys(found).length > 0) return focusField(kindFields.find((field) => field.key in found)?.key);
    if (Object.keys(changes).length === 0) return onDone();
    save.mutate(changes);
  };

  const { byField, formError } = splitErrors(save.error, problems, kindFields.map((field) => field.key));
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('customers.profile.editTitle')}
          </Title>
          <CustomerFieldInputs fields={kindFields} values={values} errors={byField} onChange={change} current={record} />
          <ErrorAlert error={formError} overrides={overrides} />
          {Object.keys(byField).length > 0 && (
            <Text size="sm" c="red" role="alert">
              {t('customers.form.fixErrors')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone} disabled={save.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
