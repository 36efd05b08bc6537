import { Alert, Button, Group, NativeSelect, Paper, Radio, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_KINDS, type CustomerKind } from '../../shared/fields.js';
import { ErrorAlert } from '../api/error-alert.js';
import type { RegistryField } from '../customers/customers-api.js';
import { fieldsOfKind, useFieldLabel } from '../customers/use-field-registry.js';
import { duplicateKeys, initialMapping, mappingProblem, mappingReducer, matchOptions, ON_MATCH, toSettings } from './import-mapping.js';
import { importsApi, type ImportJob, type ImportPreview, type ImportSettings } from './imports-api.js';
import { useImportErrorOverrides } from './use-import-error-overrides.js';
import { useRefreshOnConflict } from './use-refresh-on-conflict.js';

/** Value of the "do not import" choice in a column's select (field keys are never empty). */
const SKIP = '';
/** A column of the sample table is wide enough for its select and a short value. */
const COLUMN_WIDTH = 180;
const DELIMITER_NAMES: Record<string, 'comma' | 'semicolon' | 'tab' | 'pipe'> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

interface MappingStepProps {
  job: ImportJob & { preview: ImportPreview };
  fields: readonly RegistryField[];
  /** After a start: the job as the server answered. */
  onStarted: (job: ImportJob) => void;
  onChooseAnother: () => void;
}

/**
 * Step 2: what the server read from the file, the first rows under a field select per column
 * (prefilled with the server's suggestion), how rows are matched to existing customers and what
 * a match does; then a dry run or the import itself.
 */
export function MappingStep({ job, fields, onStarted, onChooseAnother }: MappingStepProps) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const { preview } = job;
  const keysOf = (kind: CustomerKind) => fieldsOfKind(fields, kind).map((field) => field.key);
  const [state, dispatch] = useReducer(mappingReducer, null, () => ({ ...initialMapping(preview.mapping, job.kind, keysOf(job.kind)), onMatch: job.onMatch }));
  const onError = useRefreshOnConflict(job.id);
  const start = useMutation({
    mutationFn: ({ settings, dryRun }: { settings: ImportSettings; dryRun: boolean }) => importsApi.start(job.id, { ...settings, dryRun }),
    onSuccess: (started) => onStarted(started),
    onError,
  });
  const overrides = useImportErrorOverrides(start.error);

  const kindFields = useMemo(() => fieldsOfKind(fields, state.kind), [fields, state.kind]);
  const options = useMemo(() => {
    const item = (field: RegistryField) => ({ value: field.key, label: fieldLabel(field) });
    return [
      { value: SKIP, label: t('imports.mapping.skipColumn') },
      { group: t('imports.mapping.builtIn'), items: kindFields.filter((field) => field.builtIn).map(item) },
      ...(kindFields.some((field) => !field.builtIn) ? [{ group: t('imports.mapping.custom'), items: kindFields.filter((field) => !field.builtIn).map(item) }] : []),
    ];
  }, [kindFields, fieldLabel, t]);
  const twice = duplicateKeys(state.columns);
  const matchable = matchOptions(state.columns);
  const problem = mappingProblem(state);
  const settings = toSettings(state);
  const columnName = (index: number) => preview.headers[index] || t('imports.mapping.unnamedColumn', { number: index + 1 });

  const run = (dryRun: boolean) => {
    if (settings) start.mutate({ settings, dryRun });
  };

  return (
    <Stack gap="md" data-testid="import-mapping">
      <FileFacts job={job} />
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end" gap="sm">
            <Title order={2} size="h4">
              {t('imports.mapping.title')}
            </Title>
            <SegmentedControl
              aria-label={t('imports.mapping.kind')}
              data={CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.kinds.${kind}`) }))}
              value={state.kind}
              onChange={(value) => dispatch({ type: 'kind', kind: value as CustomerKind, keys: keysOf(value as CustomerKind) })}
              data-testid="import-kind"
            />
          </Group>
          <Text size="sm" c="dimmed">
            {t('imports.mapping.hint')}
          </Text>
          {/* The table scrolls inside its card: a phone keeps the page still and swipes the columns. */}
          <Table.ScrollContainer minWidth={Math.max(preview.headers.length * COLUMN_WIDTH, 320)} type="native">
            <Table withTableBorder withColumnBorders striped verticalSpacing={6} aria-label={t('imports.mapping.sampleRows')} data-testid="import-sample">
              <Table.Thead>
                <Table.Tr>
                  {preview.headers.map((_header, index) => (
                    <Table.Th key={index} w={COLUMN_WIDTH} style={{ verticalAlign: 'top' }}>
                      <Text size="xs" fw={700} mb={4} style={{ overflowWrap: 'anywhere' }}>
                        {columnName(index)}
                      </Text>
                      <NativeSelect
                        size="xs"
                        aria-label={t('imports.mapping.fieldFor', { column: columnName(index) })}
                        data={options}
                        value={state.columns[index] ?? SKIP}
                        onChange={(event) => dispatch({ type: 'column', index, key: event.currentTarget.value || null })}
                        error={state.columns[index] != null && twice.has(state.columns[index]) ? t('imports.mapping.usedTwice') : undefined}
                        data-testid="import-column-field"
                        data-column={preview.headers[index]}
                      />
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.sample.map((row, rowIndex) => (
                  <Table.Tr key={rowIndex}>
                    {preview.headers.map((_header, index) => (
                      <Table.Td key={index} c={state.columns[index] === null ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
                        <Text size="sm" lineClamp={2}>
                          {row[index] ?? ''}
                        </Text>
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {preview.sample.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('imports.mapping.noRows')}
            </Text>
          )}
        </Stack>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p="md">
          {matchable.length > 0 && state.matchBy ? (
            <Radio.Group
              label={t('imports.mapping.matchBy')}
              description={t('imports.mapping.matchByHint')}
              value={state.matchBy}
              onChange={(value) => dispatch({ type: 'matchBy', matchBy: value as (typeof matchable)[number] })}
            >
              <Stack gap="xs" mt="xs">
                {matchable.map((key) => (
                  <Radio key={key} value={key} label={t(`imports.mapping.matchFields.${key}.label`)} description={t(`imports.mapping.matchFields.${key}.description`)} />
                ))}
              </Stack>
            </Radio.Group>
          ) : (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('imports.mapping.matchBy')}
              </Text>
              <Text size="sm" c="dimmed">
                {t('imports.mapping.problems.noMatchField')}
              </Text>
            </Stack>
          )}
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Radio.Group label={t('imports.mapping.onMatch')} value={state.onMatch} onChange={(value) => dispatch({ type: 'onMatch', onMatch: value as (typeof ON_MATCH)[number] })}>
            <Stack gap="xs" mt="xs">
              {ON_MATCH.map((choice) => (
                <Radio key={choice} value={choice} label={t(`imports.mapping.onMatchChoices.${choice}.label`)} description={t(`imports.mapping.onMatchChoices.${choice}.description`)} />
              ))}
            </Stack>
          </Radio.Group>
        </Paper>
      </SimpleGrid>

      {problem && problem !== 'noMatchField' && (
        <Alert color="yellow" variant="light" data-testid="import-mapping-problem">
          {t(`imports.mapping.problems.${problem}`)}
        </Alert>
      )}
      <ErrorAlert error={start.error} overrides={overrides} />
      <Text size="sm" c="dimmed">
        {t('imports.mapping.dryRunHint')}
      </Text>
      <Group justify="space-between" gap="sm">
        <Button variant="subtle" onClick={onChooseAnother} disabled={start.isPending}>
          {t('imports.chooseAnother')}
        </Button>
        <Group gap="sm">
          <Button variant="default" onClick={() => run(true)} disabled={!settings} loading={start.isPending && start.variables?.dryRun} data-testid="import-dry-run">
            {t('imports.mapping.dryRun')}
          </Button>
          <Button onClick={() => run(false)} disabled={!settings} loading={start.isPending && !start.variables?.dryRun} data-testid="import-start">
            {t('imports.mapping.import')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

/** Format, encoding and delimiter as the server detected them. */
function FileFacts({ job }: { job: ImportJob & { preview: ImportPreview } }) {
  const { t } = useTranslation();
  const { preview } = job;
  const delimiter = preview.delimiter === null ? null : DELIMITER_NAMES[preview.delimiter];
  const facts: [string, string, string][] = [
    ['file', t('imports.mapping.file'), job.fileName],
    ['format', t('imports.mapping.format'), t(`imports.mapping.formats.${preview.format}`)],
    ['encoding', t('imports.mapping.encoding'), preview.encoding ? t(`imports.mapping.encodings.${preview.encoding}`) : t('imports.mapping.notApplicable')],
    [
      'delimiter',
      t('imports.mapping.delimiter'),
      preview.delimiter === null ? t('imports.mapping.notApplicable') : delimiter ? t(`imports.mapping.delimiters.${delimiter}`) : t('imports.mapping.delimiters.other', { delimiter: preview.delimiter }),
    ],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {facts.map(([key, label, value]) => (
        <Paper key={key} withBorder radius="md" p="sm">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid={`import-${key}`}>
            {value}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
