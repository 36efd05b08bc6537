import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import { useNotify } from '../../ui/notifications.js';
import { ADMIN_QUERY_KEYS, adminApi } from '../admin-api.js';
import { summarizeKeys } from './key-summary.js';

/**
 * Says what a rotation does before it is done. The server asks for the user's password or
 * code again when their last proof is older than a few minutes (the API client shows that step).
 */
export function RotateKeyDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: adminApi.rotateKey,
    onSuccess: (overview) => {
      queryClient.setQueryData(ADMIN_QUERY_KEYS.keys, overview);
      notify(t('admin.keys.rotated', { version: summarizeKeys(overview.keys).currentDataVersion }));
      close();
    },
  });
  const steps = t('admin.keys.rotateConfirm.steps', { returnObjects: true });

  function close() {
    rotate.reset();
    onClose();
  }

  return (
    <Modal opened={opened} onClose={close} title={t('admin.keys.rotateConfirm.title')} centered size="lg">
      <Stack>
        <Text size="sm">{t('admin.keys.rotateConfirm.intro')}</Text>
        <List size="sm" spacing="xs" type="ordered">
          {steps.map((step) => (
            <List.Item key={step}>{step}</List.Item>
          ))}
        </List>
        <ErrorAlert error={rotate.error} overrides={t('admin.keys.errors', { returnObjects: true })} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={rotate.isPending}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => rotate.mutate()} loading={rotate.isPending}>
            {t('admin.keys.rotateConfirm.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
