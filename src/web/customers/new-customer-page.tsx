import { Button, Group, Paper, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CUSTOMER_KINDS, type CustomerKind } from '../../shared/fields.js';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useCan } from '../auth/use-can.js';
import { EmptyState } from '../ui/empty-state.js';
import { useNotify } from '../ui/notifications.js';
import { CustomerFieldInputs } from './customer-field-inputs.js';
import { CUSTOMER_QUERY_KEYS, customersApi, type RegistryField } from './customers-api.js';
import { useCustomerErrorOverrides, useFieldErrors } from './field-errors.js';
import { focusField } from './focus-field.js';
import { createInput, emptyValues, type FieldProblems, type FormValue, type FormValues } from './form-values.js';
import { fieldsOfKind, useFieldRegistry } from './use-field-registry.js';

/**
 * `/customers/new` — the form is generated from the field registry: one input per field of the
 * chosen kind. A role that may not create customers is told so instead of given a form that cannot work.
 */
export function NewCustomerPage() {
  const { t } = useTranslation();
  const mayCreate = useCan()('customers', 'create');
  if (!mayCreate) {
    return (
      <Stack>
        <Title order={1} size="h2">
          {t('customers.form.title')}
        </Title>
        <EmptyState
          title={t('customers.form.notAllowedTitle')}
          action={
            <Button component={Link} to="/customers" variant="light">
              {t('customers.profile.back')}
            </Button>
          }
        >
          <span data-testid="create-not-allowed">{t('customers.form.notAllowedBody')}</span>
        </EmptyState>
      </Stack>
    );
  }
  return <NewCustomer />;
}

function NewCustomer() {
  const { t } = useTranslation();
  const fields = useFieldRegistry();
  const overrides = useCustomerErrorOverrides();
  const [kind, setKind] = useState<CustomerKind>('person');
  // What was typed for each kind survives switching back and forth.
  const [drafts, setDrafts] = useState<Partial<Record<CustomerKind, FormValues>>>({});

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('customers.form.title')}
      </Title>
      <SegmentedControl
        aria-label={t('customers.form.kind')}
        value={kind}
        onChange={(value) => setKind(value as CustomerKind)}
        data={CUSTOMER_KINDS.map((value) => ({ value, label: t(`customers.kinds.${value}`) }))}
        maw={360}
      />
      {fields.isPending ? (
        <Skeleton h={320} />
      ) : fields.isError ? (
        <ErrorAlert error={fields.error} overrides={overrides} />
      ) : (
        <CreateCustomerForm
          key={kind}
          kind={kind}
          fields={fieldsOfKind(fields.data, kind)}
          draft={drafts[kind]}
          onDraftChange={(values) => setDrafts((current) => ({ ...current, [kind]: values }))}
        />
      )}
    </Stack>
  );
}

interface CreateCustomerFormProps {
  kind: CustomerKind;
  fields: RegistryField[];
  draft: FormValues | undefined;
  onDraftChange: (values: FormValues) => void;
}

function CreateCustomerForm({ kind, fields, draft, onDraftChange }: CreateCustomerFormProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const splitErrors = useFieldErrors();
  const overrides = useCustomerErrorOverrides();
  const values = draft ?? emptyValues(fields);
  const [problems, setProblems] = useState<FieldProblems>({});

  const create = useMutation({
    mutationFn: (input: Record<string, unknown>) => customersApi.create({ ...input, kind }),
    onSuccess: (record) => {
      queryClient.setQueryData(CUSTOMER_QUERY_KEYS.record(record.id), record);
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
      notify(t('customers.form.created'));
      void navigate(`/customers/${encodeURIComponent(record.id)}`);
    },
    onError: (error) => focusField(isApiError(error) ? error.field : undefined),
  });

  const change = (key: string, value: FormValue) => {
    onDraftChange({ ...values, [key]: value });
    setProblems(({ [key]: _fixed, ...rest }) => rest);
    if (create.isError) create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { input, problems: found } = createInput(fields, values);
    setProblems(found);
    if (Object.keys(found).length === 0) create.mutate(input);
    else focusField(fields.find((field) => field.key in found)?.key);
  };

  if (fields.length === 0) return <EmptyState title={t('customers.form.noFields')}>{null}</EmptyState>;
  const { byField, formError } = splitErrors(create.error, problems, fields.map((field) => field.key));

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <CustomerFieldInputs fields={fields} values={values} errors={byField} onChange={change} />
          <ErrorAlert error={formError} overrides={overrides} />
          {Object.keys(byField).length > 0 && (
            <Text size="sm" c="red" role="alert">
              {t('customers.form.fixErrors')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button component={Link} to="/customers" variant="default">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('customers.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
