import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

/** One item of a section's list (a `<li>` of SectionList's `<ul>`), ruled off from the next. */
export function SectionRow({ children, testId, id }: { children: ReactNode; testId: string; id: string }) {
  return (
    <Box component="li" py={8} data-testid={testId} data-id={id} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      {children}
    </Box>
  );
}
