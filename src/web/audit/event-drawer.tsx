import { Button, Code, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from '../i18n/use-format-date.js';
import type { AuditEvent } from './audit-api.js';
import { useActorLabel } from './audit-inputs.js';
import { OutcomeBadge } from './outcome-badge.js';

/** The customer an event is about: its object, or the one its details name (a note, a case…). */
function customerOf(event: AuditEvent): string | null {
  if (event.object?.type === 'customer') return event.object.id;
  const named = event.metadata.customerId;
  return typeof named === 'string' ? named : null;
}

/**
 * One event in full: who, from where, what, and its details pretty-printed. Details hold ids,
 * counts, field keys and reasons only — the server never records a personal value in them.
 */
export function EventDrawer({ event, onClose, onCustomer }: { event: AuditEvent | null; onClose: () => void; onCustomer: (customerId: string) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const actorLabel = useActorLabel();
  const customerId = event ? customerOf(event) : null;
  const mono = (value: string | null) =>
    value ? (
      <Text span size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
    ) : (
      '—'
    );

  const rows: [string, ReactNode][] = event
    ? [
        [t('audit.detail.time'), formatDate(event.at)],
        [t('audit.detail.action'), mono(event.action)],
        [t('audit.detail.outcome'), <OutcomeBadge key="outcome" outcome={event.outcome} />],
        [t('audit.detail.actor'), [actorLabel(event.actor), event.actor.email].filter(Boolean).join(' · ')],
        [t('audit.detail.actorId'), mono(event.actor.id)],
        [t('audit.detail.session'), mono(event.sessionId)],
        [t('audit.detail.token'), mono(event.tokenId)],
        [t('audit.detail.ip'), mono(event.ip)],
        [t('audit.detail.userAgent'), event.userAgent ?? '—'],
        [t('audit.detail.object'), mono(event.object ? `${event.object.type} ${event.object.id}` : null)],
        [t('audit.detail.seq'), mono(String(event.seq))],
        [t('audit.detail.id'), mono(event.id)],
      ]
    : [];

  return (
    <Drawer opened={event !== null} onClose={onClose} position="right" size="lg" title={t('audit.detail.title')} closeButtonProps={{ 'aria-label': t('common.dismiss') }}>
      {event && (
        <Stack data-testid="audit-event-detail">
          <Table verticalSpacing={6} layout="fixed">
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th w="34%" style={{ verticalAlign: 'top' }}>
                    {label}
                  </Table.Th>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('audit.detail.metadata')}
            </Text>
            {Object.keys(event.metadata).length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('audit.detail.noMetadata')}
              </Text>
            ) : (
              <Code block data-testid="audit-event-metadata" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {JSON.stringify(event.metadata, null, 2)}
              </Code>
            )}
          </Stack>
          {customerId && (
            <Group>
              <Button variant="light" onClick={() => onCustomer(customerId)}>
                {t('audit.detail.eventsAboutCustomer')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
