import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SectionCardProps {
  title: string;
  intro?: ReactNode;
  /** Buttons beside the title (add, edit); they wrap under it on a phone. */
  actions?: ReactNode;
  /** `customer-section-<testId>`, the handle tests and links use. */
  testId: string;
  children: ReactNode;
}

/** The frame every section of the customer page shares: a bordered card, its heading, a line on what it holds. */
export function SectionCard({ title, intro, actions, testId, children }: SectionCardProps) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={`customer-section-${testId}`} style={{ minWidth: 0 }}>
      <Stack gap="sm">
        <Group justify="space-between" align="center" gap="xs">
          <Title order={2} size="h5">
            {title}
          </Title>
          {actions && <Group gap="xs">{actions}</Group>}
        </Group>
        {intro && (
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        )}
        {children}
      </Stack>
    </Paper>
  );
}
