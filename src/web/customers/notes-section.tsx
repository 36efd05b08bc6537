import { Button, Divider, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import type { ItemList } from '../api/types.js';
import { useCan } from '../auth/use-can.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useNotify } from '../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS, customersApi, type CustomerNote } from './customers-api.js';
import { useCustomerErrorOverrides } from './field-errors.js';
import { SectionList } from './section-list.js';

/** The server's bound (`NoteBody`). */
const MAX_NOTE_LENGTH = 10_000;

/** An author id short enough to read, like a commit hash. */
const shortId = (id: string) => id.replace(/-/g, '').slice(0, 8);

/** Team notes on one customer, newest first: written, listed, deleted. */
export function NotesSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const formatDate = useFormatDate();
  const can = useCan();
  const queryKey = CUSTOMER_QUERY_KEYS.notes(customerId);
  // Every read is audited: fetch on arrival and after changes only.
  const list = useQuery({ queryKey, queryFn: () => customersApi.notes(customerId), refetchOnWindowFocus: false });
  const [body, setBody] = useState('');
  const [bodyMissing, setBodyMissing] = useState(false);
  const [removing, setRemoving] = useState<CustomerNote | null>(null);

  const add = useMutation({
    mutationFn: (text: string) => customersApi.addNote(customerId, text),
    onSuccess: (note) => {
      queryClient.setQueryData<ItemList<CustomerNote>>(queryKey, (current) => current && { items: [note, ...current.items] });
      notify(t('customers.notes.added'));
      setBody('');
    },
  });

  const remove = useMutation({
    mutationFn: (note: CustomerNote) => customersApi.removeNote(customerId, note.id),
    onSuccess: (_nothing, note) => {
      setRemoving(null);
      queryClient.setQueryData<ItemList<CustomerNote>>(queryKey, (current) => current && { items: current.items.filter((each) => each.id !== note.id) });
      notify(t('customers.notes.removed'));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return setBodyMissing(true);
    add.mutate(body.trim());
  };

  const bodyRefused = isApiError(add.error) && add.error.status === 400 && add.error.field === 'body';
  const items = list.data?.items ?? [];
  return (
    <Paper withBorder radius="md" p="md" data-testid="customer-section-notes">
      <Stack gap="sm">
        <Title order={2} size="h5">
          {t('customers.notes.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('customers.notes.intro')}
        </Text>
        {can('notes', 'create') && (
          <>
            <form onSubmit={submit} noValidate data-testid="note-form">
              <Stack gap="xs">
                <Textarea
                  label={t('customers.notes.body')}
                  placeholder={t('customers.notes.bodyPlaceholder')}
                  value={body}
                  onChange={(event) => {
                    setBody(event.currentTarget.value);
                    setBodyMissing(false);
                    if (add.error) add.reset();
                  }}
                  error={bodyMissing ? t('customers.notes.bodyRequired') : bodyRefused && isApiError(add.error) ? add.error.message : undefined}
                  maxLength={MAX_NOTE_LENGTH}
                  autosize
                  minRows={2}
                  maxRows={8}
                />
                {!bodyRefused && <ErrorAlert error={add.error} overrides={overrides} />}
                <Group justify="flex-end">
                  <Button type="submit" variant="light" loading={add.isPending} data-testid="add-note">
                    {t('customers.notes.add')}
                  </Button>
                </Group>
              </Stack>
            </form>
            <Divider />
          </>
        )}
        <SectionList
          query={list}
          items={items}
          loadingLabel={t('customers.notes.loading')}
          skeletonHeight={48}
          empty={{ title: t('customers.notes.emptyTitle'), body: t('customers.notes.emptyBody'), testId: 'notes-empty' }}
          overrides={overrides}
          renderItem={(note) => {
            const time = formatDate(note.createdAt);
            return (
              <Stack
                key={note.id}
                component="li"
                gap={4}
                py={8}
                data-testid="note-row"
                data-id={note.id}
                style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
              >
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="note-body">
                  {note.body}
                </Text>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {t('customers.notes.author', { author: note.authorId ? shortId(note.authorId) : t('customers.notes.unknownAuthor') })} ·{' '}
                    <time dateTime={note.createdAt}>{time}</time>
                  </Text>
                  {can('notes', 'delete') && (
                    <Button variant="subtle" color="red" size="compact-sm" onClick={() => setRemoving(note)} aria-label={t('customers.notes.removeLabel', { time })}>
                      {t('customers.notes.remove')}
                    </Button>
                  )}
                </Group>
              </Stack>
            );
          }}
        />
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title={t('customers.notes.removeConfirm.title')}
        confirmLabel={t('customers.notes.remove')}
        danger
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        {t('customers.notes.removeConfirm.body')}
      </ConfirmDialog>
    </Paper>
  );
}
