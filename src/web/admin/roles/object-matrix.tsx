import { NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIONS, OBJECTS, SCOPES, type Action, type ObjectKey, type RolePermissions, type Scope } from '../../../shared/permissions.js';
import { scopeOf } from './permission-draft.js';
import { ScopeLegend } from './scope-badge.js';

/** The object names stay in view while the actions scroll sideways on a phone. */
const STICKY: CSSProperties = { position: 'sticky', left: 0, zIndex: 1, background: 'var(--mantine-color-body)' };
/** Marks a cell the draft changed, until it is saved or discarded. */
export const CHANGED_BG = 'var(--mantine-color-yellow-light)';

interface ObjectMatrixProps {
  saved: RolePermissions;
  draft: RolePermissions;
  readOnly: boolean;
  onChange: (object: ObjectKey, action: Action, scope: Scope) => void;
}

/** Objects × actions, a scope per cell; cells changed since the last save are marked. */
export function ObjectMatrix({ saved, draft, readOnly, onChange }: ObjectMatrixProps) {
  const { t } = useTranslation();
  const scopes = SCOPES.map((scope) => ({ value: scope, label: t(`admin.roles.scopes.${scope}`) }));
  return (
    <Stack gap="sm">
      <div>
        <Title order={3} size="h4">
          {t('admin.roles.objectsTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.roles.objectsHint')}
        </Text>
      </div>
      <Table.ScrollContainer minWidth={940}>
        <Table verticalSpacing={6} horizontalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={STICKY}>{t('admin.roles.object')}</Table.Th>
              {ACTIONS.map((action) => (
                <Table.Th key={action}>{t(`admin.roles.actions.${action}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {OBJECTS.map((object) => (
              <Table.Tr key={object}>
                <Table.Th scope="row" style={STICKY}>
                  {t(`admin.roles.objects.${object}`)}
                </Table.Th>
                {ACTIONS.map((action) => {
                  const value = scopeOf(draft, object, action);
                  const changed = value !== scopeOf(saved, object, action);
                  return (
                    <Table.Td key={action} bg={changed ? CHANGED_BG : undefined} data-changed={changed || undefined}>
                      <NativeSelect
                        size="xs"
                        aria-label={t('admin.roles.cellLabel', { object: t(`admin.roles.objects.${object}`), action: t(`admin.roles.actions.${action}`) })}
                        value={value}
                        data={scopes}
                        disabled={readOnly}
                        onChange={(event) => onChange(object, action, event.currentTarget.value as Scope)}
                      />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ScopeLegend />
    </Stack>
  );
}
