import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useFieldLabel, useFieldRegistry } from '../../customers/use-field-registry.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { useNotify } from '../../ui/notifications.js';
import { backupsApi, type BackupRun, type RecoverResult } from './backups-api.js';
import { MAX_RECOVER_IDS, parseCustomerIds } from './recover-ids.js';

/** Error codes of the recovery, each with words of its own under `admin.backups.recover.errors`. */
const RECOVER_ERRORS = ['invalid_backup_file', 'backup_unreadable', 'backup_not_found', 'customer_not_found', 'customer_deleted', 'customer_erased', 'not_in_backup'] as const;

interface RecoverModalProps {
  /** A succeeded run: its file is what the server restores from. */
  run: BackupRun & { file: string };
  onClose: () => void;
}

/**
 * Single-customer recovery (issue 6, item 5): the administrator pastes customer ids, previews
 * which fields the backup would set back (a dry run: nothing written), then recovers after a
 * confirmation. The preview belongs to the ids it was made for: editing them drops it.
 */
export function RecoverModal({ run, onClose }: RecoverModalProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const parsed = parseCustomerIds(text);
  const idsProblem = parsed.tooMany
    ? t('admin.backups.recover.tooMany', { max: MAX_RECOVER_IDS, total: parsed.ids.length })
    : parsed.invalid.length > 0
      ? t('admin.backups.recover.invalid', { ids: parsed.invalid.join(', ') })
      : undefined;
  const usable = parsed.ids.length > 0 && !idsProblem;

  const preview = useMutation({ mutationFn: (customerIds: string[]) => backupsApi.recover({ file: run.file, customerIds, dryRun: true }) });
  const recover = useMutation({
    mutationFn: (customerIds: string[]) => backupsApi.recover({ file: run.file, customerIds, dryRun: false }),
    onSuccess: async (result) => {
      notify(t('admin.backups.recover.recovered', { total: result.customers.length }));
      onClose();
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: () => setConfirming(false),
  });

  const changeIds = (value: string) => {
    setText(value);
    setConfirming(false);
    preview.reset();
    recover.reset();
  };

  const previewed = preview.data;
  const changedFields = previewed ? previewed.customers.reduce((sum, customer) => sum + customer.fields.length, 0) : 0;
  const busy = preview.isPending || recover.isPending;
  const overrides = Object.fromEntries(RECOVER_ERRORS.map((code) => [code, t(`admin.backups.recover.errors.${code}`)]));

  return (
    <Modal opened onClose={onClose} title={t('admin.backups.recover.title')} size="lg" centered>
      <Stack gap="sm" data-testid="recover-modal">
        <Text size="sm">{t('admin.backups.recover.intro', { date: formatDate(run.startedAt) })}</Text>
        <Textarea
          label={t('admin.backups.recover.ids')}
          description={t('admin.backups.recover.idsHint', { max: MAX_RECOVER_IDS })}
          value={text}
          onChange={(event) => changeIds(event.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={8}
          spellCheck={false}
          data-autofocus
          error={idsProblem}
        />
        {parsed.ids.length > 0 && !idsProblem && (
          <Text size="xs" c="dimmed" data-testid="recover-count">
            {t('admin.backups.recover.count', { total: parsed.ids.length })}
          </Text>
        )}
        <ErrorAlert error={preview.error ?? recover.error} overrides={overrides} />
        {previewed && <Preview result={previewed} changedFields={changedFields} />}
        {confirming && previewed && (
          <Alert color="orange" variant="light" title={t('admin.backups.recover.confirmTitle')} data-testid="recover-confirm">
            {t('admin.backups.recover.confirm', { date: formatDate(previewed.backupCreatedAt) })}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={recover.isPending}>
            {t('common.cancel')}
          </Button>
          {!previewed && (
            <Button onClick={() => preview.mutate(parsed.ids)} loading={preview.isPending} disabled={!usable || busy}>
              {t('admin.backups.recover.preview')}
            </Button>
          )}
          {previewed && !confirming && (
            <Button color="orange" onClick={() => setConfirming(true)} disabled={changedFields === 0}>
              {t('admin.backups.recover.recover')}
            </Button>
          )}
          {previewed && confirming && (
            <Button color="orange" onClick={() => recover.mutate(parsed.ids)} loading={recover.isPending}>
              {t('admin.backups.recover.confirmButton')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

/** The dry run's answer: per customer, the fields the backup would set back, by their labels. */
function Preview({ result, changedFields }: { result: RecoverResult; changedFields: number }) {
  const { t } = useTranslation();
  const registry = useFieldRegistry();
  const fieldLabel = useFieldLabel();
  // The answer names fields by key only; a key means the same field whatever the customer's kind.
  const labelOf = (key: string) => {
    const field = registry.data?.find((each) => each.key === key);
    // A field no longer defined (a custom field deleted since the backup) by its key.
    return field ? fieldLabel(field) : key;
  };
  return (
    <Paper withBorder radius="md" p="sm" data-testid="recover-preview">
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          {changedFields === 0 ? t('admin.backups.recover.nothingToRecover') : t('admin.backups.recover.previewSummary', { customers: result.customers.length, fields: changedFields })}
        </Text>
        <ScrollArea.Autosize mah={280} type="auto">
          <Stack gap={6}>
            {result.customers.map((customer) => (
              <div key={customer.id} data-testid="recover-customer" data-id={customer.id}>
                <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {customer.id}
                </Text>
                {customer.fields.length === 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('admin.backups.recover.unchanged')}
                  </Text>
                ) : registry.isPending ? (
                  // Labels, not keys: a key flashing before the definitions arrive reads as a glitch.
                  <Skeleton height={18} width={120} radius="sm" />
                ) : (
                  <Group gap={4}>
                    {customer.fields.map((key) => (
                      <Badge key={key} variant="light" size="sm" tt="none" data-field={key}>
                        {labelOf(key)}
                      </Badge>
                    ))}
                  </Group>
                )}
              </div>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Stack>
    </Paper>
  );
}
