import { Button, Group, List, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RELATIONS, type FieldAccess } from '../../../shared/permissions.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { compactAccess, type PermissionChange } from './permission-draft.js';

interface SaveBarProps {
  changes: readonly PermissionChange[];
  saving: boolean;
  error: unknown;
  onSave: () => void;
  onDiscard: () => void;
}

/** Stays at the bottom of the screen while a role has unsaved changes, and says what they are. */
export function SaveBar({ changes, saving, error, onSave, onDiscard }: SaveBarProps) {
  const { t } = useTranslation();
  const describe = useDescribeChange();
  return (
    <Paper withBorder shadow="md" p="sm" pos="sticky" bottom={8} style={{ zIndex: 3 }} role="region" aria-label={t('admin.roles.unsaved', { count: changes.length })} data-testid="save-bar">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text fw={600} size="sm">
            {t('admin.roles.unsaved', { count: changes.length })}
          </Text>
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={onDiscard} disabled={saving}>
              {t('admin.roles.discard')}
            </Button>
            <Button size="xs" onClick={onSave} loading={saving}>
              {t('admin.roles.save')}
            </Button>
          </Group>
        </Group>
        <ScrollArea.Autosize mah={96} type="auto">
          <List size="xs" spacing={2}>
            {changes.map((change) => (
              <List.Item key={changeKey(change)}>{describe(change)}</List.Item>
            ))}
          </List>
        </ScrollArea.Autosize>
        <ErrorAlert error={error} />
      </Stack>
    </Paper>
  );
}

function changeKey(change: PermissionChange): string {
  switch (change.kind) {
    case 'scope':
      return `scope:${change.object}:${change.action}`;
    case 'class':
      return `class:${change.sensitivity}`;
    case 'field':
      return `field:${change.field}`;
    case 'capability':
      return `capability:${change.capability}`;
  }
}

/** One change in words: "Customers · Export: None → Team". */
function useDescribeChange(): (change: PermissionChange) => string {
  const { t } = useTranslation();
  const access = (value: FieldAccess) => {
    const compact = compactAccess(value);
    if (typeof compact === 'string') return t(`admin.roles.levels.${compact}`);
    return RELATIONS.map((relation) => `${t(`admin.roles.relations.${relation}`)} ${t(`admin.roles.levels.${compact[relation]}`)}`).join(' / ');
  };
  return (change) => {
    switch (change.kind) {
      case 'scope':
        return t('admin.roles.changes.scope', {
          object: t(`admin.roles.objects.${change.object}`),
          action: t(`admin.roles.actions.${change.action}`),
          from: t(`admin.roles.scopes.${change.from}`),
          to: t(`admin.roles.scopes.${change.to}`),
        });
      case 'class':
        return t('admin.roles.changes.class', { class: t(`customers.sensitivity.${change.sensitivity}`), from: access(change.from), to: access(change.to) });
      case 'field':
        if (change.to === null) return t('admin.roles.changes.fieldRemoved', { field: change.field });
        if (change.from === null) return t('admin.roles.changes.fieldAdded', { field: change.field, to: access(change.to) });
        return t('admin.roles.changes.field', { field: change.field, from: access(change.from), to: access(change.to) });
      case 'capability':
        return t(change.granted ? 'admin.roles.changes.granted' : 'admin.roles.changes.revoked', { capability: t(`admin.roles.capabilities.${change.capability}`) });
    }
  };
}
