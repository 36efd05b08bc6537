import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AUDIT_TABS, auditParams, readFilters, readTab, type AuditFilters, type AuditTab } from './audit-filters.js';
import { EventsTab } from './events-tab.js';
import { ExposureTab } from './exposure-tab.js';

/**
 * `/audit` — the audit trail: events searched and exported, and breach scoping (who saw which
 * customers' data). The filters and the tab live in the address, so a link from a customer's
 * page opens "who saw them" at once. For roles with `readAudit`; the server checks every call.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = readTab(params);
  const filters = readFilters(params);
  const show = useCallback((next: AuditTab, nextFilters: AuditFilters) => setParams(auditParams(next, nextFilters)), [setParams]);

  return (
    <Stack>
      <Stack gap={4}>
        <Title order={1} size="h2">
          {t('audit.title')}
        </Title>
        <Text size="sm" c="dimmed" maw={720}>
          {t('audit.intro')}
        </Text>
      </Stack>
      <Tabs value={tab} onChange={(value) => value && show(value as AuditTab, filters)} keepMounted={false}>
        <Tabs.List>
          {AUDIT_TABS.map((key) => (
            <Tabs.Tab key={key} value={key} data-testid={`audit-tab-${key}`}>
              {t(`audit.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="events" pt="md">
          <EventsTab filters={filters} onApply={(next) => show('events', next)} />
        </Tabs.Panel>
        <Tabs.Panel value="exposure" pt="md">
          <ExposureTab filters={filters} onApply={(next) => show('exposure', next)} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
