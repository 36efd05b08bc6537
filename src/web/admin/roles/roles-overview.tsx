import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { OBJECTS, type RoleDefinition } from '../../../shared/permissions.js';
import { useRoleName } from '../role-name.js';
import { scopeOf } from './permission-draft.js';
import { ScopeBadge } from './scope-badge.js';

/** Every role's read scope per kind of data, read-only: the list of roles, and a picture of who sees what. */
export function RolesOverview({ roles, selectedKey }: { roles: readonly RoleDefinition[]; selectedKey: string | undefined }) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="roles-overview-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="roles-overview-title">
          {t('admin.roles.overviewTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.roles.overviewHint')}
        </Text>
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing={6} highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.roles.role')}</Table.Th>
                {OBJECTS.map((object) => (
                  <Table.Th key={object}>{t(`admin.roles.objects.${object}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roles.map((role) => {
                const selected = role.key === selectedKey;
                return (
                  <Table.Tr key={role.key} data-testid="role-overview-row" data-role={role.key} bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
                    <Table.Th scope="row" fw={selected ? 700 : 500}>
                      <Group gap={6} wrap="nowrap">
                        <Anchor component={Link} to={`/admin/roles/${encodeURIComponent(role.key)}`} aria-current={selected ? 'page' : undefined} size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {roleName(role.key)}
                        </Anchor>
                        <Badge size="xs" variant="light" color={role.builtIn ? 'gray' : 'violet'} miw="max-content">
                          {role.builtIn ? t('admin.roles.builtIn') : t('admin.roles.custom')}
                        </Badge>
                      </Group>
                    </Table.Th>
                    {OBJECTS.map((object) => (
                      <Table.Td key={object}>
                        <ScopeBadge scope={scopeOf(role.permissions, object, 'read')} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}
