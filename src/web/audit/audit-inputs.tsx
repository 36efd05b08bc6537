import { Select, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS } from './audit-actions.js';
import { AUDIT_QUERY_KEYS, auditApi, type AuditActor } from './audit-api.js';
import { groupByArea, isCustomerId } from './audit-filters.js';

/** The words for an action's area (`customer` → Customers); an area this version does not know keeps its key. */
export function useAreaLabel(): (area: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (area: string) => {
      const areas = t('audit.areas', { returnObjects: true }) as Record<string, string | undefined>;
      return areas[area] ?? area;
    },
    [t],
  );
}

/** Who did it, in words: a user's name, a system job's, or someone not signed in. */
export function useActorLabel(): (actor: AuditActor) => string {
  const { t } = useTranslation();
  return useCallback(
    (actor: AuditActor) => {
      if (actor.type === 'system') return t('audit.actors.system', { name: actor.id ?? '' });
      if (actor.type === 'anonymous') return actor.name ? t('audit.actors.anonymousAs', { name: actor.name }) : t('audit.actors.anonymous');
      return actor.name ?? actor.id ?? t('audit.actors.unknown');
    },
    [t],
  );
}

/** The workspace's users and tokens, asked once (auditors may not read the users page). */
export function useAuditActors() {
  return useQuery({ queryKey: AUDIT_QUERY_KEYS.actors, queryFn: auditApi.actors, staleTime: 60_000 });
}

/**
 * Pick a user (everything they did) or one of the API tokens (what it did), revoked ones
 * included. A value the list does not hold — a system job's name from a link — stays offered.
 */
export function ActorSelect({ value, onChange, label, testId }: { value: string; onChange: (value: string) => void; label: string; testId?: string }) {
  const { t } = useTranslation();
  const actors = useAuditActors();
  const data = useMemo(() => {
    const users = actors.data?.users ?? [];
    const nameOf = new Map(users.map((user) => [user.id, user.displayName]));
    const groups = [
      { group: t('audit.filters.users'), items: users.map((user) => ({ value: user.id, label: `${user.displayName} · ${user.email}` })) },
      {
        group: t('audit.filters.tokens'),
        items: (actors.data?.tokens ?? []).map((token) => ({
          value: token.id,
          label: t(token.revokedAt ? 'audit.filters.revokedTokenOf' : 'audit.filters.tokenOf', { name: token.name, owner: nameOf.get(token.userId) ?? token.userId }),
        })),
      },
    ].filter((group) => group.items.length > 0);
    const known = groups.some((group) => group.items.some((item) => item.value === value));
    return value && !known ? [...groups, { group: t('audit.filters.other'), items: [{ value, label: value }] }] : groups;
  }, [actors.data, t, value]);

  return (
    <Select
      label={label}
      placeholder={t('audit.filters.actorPlaceholder')}
      data={data}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      searchable
      clearable
      nothingFoundMessage={t('audit.filters.nothingFound')}
      error={actors.isError ? t('audit.filters.actorsUnavailable') : undefined}
      data-testid={testId}
    />
  );
}

/** Pick one action, or a whole area (`customer.*`), from every action grouped by area. */
export function ActionSelect({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const areaLabel = useAreaLabel();
  const data = useMemo(
    () =>
      groupByArea(AUDIT_ACTIONS).map(({ area, actions }) => ({
        group: areaLabel(area),
        items: [{ value: `${area}.*`, label: t('audit.filters.allOfArea', { area: areaLabel(area) }) }, ...actions.map((action) => ({ value: action, label: action }))],
      })),
    [areaLabel, t],
  );
  return (
    <Select
      label={t('audit.filters.action')}
      placeholder={t('audit.filters.actionPlaceholder')}
      data={data}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      searchable
      clearable
      nothingFoundMessage={t('audit.filters.nothingFound')}
      data-testid="audit-action"
    />
  );
}

/** A customer's id, as in their page's address; said plainly when it is not one. */
export function CustomerIdInput({ value, onChange, testId }: { value: string; onChange: (value: string) => void; testId: string }) {
  const { t } = useTranslation();
  const invalid = value.trim() !== '' && !isCustomerId(value.trim());
  return (
    <TextInput
      label={t('audit.filters.customerId')}
      placeholder={t('audit.filters.customerIdPlaceholder')}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={invalid ? t('audit.filters.customerIdInvalid') : undefined}
      spellCheck={false}
      autoComplete="off"
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      data-testid={testId}
    />
  );
}

/** Two calendar days; "to" before "from" is pointed out before anything is sent. */
export function DayRangeInputs({ from, to, onChange }: { from: string; to: string; onChange: (range: { from: string; to: string }) => void }) {
  const { t } = useTranslation();
  const reversed = from !== '' && to !== '' && to < from;
  return (
    <>
      <TextInput type="date" label={t('audit.filters.from')} value={from} max={to || undefined} onChange={(event) => onChange({ from: event.currentTarget.value, to })} data-testid="audit-from" />
      <TextInput
        type="date"
        label={t('audit.filters.to')}
        value={to}
        min={from || undefined}
        onChange={(event) => onChange({ from, to: event.currentTarget.value })}
        error={reversed ? t('audit.filters.rangeReversed') : undefined}
        data-testid="audit-to"
      />
    </>
  );
}
