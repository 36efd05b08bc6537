import { ActionIcon, Badge, Group, Indicator, Popover, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import type { ItemList } from '../../api/types.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { useNotificationMessage } from './notification-message.js';
import { NOTIFICATIONS_POLL_MS, NOTIFICATIONS_QUERY_KEY, notificationsApi, type AppNotification } from './notifications-api.js';

function BellIcon() {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/**
 * The header's bell: the user's own notifications, asked for again every minute while the page
 * is in view, with the unread count. Opening the list marks what it shows as read; those stay
 * marked "new" until it closes.
 */
export function NotificationsBell() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [newOnOpen, setNewOnOpen] = useState<ReadonlySet<string>>(new Set());
  // Paused while the tab is hidden (TanStack Query's default for an interval).
  const list = useQuery({ queryKey: NOTIFICATIONS_QUERY_KEY, queryFn: notificationsApi.list, refetchInterval: NOTIFICATIONS_POLL_MS });
  const items = list.data?.items ?? [];
  const unread = items.filter((item) => item.readAt === null);

  const markRead = useMutation({
    mutationFn: (ids: readonly string[]) => Promise.all(ids.map((id) => notificationsApi.markRead(id))),
    onMutate: (ids) => {
      const readAt = new Date().toISOString();
      queryClient.setQueryData<ItemList<AppNotification>>(NOTIFICATIONS_QUERY_KEY, (current) => current && { items: current.items.map((item) => (ids.includes(item.id) ? { ...item, readAt } : item)) });
    },
    // What the server kept, whichever way it went.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY }),
  });

  const toggle = () => {
    if (!opened) {
      const ids = unread.map((item) => item.id);
      setNewOnOpen(new Set(ids));
      if (ids.length > 0) markRead.mutate(ids);
    }
    setOpened(!opened);
  };

  const label = unread.length > 0 ? t('shell.notifications.labelUnread', { count: unread.length }) : t('shell.notifications.label');
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" withinPortal styles={{ dropdown: { maxWidth: 'calc(100vw - 16px)' } }}>
      <Popover.Target>
        <Indicator label={<span data-testid="notifications-unread">{unread.length}</span>} size={16} color="red" disabled={unread.length === 0} offset={4}>
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={toggle} aria-label={label} aria-expanded={opened} data-testid="notifications-bell">
            <BellIcon />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="sm" data-testid="notifications-panel">
        <Stack gap="xs">
          <Text size="sm" fw={700}>
            {t('shell.notifications.title')}
          </Text>
          <NotificationsList query={list} items={items} newOnOpen={newOnOpen} />
          <ErrorAlert error={markRead.error} />
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

interface NotificationsListProps {
  query: { isPending: boolean; isError: boolean; error: unknown };
  items: readonly AppNotification[];
  newOnOpen: ReadonlySet<string>;
}

function NotificationsList({ query, items, newOnOpen }: NotificationsListProps) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const messageOf = useNotificationMessage();
  if (query.isPending) return <Skeleton h={48} aria-busy aria-label={t('common.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="notifications-empty">
        {t('shell.notifications.empty')}
      </Text>
    );
  }
  return (
    <ScrollArea.Autosize mah={360} type="auto">
      <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {items.map((item) => (
          <Stack
            key={item.id}
            component="li"
            gap={2}
            py={8}
            data-testid="notification"
            data-kind={item.kind}
            style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
          >
            <Text size="sm" style={{ wordBreak: 'break-word' }} data-testid="notification-message">
              {messageOf(item)}
            </Text>
            <Group gap={6}>
              {newOnOpen.has(item.id) && (
                <Badge size="xs" color="red" variant="light">
                  {t('shell.notifications.new')}
                </Badge>
              )}
              <Text size="xs" c="dimmed">
                <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
              </Text>
            </Group>
          </Stack>
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}
