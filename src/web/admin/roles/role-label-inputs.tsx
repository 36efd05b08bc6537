import { SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error.js';
import { useErrorMessage } from '../../api/use-error-message.js';
import { ROLE_LABEL_MAX } from './role-key.js';
import type { RoleLabels } from './roles-api.js';

/** The role's name in both interface languages; both are required. */
export function RoleLabelInputs({
  labels,
  onChange,
  errors,
}: {
  labels: RoleLabels;
  onChange: (labels: RoleLabels) => void;
  errors: { en?: string; 'zh-CN'?: string };
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label={t('admin.roles.create.labelEn')}
        value={labels.en}
        onChange={(event) => onChange({ ...labels, en: event.currentTarget.value })}
        maxLength={ROLE_LABEL_MAX}
        required
        data-autofocus
        error={errors.en}
      />
      <TextInput
        label={t('admin.roles.create.labelZh')}
        value={labels['zh-CN']}
        onChange={(event) => onChange({ ...labels, 'zh-CN': event.currentTarget.value })}
        maxLength={ROLE_LABEL_MAX}
        required
        error={errors['zh-CN']}
      />
    </SimpleGrid>
  );
}

export const trimLabels = (labels: RoleLabels): RoleLabels => ({ en: labels.en.trim(), 'zh-CN': labels['zh-CN'].trim() });

/**
 * Where a failed save belongs: the server names the input (`key`, `labels.en`, …). Returns the
 * sentence for an input, or undefined when the error is about another one.
 */
export function useServerErrorFor(error: unknown): (field: string) => string | undefined {
  const describe = useErrorMessage();
  return (field) => (isApiError(error) && error.field === field ? describe(error) : undefined);
}
