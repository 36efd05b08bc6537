import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { QualityField } from '../../shared/quality.js';
import { invalidRows } from './quality-summary.js';

/** Stored values today's rules refuse, per field and reason: what to fix (or why a rule was tightened). */
export function InvalidSection({ fields }: { fields: readonly QualityField[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const rows = invalidRows(fields, language);
  const number = new Intl.NumberFormat(language);
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="invalid-none">
        {t('quality.noInvalid')}
      </Text>
    );
  }
  const reason = (code: string) => (i18n.exists(`quality.reasons.${code}`) ? t(`quality.reasons.${code}` as 'quality.reasons.invalid_value') : code);
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table striped verticalSpacing={4} fz="sm" data-testid="invalid-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('quality.field')}</Table.Th>
            <Table.Th>{t('quality.reason')}</Table.Th>
            <Table.Th ta="right">{t('quality.count')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.kind}.${row.key}.${row.code}`}>
              <Table.Td>
                {row.label}
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {t(`quality.kinds.${row.kind}`, { count: 2 })}
                </Text>
              </Table.Td>
              <Table.Td>{reason(row.code)}</Table.Td>
              <Table.Td ta="right">{number.format(row.count)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
