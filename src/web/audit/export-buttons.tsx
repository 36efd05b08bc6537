import { Alert, Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { downloadExport, type Download } from './audit-api.js';
import { useAuditErrorOverrides } from './use-audit-error-overrides.js';

export interface ExportFile {
  format: 'csv' | 'ndjson';
  /** The API path with the page's filters and the format. */
  path: string;
}

/**
 * Download buttons for what the page shows, through the API with the same filters. The server
 * records each export; a file cut short by its bound says so, with how to get the rest.
 */
export function ExportButtons({ files, disabled }: { files: readonly ExportFile[]; disabled?: boolean }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const overrides = useAuditErrorOverrides();
  const download = useMutation<Download, unknown, ExportFile>({
    mutationFn: (file) => downloadExport(file.path),
    onSuccess: ({ rows }) => notify(t('audit.export.done', { count: rows })),
  });

  return (
    <Stack gap="xs">
      <Group gap="xs">
        {files.map((file) => (
          <Button
            key={file.format}
            variant="default"
            size="sm"
            disabled={disabled || (download.isPending && download.variables?.format !== file.format)}
            loading={download.isPending && download.variables?.format === file.format}
            onClick={() => download.mutate(file)}
            data-testid={`audit-export-${file.format}`}
          >
            {t(`audit.export.${file.format}`)}
          </Button>
        ))}
      </Group>
      {download.data?.nextCursor && (
        <Alert color="yellow" variant="light" data-testid="audit-export-cut">
          {t('audit.export.cut', { count: download.data.rows })}
        </Alert>
      )}
      <ErrorAlert error={download.error} overrides={overrides} />
    </Stack>
  );
}
