import { Checkbox, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CAPABILITIES, type Capability, type RolePermissions } from '../../../shared/permissions.js';
import { CHANGED_BG } from './object-matrix.js';

interface CapabilitiesInputProps {
  saved: RolePermissions;
  draft: RolePermissions;
  readOnly: boolean;
  onChange: (capability: Capability, granted: boolean) => void;
}

/** The workspace-wide powers, one checkbox each with what it allows. */
export function CapabilitiesInput({ saved, draft, readOnly, onChange }: CapabilitiesInputProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <div>
        <Title order={3} size="h4">
          {t('admin.roles.capabilitiesTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.roles.capabilitiesHint')}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
        {CAPABILITIES.map((capability) => {
          const granted = draft.capabilities.includes(capability);
          const changed = granted !== saved.capabilities.includes(capability);
          return (
            <Checkbox
              key={capability}
              label={t(`admin.roles.capabilities.${capability}`)}
              description={t(`admin.roles.capabilityHelp.${capability}`)}
              checked={granted}
              disabled={readOnly}
              onChange={(event) => onChange(capability, event.currentTarget.checked)}
              bg={changed ? CHANGED_BG : undefined}
              p={4}
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              data-changed={changed || undefined}
            />
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
