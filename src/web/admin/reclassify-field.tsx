import { Alert, Button, Group, List, Loader, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SENSITIVITY_CLASSES, type Sensitivity } from '../../shared/fields.js';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import type { RegistryField } from '../customers/customers-api.js';
import { SensitivityBadge } from '../customers/sensitivity-badge.js';
import { useFieldLabel } from '../customers/use-field-registry.js';
import { useNotify } from '../ui/notifications.js';
import { adminApi } from './admin-api.js';
import { classChange, FIELD_LIMITS, MIN_REASON_LENGTH, reclassifyEffects } from './field-form.js';

/** Lets the modal around the form refuse to close while the values move (`useIsMutating`). */
export const RECLASSIFY_MUTATION_KEY = ['admin', 'fields', 'reclassify'] as const;

interface ReclassifyFormProps {
  field: RegistryField;
  onBack: () => void;
  /** After the values moved: the field in the modal is stale, so the modal closes. */
  onDone: () => void;
}

/**
 * Changing a custom field's class: the audited re-encryption step. The admin picks the new
 * class, reads what happens to the stored values, states a reason (recorded in the audit
 * trail) and, when the class goes down, confirms once more. The server moves every value in
 * one transaction, which on a big workspace takes a while: the form says so while it runs.
 */
export function ReclassifyForm({ field, onBack, onDone }: ReclassifyFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const fieldLabel = useFieldLabel();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<Sensitivity | null>(null);
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const change = target ? classChange(field.sensitivity, target) : null;

  const reclassify = useMutation({
    mutationKey: RECLASSIFY_MUTATION_KEY,
    mutationFn: (to: Sensitivity) => adminApi.reclassifyField(field.kind, field.key, { sensitivity: to, reason: reason.trim() }),
    onSuccess: ({ field: updated, moved }) => {
      notify(t('admin.fields.reclassify.done', { label: fieldLabel(updated), sensitivity: t(`customers.sensitivity.${updated.sensitivity}`), count: moved }));
      // Values moved between storage places: the registry, lists and records shown are all stale.
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onDone();
    },
    onError: () => setConfirming(false),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target || !change) return;
    if (reason.trim().length < MIN_REASON_LENGTH) return setTooShort(true);
    if (change === 'lower' && !confirming) return setConfirming(true);
    reclassify.mutate(target);
  };

  const errorField = isApiError(reclassify.error) ? reclassify.error.field : undefined;
  const messages = t('admin.fields.errors', { returnObjects: true }) as Record<string, string | undefined>;
  const serverError = (input: 'sensitivity' | 'reason') =>
    errorField === input && isApiError(reclassify.error) ? (messages[reclassify.error.code] ?? reclassify.error.message) : undefined;
  const running = reclassify.isPending;
  const decrypting = reclassifyEffects(field.sensitivity, target ?? field.sensitivity).includes('decrypt');

  return (
    <form onSubmit={submit} noValidate data-testid="reclassify-form">
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {t('admin.fields.reclassify.current')}
          </Text>
          <SensitivityBadge sensitivity={field.sensitivity} />
        </Group>
        <Radio.Group
          label={t('admin.fields.reclassify.target')}
          description={t('admin.fields.reclassify.targetHint')}
          value={target}
          onChange={(value) => {
            setTarget(value as Sensitivity);
            setConfirming(false);
            if (reclassify.isError) reclassify.reset();
          }}
          error={serverError('sensitivity')}
        >
          <Stack gap={8} mt={6}>
            {SENSITIVITY_CLASSES.map((sensitivity, index) => (
              <Radio
                key={sensitivity}
                value={sensitivity}
                disabled={sensitivity === field.sensitivity || running || confirming}
                autoFocus={index === (field.sensitivity === SENSITIVITY_CLASSES[0] ? 1 : 0)}
                label={sensitivity === field.sensitivity ? t('admin.fields.reclassify.currentOption', { sensitivity: t(`customers.sensitivity.${sensitivity}`) }) : t(`customers.sensitivity.${sensitivity}`)}
                description={t(`customers.sensitivityHelp.${sensitivity}`)}
              />
            ))}
          </Stack>
        </Radio.Group>
        {target && change && (
          <Alert
            color={change === 'lower' ? 'red' : 'blue'}
            variant="light"
            title={t(change === 'lower' ? 'admin.fields.reclassify.lowerTitle' : 'admin.fields.reclassify.raiseTitle')}
            data-testid="reclassify-effects"
          >
            <List size="sm" spacing={4}>
              {reclassifyEffects(field.sensitivity, target).map((effect) => (
                <List.Item key={effect}>{t(`admin.fields.reclassify.effects.${effect}`)}</List.Item>
              ))}
              <List.Item>{t('admin.fields.reclassify.audited')}</List.Item>
              <List.Item>{t('admin.fields.reclassify.oneTransaction')}</List.Item>
            </List>
          </Alert>
        )}
        <Textarea
          label={t('admin.fields.reclassify.reason')}
          description={t('admin.fields.reclassify.reasonHint')}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setTooShort(false);
          }}
          error={tooShort ? t('admin.fields.reclassify.reasonTooShort') : serverError('reason')}
          required
          withAsterisk={false}
          minLength={MIN_REASON_LENGTH}
          maxLength={FIELD_LIMITS.reason}
          autosize
          minRows={2}
          readOnly={running || confirming}
        />
        {errorField !== 'sensitivity' && errorField !== 'reason' && <ErrorAlert error={reclassify.error} />}
        {running && (
          <Group gap="sm" wrap="nowrap" role="status" data-testid="reclassify-running">
            <Loader size="sm" />
            <Text size="sm">{t('admin.fields.reclassify.running')}</Text>
          </Group>
        )}
        {confirming ? (
          <Alert color="red" variant="outline" title={t('admin.fields.reclassify.confirmTitle')} data-testid="reclassify-confirm">
            <Stack gap="sm">
              <Text size="sm">{t(decrypting ? 'admin.fields.reclassify.confirmDecrypt' : 'admin.fields.reclassify.confirmLower')}</Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)} disabled={running}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" color="red" loading={running}>
                  {t('admin.fields.reclassify.confirm')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Group justify="flex-end">
            <Button variant="default" onClick={onBack} disabled={running}>
              {t('admin.fields.reclassify.back')}
            </Button>
            <Button type="submit" color={change === 'lower' ? 'red' : undefined} loading={running} disabled={!change}>
              {t('admin.fields.reclassify.submit')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
