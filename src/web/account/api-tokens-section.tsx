import { Alert, Badge, Button, Code, Group, NumberInput, Skeleton, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../api/error-alert.js';
import { useFormatDate } from '../i18n/use-format-date.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { CopyValue } from '../ui/copy-value.js';
import { EmptyState } from '../ui/empty-state.js';
import { useNotify } from '../ui/notifications.js';
import { ACCOUNT_QUERY_KEYS, accountApi, type ApiTokenItem } from './account-api.js';
import { SectionCard } from './section-card.js';

const DEFAULT_EXPIRY_DAYS = 90;

/** Personal access tokens for scripts: created here, shown once, revocable. */
export function ApiTokensSection() {
  const { t } = useTranslation();
  const tokens = useQuery({ queryKey: ACCOUNT_QUERY_KEYS.tokens, queryFn: accountApi.tokens });
  const [created, setCreated] = useState<string | null>(null);

  return (
    <Stack>
      <SectionCard title={t('account.tokens.createTitle')} description={t('account.tokens.description')}>
        {created ? (
          <Alert color="teal" variant="light" title={t('account.tokens.createdTitle')}>
            <Stack gap="sm">
              <Text size="sm">{t('account.tokens.createdBody')}</Text>
              <CopyValue value={created} testId="new-token" label={t('account.tokens.createdTitle')} />
              <Group>
                <Button size="xs" onClick={() => setCreated(null)}>
                  {t('account.tokens.done')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <CreateTokenForm onCreated={setCreated} />
        )}
      </SectionCard>
      <SectionCard title={t('account.tokens.listTitle')}>
        {tokens.isPending && <Skeleton h={100} />}
        <ErrorAlert error={tokens.error} />
        {tokens.data && (tokens.data.items.length ? <TokensTable items={tokens.data.items} /> : <EmptyState title={t('account.tokens.emptyTitle')}>{t('account.tokens.emptyBody')}</EmptyState>)}
      </SectionCard>
    </Stack>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(DEFAULT_EXPIRY_DAYS);

  const create = useMutation({
    mutationFn: () => accountApi.createToken({ name: name.trim(), expiresInDays: Number(days) || DEFAULT_EXPIRY_DAYS }),
    onSuccess: ({ token }) => {
      setName('');
      setDays(DEFAULT_EXPIRY_DAYS);
      onCreated(token);
      void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEYS.tokens });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={420}>
        <TextInput label={t('account.tokens.name')} description={t('account.tokens.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        <NumberInput label={t('account.tokens.expiresInDays')} value={days} onChange={setDays} min={1} max={365} allowDecimal={false} allowNegative={false} clampBehavior="strict" required maw={200} />
        <ErrorAlert error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            {t('account.tokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type TokenState = 'active' | 'revoked' | 'expired';

function tokenState(item: ApiTokenItem, now: number): TokenState {
  if (item.revokedAt) return 'revoked';
  if (item.expiresAt && Date.parse(item.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATE_COLORS: Record<TokenState, string> = { active: 'teal', revoked: 'gray', expired: 'orange' };

function TokensTable({ items }: { items: ApiTokenItem[] }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiTokenItem | null>(null);
  const [now] = useState(() => Date.now());

  const revoke = useMutation({
    mutationFn: (id: string) => accountApi.revokeToken(id),
    onSuccess: () => {
      setRevoking(null);
      notify(t('account.tokens.revoked'));
      void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEYS.tokens });
    },
  });

  return (
    <>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="xs" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('account.tokens.name')}</Table.Th>
              <Table.Th>{t('account.tokens.prefix')}</Table.Th>
              <Table.Th>{t('account.tokens.created')}</Table.Th>
              <Table.Th>{t('account.tokens.expires')}</Table.Th>
              <Table.Th>{t('account.tokens.lastUsed')}</Table.Th>
              <Table.Th>{t('account.tokens.state')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => {
              const state = tokenState(item, now);
              return (
                <Table.Tr key={item.id} data-testid="token-row">
                  <Table.Td>{item.name}</Table.Td>
                  <Table.Td>
                    <Code>{item.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{formatDate(item.createdAt)}</Table.Td>
                  <Table.Td>{formatDate(item.expiresAt)}</Table.Td>
                  <Table.Td>{formatDate(item.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLORS[state]}>
                      {t(`account.tokens.states.${state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {state === 'active' && (
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRevoking(item)}>
                        {t('account.tokens.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmDialog
        opened={revoking !== null}
        title={t('account.tokens.revokeConfirm.title')}
        confirmLabel={t('account.tokens.revoke')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        {t('account.tokens.revokeConfirm.body', { name: revoking?.name ?? '' })}
      </ConfirmDialog>
    </>
  );
}
