import { Badge, Button, Group, NativeSelect, Stack, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SENSITIVITY_CLASSES, type Sensitivity } from '../../../shared/fields.js';
import { ErrorAlert } from '../../api/error-alert.js';
import { useMe } from '../../auth/use-me.js';
import { useFormatDate } from '../../i18n/use-format-date.js';
import type { CustomerRecord, RegistryField } from '../customers-api.js';
import { useCustomerErrorOverrides } from '../field-errors.js';
import { historyApi, historyQueryKey, type HistoryEntry } from '../history-api.js';
import { SectionList } from '../section-list.js';
import { useFormatFieldValue } from '../use-format-field-value.js';
import { findField, useFieldLabel, useFieldRegistry } from '../use-field-registry.js';
import { groupChanges, type HistoryChange } from './history-groups.js';
import { recentTime } from './relative-time.js';
import { SectionCard } from './section-card.js';
import { SectionRow } from './section-row.js';

/** A user id short enough to read, like a commit hash (as the notes and cases show unknown users). */
const shortId = (id: string) => id.replace(/-/g, '').slice(0, 8);

/**
 * The customer's field history: who changed which field when, old → new, as the server shows
 * it to this user (masked values as masked, fields they may not see left out). Reading it is
 * audited, so it loads when asked for, then follows the customer's changes on this page.
 */
export function HistorySection({ record }: { record: CustomerRecord }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <SectionCard title={t('customers.sections.history.title')} intro={t('customers.sections.history.intro')} testId="history">
      {open ? (
        <HistoryList record={record} />
      ) : (
        <Group>
          <Button variant="default" size="compact-sm" onClick={() => setOpen(true)} data-testid="history-show">
            {t('customers.sections.history.show')}
          </Button>
        </Group>
      )}
    </SectionCard>
  );
}

function HistoryList({ record }: { record: CustomerRecord }) {
  const { t } = useTranslation();
  const overrides = useCustomerErrorOverrides();
  const registry = useFieldRegistry();
  const fieldLabel = useFieldLabel();
  const [field, setField] = useState<string | null>(null);
  const history = useInfiniteQuery({
    // The record's last change in the key: an edit on this page fetches the history anew.
    queryKey: historyQueryKey(record.id, field, record.updatedAt),
    queryFn: ({ pageParam }) => historyApi.page(record.id, field, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Another field chosen: the list stays until the new one arrives.
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
  const changes = useMemo(() => groupChanges(history.data?.pages.flatMap((page) => page.items) ?? []), [history.data]);
  const fieldOf = useCallback((key: string) => findField(registry.data, record.kind, key), [registry.data, record.kind]);
  const labelOf = useCallback(
    (key: string) => {
      const found = fieldOf(key);
      return found ? fieldLabel(found) : key;
    },
    [fieldOf, fieldLabel],
  );
  const withHistory = history.data?.pages[0]?.fields ?? [];
  const options = [{ value: '', label: t('customers.sections.history.allFields') }, ...[...new Set([...withHistory, ...(field ? [field] : [])])].map((key) => ({ value: key, label: labelOf(key) }))];
  // A failed "load more" keeps what was loaded; only a failed first page replaces the list.
  const firstPage = { isPending: history.isPending, isError: history.isError && !history.data, error: history.error };
  const empty = field
    ? { title: t('customers.sections.history.filteredEmptyTitle'), body: t('customers.sections.history.filteredEmptyBody'), testId: 'history-empty' }
    : { title: t('customers.sections.history.emptyTitle'), body: t('customers.sections.history.emptyBody'), testId: 'history-empty' };

  return (
    <Stack gap="xs" aria-busy={history.isPlaceholderData || undefined} style={{ opacity: history.isPlaceholderData ? 0.6 : 1 }}>
      {(withHistory.length > 1 || field) && (
        <NativeSelect
          label={t('customers.sections.history.field')}
          data={options}
          value={field ?? ''}
          onChange={(event) => setField(event.currentTarget.value || null)}
          maw={320}
          data-testid="history-field"
        />
      )}
      <SectionList
        query={firstPage}
        items={changes}
        loadingLabel={t('customers.sections.history.loading')}
        skeletonHeight={40}
        empty={empty}
        overrides={overrides}
        renderItem={(change) => <ChangeRow key={change.key} change={change} fieldOf={fieldOf} labelOf={labelOf} />}
      />
      {history.isFetchNextPageError && <ErrorAlert error={history.error} overrides={overrides} />}
      {history.hasNextPage && (
        <Group justify="center">
          <Button variant="default" size="compact-sm" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage} data-testid="history-load-more">
            {t('customers.sections.history.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Who made a change: "you", a colleague by name, or the job that did it. */
function useActorName(): (actor: HistoryEntry['actor']) => string {
  const { t } = useTranslation();
  const me = useMe();
  return useCallback(
    (actor) => {
      if (actor.type === 'system') return actor.id === 'retention' ? t('customers.sections.history.actors.retention') : t('customers.sections.history.actors.system', { name: actor.id ?? '' });
      if (actor.id === me.user.id) return t('customers.sections.history.actors.you');
      return actor.name ?? (actor.id ? shortId(actor.id) : t('customers.sections.history.actors.unknown'));
    },
    [t, me.user.id],
  );
}

interface RowProps {
  change: HistoryChange;
  fieldOf: (key: string) => RegistryField | undefined;
  labelOf: (key: string) => string;
}

function ChangeRow({ change, fieldOf, labelOf }: RowProps) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const formatDate = useFormatDate();
  const actorName = useActorName();
  const at = new Date(change.at);
  const recent = recentTime(at, new Date(), language);
  return (
    <SectionRow testId="history-change" id={change.key}>
      <Stack gap={4}>
        <Text size="xs" c="dimmed" data-testid="history-who">
          {actorName(change.actor)} · <time dateTime={change.at}>{formatDate(change.at)}</time>
          {recent && ` · ${recent}`}
        </Text>
        <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {change.entries.map((entry) => (
            <EntryLine key={entry.id} entry={entry} field={fieldOf(entry.field)} label={labelOf(entry.field)} />
          ))}
        </Stack>
      </Stack>
    </SectionRow>
  );
}

const isSensitivity = (value: unknown): value is Sensitivity => (SENSITIVITY_CLASSES as readonly unknown[]).includes(value);

/** One field's change: its label, then the old value struck through → the new one (or "empty"). */
function EntryLine({ entry, field, label }: { entry: HistoryEntry; field: RegistryField | undefined; label: string }) {
  const { t } = useTranslation();
  const formatValue = useFormatFieldValue();
  const reclassified = entry.kind === 'reclassified';
  const shown = (value: unknown) => (reclassified ? (isSensitivity(value) ? t(`customers.sensitivity.${value}`) : String(value)) : formatValue(field, value));
  const emptyWord = (
    <Text span inherit c="dimmed" fs="italic">
      {t('customers.sections.history.empty')}
    </Text>
  );
  return (
    <Text component="li" size="sm" style={{ wordBreak: 'break-word' }} data-testid="history-entry" data-field={entry.field} data-kind={entry.kind}>
      <Text span inherit fw={600}>
        {label}
      </Text>
      {entry.kind !== 'set' && (
        <Badge component="span" variant="light" color={reclassified ? 'blue' : 'gray'} size="xs" mx={6} style={{ verticalAlign: 'middle' }}>
          {t(`customers.sections.history.kinds.${entry.kind}`)}
        </Badge>
      )}{' '}
      {entry.old === undefined ? (
        emptyWord
      ) : (
        <Text component="del" inherit c="dimmed" td="line-through" data-testid="history-old">
          {shown(entry.old)}
        </Text>
      )}
      <span aria-hidden> → </span>
      <VisuallyHidden component="span">{t('customers.sections.history.to')} </VisuallyHidden>
      {entry.new === undefined ? (
        emptyWord
      ) : (
        <Text component="ins" inherit td="none" data-testid="history-new">
          {shown(entry.new)}
        </Text>
      )}
    </Text>
  );
}
