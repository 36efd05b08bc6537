import { Alert as Notice, Button, Checkbox, Group, NativeSelect, NumberInput, Paper, Select, SimpleGrid, Skeleton, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, type AlertAction, type WorkingHours } from '../../shared/alert-rules.js';
import { ErrorAlert } from '../api/error-alert.js';
import { useNotify } from '../ui/notifications.js';
import { SeverityBadge } from './alert-parts.js';
import { ALERT_RULES_QUERY_KEY, alertsApi, type RuleSettings, type RulesState } from './alerts-api.js';
import { changesOf, draftOf, problemsOf, RULE_LIMITS, type DraftProblems, type RuleDraft } from './rule-form.js';

/** Every IANA time zone the browser knows, for the working hours' zone. */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** `/admin/alert-rules` — switch each detection rule on or off, set its thresholds, window, working hours and automatic response. */
export function AlertRulesPage() {
  const { t } = useTranslation();
  const rules = useQuery({ queryKey: ALERT_RULES_QUERY_KEY, queryFn: alertsApi.rules });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('alerts.settings.title')}
      </Title>
      <Text size="sm" c="dimmed" maw={720}>
        {t('alerts.settings.intro')}
      </Text>
      {rules.isPending && <Skeleton h={320} aria-busy aria-label={t('common.loading')} />}
      <ErrorAlert error={rules.error} />
      {/* Keyed by the saved state: a save or a refetch starts the form again from what the server kept. */}
      {rules.data && <RulesForm key={JSON.stringify(rules.data.rules)} state={rules.data} />}
    </Stack>
  );
}

function RulesForm({ state }: { state: RulesState }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => state.rules.map(draftOf));
  const [showProblems, setShowProblems] = useState(false);
  const problems = useMemo(() => drafts.map(problemsOf), [drafts]);
  const valid = problems.every((each) => Object.keys(each).length === 0);
  const changes = useMemo(() => changesOf(state.rules, drafts), [state.rules, drafts]);
  const save = useMutation({
    mutationFn: () => alertsApi.updateRules(changes),
    onSuccess: (saved) => {
      queryClient.setQueryData(ALERT_RULES_QUERY_KEY, saved);
      notify(t('alerts.settings.saved'));
    },
  });
  const update = (index: number, next: Partial<RuleDraft>) => setDrafts((current) => current.map((draft, i) => (i === index ? { ...draft, ...next } : draft)));

  return (
    <Stack
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        setShowProblems(true);
        if (valid && changes.length > 0) save.mutate();
      }}
    >
      <Notice color={state.mail.enabled ? 'blue' : 'yellow'} variant="light">
        {state.mail.enabled ? t('alerts.settings.mailOn') : t('alerts.settings.mailOff')} {t('alerts.settings.ownerNote')}
      </Notice>
      {drafts.map((draft, index) => (
        <RuleCard key={draft.key} rule={state.rules[index]!} draft={draft} problems={showProblems ? problems[index]! : {}} onChange={(next) => update(index, next)} />
      ))}
      {showProblems && !valid && (
        <Notice color="red" variant="light" role="alert">
          {t('alerts.settings.invalid')}
        </Notice>
      )}
      <ErrorAlert error={save.error} />
      <Group>
        <Button type="submit" loading={save.isPending} disabled={changes.length === 0 && valid}>
          {t('alerts.settings.save')}
        </Button>
        <Button
          variant="default"
          disabled={(changes.length === 0 && valid) || save.isPending}
          onClick={() => {
            setDrafts(state.rules.map(draftOf));
            setShowProblems(false);
            save.reset();
          }}
        >
          {t('alerts.settings.discard')}
        </Button>
      </Group>
    </Stack>
  );
}

interface RuleCardProps {
  rule: RuleSettings;
  draft: RuleDraft;
  problems: DraftProblems;
  onChange(next: Partial<RuleDraft>): void;
}

function RuleCard({ rule, draft, problems, onChange }: RuleCardProps) {
  const { t } = useTranslation();
  const name = t(`alerts.rules.${rule.key}.name`);
  const numberProblem = (setting: keyof typeof RULE_LIMITS) => (problems[setting] ? t('alerts.settings.problems.number', RULE_LIMITS[setting]) : undefined);
  const actionLabel = (action: AlertAction) => (rule.key === 'token_new_ip' && action === 'suspend' ? t('alerts.actions.revokeToken') : t(`alerts.actions.${action}`));

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} data-testid="alert-rule" data-rule={rule.key}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs" wrap="wrap">
            <Title order={2} size="h4">
              {name}
            </Title>
            <SeverityBadge severity={rule.severity} />
          </Group>
          <Switch aria-label={t('alerts.settings.enabled', { rule: name })} checked={draft.enabled} onChange={(event) => onChange({ enabled: event.currentTarget.checked })} />
        </Group>
        <Text size="sm" c="dimmed">
          {t(`alerts.rules.${rule.key}.description`)}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          {draft.threshold !== null && (
            <NumberInput
              label={t(rule.comparison === 'at_least' ? 'alerts.settings.thresholdAtLeast' : 'alerts.settings.thresholdMoreThan', { unit: t(`alerts.rules.${rule.key}.unit`) })}
              value={draft.threshold}
              onChange={(threshold) => onChange({ threshold })}
              min={RULE_LIMITS.threshold.min}
              max={RULE_LIMITS.threshold.max}
              allowDecimal={false}
              error={numberProblem('threshold')}
              disabled={!draft.enabled}
              data-testid={`rule-threshold-${rule.key}`}
            />
          )}
          <NumberInput
            label={rule.kind === 'count' ? t('alerts.settings.windowCount') : t('alerts.settings.windowEvent')}
            value={draft.windowMinutes}
            onChange={(windowMinutes) => onChange({ windowMinutes })}
            min={RULE_LIMITS.windowMinutes.min}
            max={RULE_LIMITS.windowMinutes.max}
            allowDecimal={false}
            error={numberProblem('windowMinutes')}
            disabled={!draft.enabled}
          />
          {draft.lookbackDays !== null && (
            <NumberInput
              label={t('alerts.settings.lookbackDays')}
              value={draft.lookbackDays}
              onChange={(lookbackDays) => onChange({ lookbackDays })}
              min={RULE_LIMITS.lookbackDays.min}
              max={RULE_LIMITS.lookbackDays.max}
              allowDecimal={false}
              error={numberProblem('lookbackDays')}
              disabled={!draft.enabled}
            />
          )}
          <NativeSelect
            label={t('alerts.settings.action')}
            value={draft.action}
            onChange={(event) => onChange({ action: event.currentTarget.value as AlertAction })}
            data={rule.actions.map((action) => ({ value: action, label: actionLabel(action) }))}
            disabled={!draft.enabled}
            data-testid={`rule-action-${rule.key}`}
          />
        </SimpleGrid>
        {draft.workingHours && <WorkingHoursInputs hours={draft.workingHours} problems={problems} disabled={!draft.enabled} onChange={(workingHours) => onChange({ workingHours })} />}
      </Stack>
    </Paper>
  );
}

function WorkingHoursInputs({ hours, problems, disabled, onChange }: { hours: WorkingHours; problems: DraftProblems; disabled: boolean; onChange(next: WorkingHours): void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  // 5 January 2026 is a Monday: day n of the ISO week is 4 + n January.
  const dayName = (day: number) => new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 4 + day)));
  const zones = TIME_ZONES.includes(hours.timeZone) ? TIME_ZONES : [hours.timeZone, ...TIME_ZONES];

  return (
    <Stack gap="sm">
      <Checkbox.Group
        label={t('alerts.settings.workingDays')}
        value={hours.days.map(String)}
        onChange={(days) => onChange({ ...hours, days: days.map(Number).sort((a, b) => a - b) })}
        error={problems.days ? t('alerts.settings.problems.days') : undefined}
      >
        <Group gap="sm" mt={4}>
          {WEEKDAYS.map((day) => (
            <Checkbox key={day} value={String(day)} label={dayName(day)} disabled={disabled} />
          ))}
        </Group>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput type="time" label={t('alerts.settings.start')} value={hours.start} onChange={(event) => onChange({ ...hours, start: event.currentTarget.value })} disabled={disabled} error={problems.hours ? t('alerts.settings.problems.hours') : undefined} />
        <TextInput type="time" label={t('alerts.settings.end')} value={hours.end} onChange={(event) => onChange({ ...hours, end: event.currentTarget.value })} disabled={disabled} />
        <Select
          label={t('alerts.settings.timeZone')}
          searchable
          value={hours.timeZone}
          onChange={(timeZone) => onChange({ ...hours, timeZone: timeZone ?? '' })}
          data={zones as string[]}
          limit={50}
          disabled={disabled}
          error={problems.timeZone ? t('alerts.settings.problems.timeZone') : undefined}
        />
      </SimpleGrid>
    </Stack>
  );
}
