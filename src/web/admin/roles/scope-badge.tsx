import { Badge, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SCOPES, type Scope } from '../../../shared/permissions.js';

/** Wider scopes in warmer colours: the more records a grant reaches, the more it exposes. */
const COLORS: Record<Scope, string> = { none: 'gray', own: 'blue', team: 'cyan', subteams: 'teal', all: 'orange' };

/** A scope at a glance (the overview matrix, the legend). */
export function ScopeBadge({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  return (
    <Badge variant={scope === 'none' ? 'outline' : 'light'} color={COLORS[scope]} miw="max-content" title={t(`admin.roles.scopeHelp.${scope}`)} data-scope={scope}>
      {t(`admin.roles.scopes.${scope}`)}
    </Badge>
  );
}

/** What each scope reaches, next to the matrix that uses them. */
export function ScopeLegend() {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Title order={4} size="h6">
        {t('admin.roles.scopeLegend')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" verticalSpacing={6}>
        {SCOPES.map((scope) => (
          <Group key={scope} gap="xs" wrap="nowrap" align="flex-start">
            <ScopeBadge scope={scope} />
            <Text size="sm">{t(`admin.roles.scopeHelp.${scope}`)}</Text>
          </Group>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
