import { Button, FileButton, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../admin/backups/backup-format.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useMe } from '../auth/use-me.js';
import { ACCEPTED_EXTENSIONS, checkImportFile, type FileProblem } from './import-file.js';
import { MAX_IMPORT_BYTES, uploadImportFile, type ImportJob } from './imports-api.js';
import { useImportErrorOverrides } from './use-import-error-overrides.js';

/**
 * Step 1: a file dropped or chosen is checked here (type, size) and uploaded at once, with a
 * bar of the bytes sent; the server answers with what it read and the mapping it suggests.
 */
export function UploadStep({ onUploaded }: { onUploaded: (job: ImportJob) => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage ?? i18n.language;
  const me = useMe();
  const [problem, setProblem] = useState<FileProblem | null>(null);
  const [sent, setSent] = useState(0);
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => {
      abort.current = new AbortController();
      return uploadImportFile(file, { csrfToken: me.csrfToken, onProgress: setSent, signal: abort.current.signal });
    },
    onSuccess: onUploaded,
  });
  // Leaving the page stops an upload in flight rather than finishing it unseen.
  useEffect(() => () => abort.current?.abort(), []);

  const choose = (file: File | null) => {
    if (!file || upload.isPending) return;
    const found = checkImportFile(file);
    setProblem(found);
    upload.reset();
    setSent(0);
    if (!found) upload.mutate(file);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0] ?? null);
  };

  const cancelled = upload.error instanceof DOMException && upload.error.name === 'AbortError';
  const overrides = useImportErrorOverrides(upload.error);
  const maxSize = formatBytes(MAX_IMPORT_BYTES, locale);

  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      style={{ borderStyle: 'dashed', borderWidth: 2, borderColor: dragging ? 'var(--mantine-color-blue-5)' : undefined }}
      data-testid="import-upload"
    >
      <Stack gap="sm" align="center" ta="center">
        <Title order={2} size="h4">
          {t('imports.upload.title')}
        </Title>
        {upload.isPending && upload.variables ? (
          <Stack gap={6} w="100%" maw={480}>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {t('imports.upload.uploading', { name: upload.variables.name })}
            </Text>
            <Progress value={Math.round(sent * 100)} animated aria-label={t('imports.upload.progress')} data-testid="import-upload-progress" />
            <Text size="xs" c="dimmed">
              {t('imports.upload.sent', { sent: formatBytes(Math.round(sent * upload.variables.size), locale), size: formatBytes(upload.variables.size, locale) })}
            </Text>
            <Group justify="center">
              <Button variant="default" size="xs" onClick={() => abort.current?.abort()}>
                {t('imports.upload.stop')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <>
            <Text size="sm">{t('imports.upload.drop')}</Text>
            <FileButton onChange={choose} accept={ACCEPTED_EXTENSIONS.join(',')}>
              {(props) => <Button {...props}>{t('imports.upload.choose')}</Button>}
            </FileButton>
          </>
        )}
        <Text size="xs" c="dimmed" maw={520}>
          {t('imports.upload.limits', { size: maxSize })}
        </Text>
        {problem && (
          <Text size="sm" c="red" role="alert" style={{ overflowWrap: 'anywhere' }}>
            {problem.kind === 'tooLarge'
              ? t('imports.upload.tooLarge', { name: problem.name, size: formatBytes(problem.size, locale), max: maxSize })
              : t('imports.upload.wrongType', { name: problem.name })}
          </Text>
        )}
        {cancelled ? (
          <Text size="sm" c="dimmed">
            {t('imports.upload.stopped')}
          </Text>
        ) : (
          <ErrorAlert error={upload.error} overrides={overrides} />
        )}
      </Stack>
    </Paper>
  );
}
