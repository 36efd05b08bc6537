import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/use-can.js';
import type { ListRequest } from '../customers-api.js';
import { exportableColumns } from './export-progress.js';
import { ExportModal } from './export-modal.js';

/** "Export" above the customers list, for roles that may export customers (the server checks again). `shown`: the list's chosen columns. */
export function ExportButton({ list, shown }: { list: ListRequest; shown: readonly { key: string; fields: readonly unknown[] }[] }) {
  const { t } = useTranslation();
  const mayExport = useCan()('customers', 'export');
  const [opened, setOpened] = useState(false);
  if (!mayExport) return null;
  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)} data-testid="customers-export">
        {t('customers.export.button')}
      </Button>
      <ExportModal opened={opened} onClose={() => setOpened(false)} list={list} shownColumns={exportableColumns(shown)} />
    </>
  );
}
