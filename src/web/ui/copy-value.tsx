import { Button, Code, CopyButton, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A secret or link shown for copying: the text stays selectable where the clipboard is unavailable. */
export function CopyValue({ value, testId, label }: { value: string; testId: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <Code block data-testid={testId} aria-label={label} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {value}
      </Code>
      <Group>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
