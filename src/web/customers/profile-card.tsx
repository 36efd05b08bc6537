import { Alert, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../i18n/use-format-date.js';
import { CompanyLink } from './company-link.js';
import { OwnerLine } from './owner-line.js';
import type { CustomerRecord, RegistryField } from './customers-api.js';
import { RevealModal } from './reveal-modal.js';
import { MaskedMark, SensitivityBadge } from './sensitivity-badge.js';
import { isMaskedField, useFieldLabel } from './use-field-registry.js';
import { useFormatFieldValue } from './use-format-field-value.js';

/** The record's own properties, not field values (the owner has a line of its own; `allowed` says what the user may do). */
const RECORD_KEYS = new Set(['id', 'kind', 'createdAt', 'updatedAt', 'ownerId', 'allowed']);

const hasValue = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Registry fields of the record's kind that hold a value, in registry order; keys the registry does not know, last. */
function shownFields(record: CustomerRecord, fields: readonly RegistryField[]): RegistryField[] {
  const ofKind = fields.filter((field) => field.kind === record.kind);
  const known = new Set(ofKind.map((field) => field.key));
  const unknown: RegistryField[] = Object.keys(record)
    .filter((key) => !RECORD_KEYS.has(key) && !known.has(key))
    .map((key) => ({ key, kind: record.kind, type: 'text', labels: { en: key, 'zh-CN': key }, sensitivity: 'internal', required: false, lookup: 'none', purposes: [], builtIn: false }));
  return [...ofKind, ...unknown].filter((field) => hasValue(record[field.key]));
}

/**
 * Every field that has a value, with its label and class. Sensitive values arrive masked; a
 * reveal (with a reason, audited on the server; offered to roles that may reveal) shows one in
 * clear, held only in this component's state and gone when the page is left.
 */
export function ProfileCard({ record, fields }: { record: CustomerRecord; fields: readonly RegistryField[] }) {
  const { t } = useTranslation();
  const labelOf = useFieldLabel();
  const formatValue = useFormatFieldValue();
  const formatDate = useFormatDate();
  // A reveal needs its own permission over this record: without it the masked value is all there is.
  const mayReveal = record.allowed?.reveal ?? false;
  const [revealed, setRevealed] = useState<Record<string, unknown>>({});
  const [revealing, setRevealing] = useState<RegistryField | null>(null);
  const rows = shownFields(record, fields);
  const anyRevealed = Object.keys(revealed).length > 0;

  const hide = (key: string) => setRevealed(({ [key]: _hidden, ...rest }) => rest);

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }}>
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('customers.profile.title')}
        </Title>
        {anyRevealed && (
          <Alert color="orange" variant="light" data-testid="reveal-notice">
            {t('customers.profile.revealedNotice')}
          </Alert>
        )}
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('customers.profile.empty')}
          </Text>
        ) : (
          <Stack gap="sm">
            {rows.map((field) => {
              const masked = isMaskedField(field);
              const isRevealed = field.key in revealed;
              const value = formatValue(field, isRevealed ? revealed[field.key] : record[field.key]);
              return (
                <Grid key={field.key} gutter={{ base: 2, sm: 'md' }} align="center">
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" c="dimmed" id={`customer-label-${field.key}`}>
                        {labelOf(field)}
                      </Text>
                      {masked && <SensitivityBadge sensitivity={field.sensitivity} />}
                    </Group>
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 8 }}>
                    <Group gap="xs" wrap="nowrap" align="center">
                      <Text
                        size="sm"
                        data-testid={`customer-field-${field.key}`}
                        aria-labelledby={`customer-label-${field.key}`}
                        ff={masked ? 'monospace' : undefined}
                        style={{ wordBreak: 'break-word', whiteSpace: field.type === 'long_text' ? 'pre-wrap' : undefined }}
                      >
                        {field.type === 'company' && typeof record[field.key] === 'string' ? <CompanyLink id={record[field.key] as string} /> : value}
                      </Text>
                      {masked && !isRevealed && <MaskedMark />}
                      {masked &&
                        mayReveal &&
                        (isRevealed ? (
                          <Button size="compact-xs" variant="subtle" onClick={() => hide(field.key)}>
                            {t('customers.profile.hide')}
                          </Button>
                        ) : (
                          <Button
                            size="compact-xs"
                            variant="light"
                            color="orange"
                            data-testid={`reveal-${field.key}`}
                            aria-label={t('customers.profile.revealLabel', { field: labelOf(field) })}
                            onClick={() => setRevealing(field)}
                          >
                            {t('customers.profile.reveal')}
                          </Button>
                        ))}
                    </Group>
                  </Grid.Col>
                </Grid>
              );
            })}
          </Stack>
        )}
        <OwnerLine record={record} />
        <Text size="xs" c="dimmed">
          {t('customers.profile.created')}: {formatDate(record.createdAt)} · {t('customers.profile.updated')}: {formatDate(record.updatedAt)}
        </Text>
      </Stack>
      <RevealModal
        customerId={record.id}
        field={revealing}
        onClose={() => setRevealing(null)}
        onRevealed={(values) => setRevealed((current) => ({ ...current, ...values }))}
      />
    </Paper>
  );
}
