import { Alert, Button, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '../../api/error-alert.js';
import { useWorkspaceRoles } from '../role-name.js';
import { NewRoleModal } from './new-role-modal.js';
import { RoleEditor } from './role-editor.js';
import { RolesOverview } from './roles-overview.js';

/** What a new role copies when no role is chosen: the everyday seller's permissions. */
const DEFAULT_TEMPLATE = 'sales_rep';

/** `/admin/roles/:key?` — every role at a glance, and the chosen role's full permission matrix. */
export function RolesPage() {
  const { t } = useTranslation();
  const { key } = useParams();
  const roles = useWorkspaceRoles();
  const [newFrom, setNewFrom] = useState<string | null>(null);
  const selected = key === undefined ? undefined : roles.data?.find((role) => role.key === key);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('admin.roles.title')}
        </Title>
        <Button onClick={() => setNewFrom(selected?.key ?? DEFAULT_TEMPLATE)} disabled={!roles.data}>
          {t('admin.roles.new')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" maw={720}>
        {t('admin.roles.intro')}
      </Text>
      {roles.isPending && <Skeleton h={320} />}
      <ErrorAlert error={roles.error} />
      {roles.data && (
        <>
          <RolesOverview roles={roles.data} selectedKey={key} />
          {key === undefined ? (
            <Text c="dimmed" size="sm">
              {t('admin.roles.choose')}
            </Text>
          ) : selected ? (
            <RoleEditor key={selected.key} role={selected} onCopy={() => setNewFrom(selected.key)} />
          ) : (
            <Alert color="yellow" variant="light">
              {t('admin.roles.notFound', { key })}
            </Alert>
          )}
        </>
      )}
      {roles.data && newFrom !== null && <NewRoleModal roles={roles.data} copyFrom={newFrom} onClose={() => setNewFrom(null)} />}
    </Stack>
  );
}
