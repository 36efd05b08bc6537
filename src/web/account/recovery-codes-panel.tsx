import { Alert, Button, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/use-me.js';

function download(codes: string[], heading: string): void {
  const blob = new Blob([`${heading}\n\n${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = 'custos-recovery-codes.txt';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The recovery codes, shown this once: copy or download them, then say they are saved. */
export function RecoveryCodesPanel({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const heading = t('account.mfa.codes.fileHeading', { email: me.user.email, workspace: me.workspace.name });

  return (
    <Alert color="yellow" variant="light" title={t('account.mfa.codes.title')}>
      <Stack gap="sm">
        <Text size="sm">{t('account.mfa.codes.explanation')}</Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} data-testid="recovery-codes" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {codes.map((code) => (
            <Text key={code} component="li" ff="monospace" size="sm" fw={600}>
              {code}
            </Text>
          ))}
        </SimpleGrid>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('common.copied') : t('account.mfa.codes.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={() => download(codes, heading)}>
            {t('account.mfa.codes.download')}
          </Button>
          <Button size="xs" onClick={onSaved}>
            {t('account.mfa.codes.saved')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
