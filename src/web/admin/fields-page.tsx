import { Badge, Button, Group, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SENSITIVITY_CLASSES, type Sensitivity } from '../../shared/fields.js';
import { ErrorAlert } from '../api/error-alert.js';
import { CUSTOMER_QUERY_KEYS, type RegistryField } from '../customers/customers-api.js';
import { SensitivityBadge } from '../customers/sensitivity-badge.js';
import { useFieldLabel, useFieldRegistry } from '../customers/use-field-registry.js';
import { EmptyState } from '../ui/empty-state.js';
import { useNotify } from '../ui/notifications.js';
import { AddFieldModal } from './add-field-modal.js';
import { adminApi } from './admin-api.js';
import { EditFieldModal } from './edit-field-modal.js';
import { FieldRuleBadges } from './field-rule-badges.js';

/** Most protected first: the order an auditor reads the classification in. */
const CLASS_ORDER: readonly Sensitivity[] = [...SENSITIVITY_CLASSES].reverse();

/** `/admin/fields` — every customer field, built-in and custom, grouped by data class. */
export function FieldsPage() {
  const { t } = useTranslation();
  const [addOpened, add] = useDisclosure(false);
  const [editing, setEditing] = useState<RegistryField | null>(null);
  const fields = useFieldRegistry();
  const purposeSuggestions = useMemo(() => [...new Set((fields.data ?? []).flatMap((field) => field.purposes))].sort(), [fields.data]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.fields.title')}
        </Title>
        <Button onClick={add.open}>{t('admin.fields.add')}</Button>
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.fields.intro')}
      </Text>
      {fields.isPending && <Skeleton h={240} />}
      <ErrorAlert error={fields.error} />
      {fields.data &&
        (fields.data.length === 0 ? (
          <EmptyState title={t('admin.fields.emptyTitle')}>{t('admin.fields.emptyBody')}</EmptyState>
        ) : (
          CLASS_ORDER.map((sensitivity) => (
            <ClassSection key={sensitivity} sensitivity={sensitivity} fields={fields.data.filter((field) => field.sensitivity === sensitivity)} onOpen={setEditing} />
          ))
        ))}
      <AddFieldModal opened={addOpened} onClose={add.close} purposeSuggestions={purposeSuggestions} />
      <EditFieldModal field={editing} onClose={() => setEditing(null)} purposeSuggestions={purposeSuggestions} />
    </Stack>
  );
}

/** `onOpen` shows a field in the edit modal (read-only for a built-in one). */
function ClassSection({ sensitivity, fields, onOpen }: { sensitivity: Sensitivity; fields: RegistryField[]; onOpen: (field: RegistryField) => void }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: ({ field, archived }: { field: RegistryField; archived: boolean }) => adminApi.setFieldArchived(field.kind, field.key, archived),
    onSuccess: (_data, { field, archived }) => {
      notify(archived ? t('admin.fields.archivedNotice', { label: fieldLabel(field) }) : t('admin.fields.unarchivedNotice', { label: fieldLabel(field) }));
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.fields });
    },
  });
  const headingId = `fields-class-${sensitivity}`;

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId} data-testid="field-class" data-sensitivity={sensitivity}>
      <Group gap="xs" mt="sm">
        <Title order={2} size="h4" id={headingId}>
          {t(`customers.sensitivity.${sensitivity}`)}
        </Title>
        <SensitivityBadge sensitivity={sensitivity} />
      </Group>
      <Text size="sm" c="dimmed">
        {t(`customers.sensitivityHelp.${sensitivity}`)}
      </Text>
      {fields.length === 0 ? (
        <Text size="sm" c="dimmed" fs="italic">
          {t('admin.fields.noneInClass')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.fields.label')}</Table.Th>
                <Table.Th>{t('admin.fields.key')}</Table.Th>
                <Table.Th>{t('admin.fields.kind')}</Table.Th>
                <Table.Th>{t('admin.fields.type')}</Table.Th>
                <Table.Th>{t('admin.fields.lookup')}</Table.Th>
                <Table.Th>{t('admin.fields.rules')}</Table.Th>
                <Table.Th>{t('admin.fields.origin')}</Table.Th>
                <Table.Th>{t('admin.fields.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {fields.map((field) => {
                const busy = archive.isPending && archive.variables.field.kind === field.kind && archive.variables.field.key === field.key;
                return (
                  <Table.Tr key={`${field.kind}:${field.key}`} data-testid="field-row" data-kind={field.kind} data-key={field.key}>
                    <Table.Td>
                      {fieldLabel(field)}
                      {field.required && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          {t('admin.fields.requiredMark')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text span ff="monospace" size="sm">
                        {field.key}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t(`customers.kinds.${field.kind}`)}</Table.Td>
                    <Table.Td>{t(`admin.fields.types.${field.type}`)}</Table.Td>
                    <Table.Td>{t(`admin.fields.lookups.${field.lookup}`)}</Table.Td>
                    <Table.Td>
                      <FieldRuleBadges field={field} />
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={field.builtIn ? 'gray' : 'violet'} miw="max-content">
                        {field.builtIn ? t('admin.fields.builtIn') : t('admin.fields.custom')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {field.archived ? (
                        <Badge variant="light" color="gray" miw="max-content">
                          {t('admin.fields.archived')}
                        </Badge>
                      ) : (
                        <Badge variant="light" color="teal" miw="max-content">
                          {t('admin.fields.active')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        aria-label={field.builtIn ? t('admin.fields.viewLabel', { label: fieldLabel(field) }) : t('admin.fields.editLabel', { label: fieldLabel(field) })}
                        onClick={() => onOpen(field)}
                      >
                        {field.builtIn ? t('admin.fields.view') : t('admin.fields.edit')}
                      </Button>
                      {!field.builtIn && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color={field.archived ? undefined : 'red'}
                          loading={busy}
                          aria-label={field.archived ? t('admin.fields.unarchiveLabel', { label: fieldLabel(field) }) : t('admin.fields.archiveLabel', { label: fieldLabel(field) })}
                          onClick={() => archive.mutate({ field, archived: !field.archived })}
                        >
                          {field.archived ? t('admin.fields.unarchive') : t('admin.fields.archive')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ErrorAlert error={archive.error} />
    </Stack>
  );
}
