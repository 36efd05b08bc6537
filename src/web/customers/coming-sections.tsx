import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const SECTIONS = ['addresses', 'transactions', 'timeline', 'preferences'] as const;

/**
 * What the customer page will hold once the later capabilities arrive, each saying what it
 * will be. Smaller than the shared EmptyState: a stack of those would bury the profile on a phone.
 */
export function ComingSections() {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
      {SECTIONS.map((section) => (
        <Paper key={section} withBorder radius="md" p="md" data-testid={`customer-section-${section}`}>
          <Stack gap={6}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Title order={2} size="h5">
                {t(`customers.sections.${section}.title`)}
              </Title>
              <Badge variant="light" color="gray" size="sm">
                {t('customers.sections.comingSoon')}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t(`customers.sections.${section}.body`)}
            </Text>
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
