import { Badge, Box, Button, Checkbox, Group, List, Modal, Stack, Table, Text } from '@mantine/core';
import { useIsMutating, useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { CUSTOMER_QUERY_KEYS, type RegistryField } from '../customers/customers-api.js';
import { SensitivityBadge } from '../customers/sensitivity-badge.js';
import { useFieldLabel, useOptionLabel } from '../customers/use-field-registry.js';
import { useNotify } from '../ui/notifications.js';
import { adminApi } from './admin-api.js';
import { CHOICE_TYPES, draftOf, fieldChanges, readRules, type FieldDraft } from './field-form.js';
import { LabelInputs, OptionsEditor, PurposesInput, RuleInputs, useServerFieldError } from './field-form-inputs.js';
import { FieldRuleBadges } from './field-rule-badges.js';
import { RECLASSIFY_MUTATION_KEY, ReclassifyForm } from './reclassify-field.js';

interface EditFieldModalProps {
  /** The field to edit (a custom one) or to show (a built-in one); null when closed. */
  field: RegistryField | null;
  onClose: () => void;
  purposeSuggestions: readonly string[];
}

/**
 * Edits a custom field's labels, options, purposes, rules and archived state, and changes its
 * class through the reclassification step; shows a built-in field as it is.
 */
export function EditFieldModal({ field, onClose, purposeSuggestions }: EditFieldModalProps) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const [reclassifying, setReclassifying] = useState(false);
  // Closing while the values move would hide the outcome of a change that cannot be stopped.
  const moving = useIsMutating({ mutationKey: RECLASSIFY_MUTATION_KEY }) > 0;
  const close = () => {
    setReclassifying(false);
    onClose();
  };
  const title = !field
    ? ''
    : reclassifying
      ? t('admin.fields.reclassify.title', { label: fieldLabel(field) })
      : t(field.builtIn ? 'admin.fields.viewTitle' : 'admin.fields.editTitle', { label: fieldLabel(field) });

  return (
    <Modal opened={field !== null} onClose={close} title={title} centered size="lg" closeOnEscape={!moving} closeOnClickOutside={!moving} withCloseButton={!moving}>
      {field &&
        (field.builtIn ? (
          <BuiltInDefinition field={field} onClose={close} />
        ) : (
          <>
            {/* Hidden, not unmounted, while the class changes: "Back" finds the edits as they were. */}
            <Box hidden={reclassifying}>
              <EditForm key={`${field.kind}:${field.key}`} field={field} onClose={close} onReclassify={() => setReclassifying(true)} purposeSuggestions={purposeSuggestions} />
            </Box>
            {reclassifying && <ReclassifyForm field={field} onBack={() => setReclassifying(false)} onDone={close} />}
          </>
        ))}
    </Modal>
  );
}

/** What an edit cannot change: key, kind, type and lookup; the class changes only through `onReclassify`. */
function FixedDefinition({ field, onReclassify }: { field: RegistryField; onReclassify?: () => void }) {
  const fieldLabel = useFieldLabel();
  const { t } = useTranslation();
  return (
    <Table variant="vertical" withTableBorder layout="fixed" data-testid="field-definition">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={150}>{t('admin.fields.key')}</Table.Th>
          <Table.Td>
            <Text span ff="monospace" size="sm">
              {field.key}
            </Text>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('admin.fields.kind')}</Table.Th>
          <Table.Td>{t(`customers.kinds.${field.kind}`)}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('admin.fields.type')}</Table.Th>
          <Table.Td>{t(`admin.fields.types.${field.type}`)}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('admin.fields.sensitivity')}</Table.Th>
          <Table.Td>
            <Group gap="xs" justify="space-between">
              <SensitivityBadge sensitivity={field.sensitivity} />
              {onReclassify && (
                <Button size="compact-sm" variant="light" onClick={onReclassify} aria-label={t('admin.fields.reclassify.openLabel', { label: fieldLabel(field) })}>
                  {t('admin.fields.reclassify.open')}
                </Button>
              )}
            </Group>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('admin.fields.lookup')}</Table.Th>
          <Table.Td>{t(`admin.fields.lookups.${field.lookup}`)}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function BuiltInDefinition({ field, onClose }: { field: RegistryField; onClose: () => void }) {
  const { t } = useTranslation();
  const optionLabel = useOptionLabel();
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('admin.fields.builtInReadOnly')}
      </Text>
      <FixedDefinition field={field} />
      <Table variant="vertical" withTableBorder layout="fixed">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={150}>{t('admin.fields.labelEn')}</Table.Th>
            <Table.Td>{field.labels.en}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('admin.fields.labelZh')}</Table.Th>
            <Table.Td>{field.labels['zh-CN']}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('admin.fields.required')}</Table.Th>
            <Table.Td>{field.required ? t('admin.fields.yes') : t('admin.fields.no')}</Table.Td>
          </Table.Tr>
          {field.options && (
            <Table.Tr>
              <Table.Th>{t('admin.fields.options')}</Table.Th>
              <Table.Td>
                <List size="sm">
                  {field.options.map((option) => (
                    <List.Item key={option}>{optionLabel(field, option)}</List.Item>
                  ))}
                </List>
              </Table.Td>
            </Table.Tr>
          )}
          <Table.Tr>
            <Table.Th>{t('admin.fields.rules')}</Table.Th>
            <Table.Td>
              <FieldRuleBadges field={field} />
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('admin.fields.purposes')}</Table.Th>
            <Table.Td>
              {field.purposes.length === 0 ? (
                t('admin.fields.noPurposes')
              ) : (
                <Group gap={4}>
                  {field.purposes.map((purpose) => (
                    <Badge key={purpose} variant="light" color="gray" tt="none">
                      {purpose}
                    </Badge>
                  ))}
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.done')}
        </Button>
      </Group>
    </Stack>
  );
}

interface EditFormProps {
  field: RegistryField;
  onClose: () => void;
  onReclassify: () => void;
  purposeSuggestions: readonly string[];
}

function EditForm({ field, onClose, onReclassify, purposeSuggestions }: EditFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const fieldLabel = useFieldLabel();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<FieldDraft>(() => draftOf(field));
  const [archived, setArchived] = useState(field.archived ?? false);
  const set = <K extends keyof FieldDraft>(name: K, value: FieldDraft[K]) => setDraft((current) => ({ ...current, [name]: value }));
  const saved = useMemo(() => new Set(field.options ?? []), [field.options]);
  const { problems } = readRules(field.type, draft);
  const valid = Object.keys(problems).length === 0 && draft.labelEn.trim() !== '' && draft.labelZh.trim() !== '';
  const changes = fieldChanges(field, { ...draft, archived });
  const changed = Object.keys(changes).length > 0;

  const save = useMutation({
    mutationFn: () => adminApi.updateField(field.kind, field.key, changes),
    onSuccess: (updated) => {
      notify(t('admin.fields.saved', { label: fieldLabel(updated) }));
      void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.fields });
      onClose();
    },
  });
  const { named, errorFor } = useServerFieldError(save.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed && valid) save.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FixedDefinition field={field} onReclassify={onReclassify} />
        <Text size="xs" c="dimmed">
          {t('admin.fields.immutable')}
        </Text>
        <LabelInputs draft={draft} set={set} errorFor={errorFor} autoFocus />
        {CHOICE_TYPES.has(field.type) && <OptionsEditor draft={draft} set={set} saved={saved} error={errorFor('options')} />}
        <PurposesInput draft={draft} set={set} suggestions={purposeSuggestions} error={errorFor('purposes')} />
        <Checkbox label={t('admin.fields.required')} checked={draft.required} onChange={(e) => set('required', e.currentTarget.checked)} error={errorFor('required')} />
        <RuleInputs
          type={field.type}
          draft={draft}
          set={set}
          problems={problems}
          errorFor={errorFor}
          uniqueUnavailable={field.lookup === 'exact' ? undefined : t('admin.fields.uniqueNeedsLookup')}
        />
        <Checkbox label={t('admin.fields.archivedLabel')} description={t('admin.fields.archivedHint')} checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
        {!named && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!changed || !valid}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
