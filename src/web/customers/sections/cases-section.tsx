import { Badge, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../api/error-alert.js';
import type { ItemList } from '../../api/types.js';
import { ADMIN_QUERY_KEYS, adminApi } from '../../admin/admin-api.js';
import { useCan } from '../../auth/use-can.js';
import { useMe } from '../../auth/use-me.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { useNotify } from '../../ui/notifications.js';
import { CUSTOMER_QUERY_KEYS } from '../customers-api.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { SectionList } from '../section-list.js';
import { MAX_CASE_SUBJECT, SECTION_QUERY_KEYS, sectionsApi, type SupportCase } from '../sections-api.js';
import { SectionCard } from './section-card.js';
import { SectionRow } from './section-row.js';
import { useInputErrors } from './use-input-errors.js';

const SUBJECT_INPUT = ['subject'] as const;

/** Open cases first, each group newest first (the server's order, which a stable sort keeps). */
const openFirst = (cases: readonly SupportCase[]) => [...cases].sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'));

/** A user id short enough to read, like a commit hash (the notes' authors are shown the same way). */
const shortId = (id: string) => id.replace(/-/g, '').slice(0, 8);

/**
 * Who owns a case: "you", a name where the user may read the users list (administrators), else a
 * short id — other users' names are not for every role to list.
 */
function useOwnerName(): (ownerId: string | null) => string {
  const { t } = useTranslation();
  const me = useMe();
  const users = useQuery({ queryKey: ADMIN_QUERY_KEYS.users, queryFn: adminApi.users, enabled: me.policies.manageUsers, staleTime: 60_000 });
  return useCallback(
    (ownerId) => {
      if (ownerId === null) return t('customers.sections.cases.noOwner');
      if (ownerId === me.user.id) return t('customers.sections.cases.you');
      return users.data?.items.find((user) => user.id === ownerId)?.displayName ?? shortId(ownerId);
    },
    [t, me.user.id, users.data],
  );
}

/**
 * Support cases on one customer, the open ones first: opened with a subject, closed by their
 * owner. While a case is open its owner may see more of the customer (a support agent: the
 * phone to call back), so opening or closing one reads the customer again.
 */
export function CasesSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const can = useCan();
  const ownerName = useOwnerName();
  const queryKey = SECTION_QUERY_KEYS.cases(customerId);
  // Every read is audited: fetch on arrival and after changes only.
  const list = useQuery({ queryKey, queryFn: () => sectionsApi.cases(customerId), refetchOnWindowFocus: false });
  const [closing, setClosing] = useState<SupportCase | null>(null);

  /** What the user may see of this customer (here and in lists) follows their open cases. */
  const seeAgain = () => {
    void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.record(customerId) });
    void queryClient.invalidateQueries({ queryKey: CUSTOMER_QUERY_KEYS.lists });
  };

  const close = useMutation({
    mutationFn: (supportCase: SupportCase) => sectionsApi.closeCase(customerId, supportCase.id),
    onSuccess: (closed) => {
      setClosing(null);
      queryClient.setQueryData<ItemList<SupportCase>>(queryKey, (current) => current && { items: current.items.map((each) => (each.id === closed.id ? closed : each)) });
      notify(t('customers.sections.cases.closedNotice'));
      seeAgain();
    },
  });

  const mayClose = can('cases', 'update');
  return (
    <SectionCard title={t('customers.sections.cases.title')} intro={t('customers.sections.cases.intro')} testId="cases">
      <SectionList
        query={list}
        items={openFirst(list.data?.items ?? [])}
        loadingLabel={t('customers.sections.cases.loading')}
        skeletonHeight={40}
        empty={{ title: t('customers.sections.cases.emptyTitle'), body: t('customers.sections.cases.emptyBody'), testId: 'cases-empty' }}
        overrides={overrides}
        renderItem={(supportCase) => <CaseRow key={supportCase.id} supportCase={supportCase} owner={ownerName(supportCase.ownerId)} onClose={mayClose && supportCase.status === 'open' ? () => setClosing(supportCase) : undefined} />}
      />
      {can('cases', 'create') && (
        <>
          <Divider />
          <OpenCaseForm customerId={customerId} onOpened={seeAgain} />
        </>
      )}
      <ConfirmDialog
        opened={closing !== null}
        title={t('customers.sections.cases.closeConfirm.title')}
        confirmLabel={t('customers.sections.cases.close')}
        loading={close.isPending}
        error={close.error}
        onConfirm={() => closing && close.mutate(closing)}
        onCancel={() => {
          setClosing(null);
          close.reset();
        }}
      >
        {t('customers.sections.cases.closeConfirm.body', { subject: closing?.subject ?? '' })}
      </ConfirmDialog>
    </SectionCard>
  );
}

function CaseRow({ supportCase, owner, onClose }: { supportCase: SupportCase; owner: string; onClose?: () => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const open = supportCase.status === 'open';
  return (
    <SectionRow testId="case-row" id={supportCase.id}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge variant={open ? 'filled' : 'light'} color={open ? 'teal' : 'gray'} size="sm" style={{ flex: 'none' }} data-testid="case-status">
              {t(`customers.sections.cases.statuses.${supportCase.status}`)}
            </Badge>
            <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }} data-testid="case-subject">
              {supportCase.subject}
            </Text>
          </Group>
          {onClose && (
            <Button variant="subtle" size="compact-sm" onClick={onClose} aria-label={t('customers.sections.cases.closeLabel', { subject: supportCase.subject })} style={{ flex: 'none' }}>
              {t('customers.sections.cases.close')}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t('customers.sections.cases.owner', { owner })} · {t('customers.sections.cases.openedAt')}{' '}
          <time dateTime={supportCase.createdAt}>{formatDate(supportCase.createdAt)}</time>
          {supportCase.closedAt && (
            <>
              {' '}
              · {t('customers.sections.cases.closedAt')} <time dateTime={supportCase.closedAt}>{formatDate(supportCase.closedAt)}</time>
            </>
          )}
        </Text>
      </Stack>
    </SectionRow>
  );
}

function OpenCaseForm({ customerId, onOpened }: { customerId: string; onOpened: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const overrides = useCustomerErrorOverrides();
  const [subject, setSubject] = useState('');
  const [missing, setMissing] = useState(false);

  const open = useMutation({
    mutationFn: (text: string) => sectionsApi.openCase(customerId, text),
    onSuccess: (opened) => {
      queryClient.setQueryData<ItemList<SupportCase>>(SECTION_QUERY_KEYS.cases(customerId), (current) => current && { items: [opened, ...current.items] });
      notify(t('customers.sections.cases.openedNotice'));
      setSubject('');
      onOpened();
    },
  });
  const { inputError, formError } = useInputErrors(open.error, SUBJECT_INPUT);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!subject.trim()) return setMissing(true);
    open.mutate(subject.trim());
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t('customers.sections.cases.openTitle')} data-testid="case-form">
      <Stack gap="xs">
        <TextInput
          label={t('customers.sections.cases.subject')}
          placeholder={t('customers.sections.cases.subjectPlaceholder')}
          value={subject}
          onChange={(event) => {
            setSubject(event.currentTarget.value);
            setMissing(false);
            if (open.error) open.reset();
          }}
          maxLength={MAX_CASE_SUBJECT}
          error={missing ? t('customers.sections.cases.subjectRequired') : inputError('subject')}
          autoComplete="off"
        />
        <ErrorAlert error={formError} overrides={overrides} />
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={open.isPending} data-testid="open-case">
            {t('customers.sections.cases.open')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
