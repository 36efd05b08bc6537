import { Anchor, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useFormatDate } from '../i18n/use-format-date.js';
import type { CustomerRecord, RegistryField } from './customers-api.js';
import { useCustomerName } from './customer-name.js';
import { MaskedMark } from './sensitivity-badge.js';
import { findField, isMaskedField } from './use-field-registry.js';
import { useFormatFieldValue } from './use-format-field-value.js';

const VALUE_COLUMNS = ['email', 'phone'] as const;

/**
 * The rows of a customer list. Kept apart from the page (which owns loading and paging) so it
 * can become a virtualized table (@tanstack/react-virtual) when the list API gains filters and
 * sorting for millions of rows.
 */
export function CustomersTable({ customers, fields }: { customers: readonly CustomerRecord[]; fields: readonly RegistryField[] | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const formatValue = useFormatFieldValue();
  const nameOf = useCustomerName();

  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="xs" striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('customers.list.name')}</Table.Th>
            {/* On a phone the contact columns matter more than the kind, which the customer page shows. */}
            <Table.Th visibleFrom="sm">{t('customers.list.kind')}</Table.Th>
            <Table.Th>{t('customers.list.email')}</Table.Th>
            <Table.Th>{t('customers.list.phone')}</Table.Th>
            <Table.Th>{t('customers.list.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {customers.map((customer) => {
            const path = `/customers/${encodeURIComponent(customer.id)}`;
            const nameField = findField(fields, customer.kind, 'name');
            return (
              <Table.Tr key={customer.id} data-testid="customer-row" data-id={customer.id} onClick={() => void navigate(path)} style={{ cursor: 'pointer' }}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {/* A real link, for the keyboard and for opening in a new tab; the row click is a shortcut. */}
                    <Anchor component={Link} to={path} fw={500} onClick={(event) => event.stopPropagation()}>
                      {nameOf(customer)}
                    </Anchor>
                    {isMaskedField(nameField) && <MaskedMark />}
                  </Group>
                </Table.Td>
                <Table.Td visibleFrom="sm">{t(`customers.kinds.${customer.kind}`)}</Table.Td>
                {VALUE_COLUMNS.map((key) => {
                  const field = findField(fields, customer.kind, key);
                  const value = formatValue(field, customer[key]);
                  return (
                    <Table.Td key={key} style={{ wordBreak: 'break-all' }}>
                      {value ? (
                        <Group gap={6} wrap="nowrap">
                          <span>{value}</span>
                          {isMaskedField(field) && <MaskedMark />}
                        </Group>
                      ) : (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(customer.createdAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
