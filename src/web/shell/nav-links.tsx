import { NavLink, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { can } from '../auth/use-can.js';
import { useMe } from '../auth/use-me.js';

interface NavItem {
  to: string;
  label: string;
}

/** The navbar: what everyone sees, then administration for those whose policies allow it. */
export function NavLinks({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const { pathname } = useLocation();
  const within = (to: string) => pathname === to || pathname.startsWith(`${to}/`);
  // The most specific item is the active one: on /customers/import, Import and not Customers too.
  const isActive = (to: string) => within(to) && !main.some((item) => item.to.startsWith(`${to}/`) && within(item.to));

  const main: NavItem[] = [
    { to: '/customers', label: t('nav.customers') },
    ...(can(me.policies, 'customers', 'import') ? [{ to: '/customers/import', label: t('nav.import') }] : []),
    ...(can(me.policies, 'customers', 'read') ? [{ to: '/duplicates', label: t('nav.duplicates') }] : []),
    ...(me.policies.readQuality ? [{ to: '/quality', label: t('nav.quality') }] : []),
    { to: '/privacy', label: t('nav.privacy') },
    { to: '/security', label: t('nav.security') },
    ...(me.policies.readAudit ? [{ to: '/audit', label: t('nav.audit') }] : []),
    ...(me.policies.readAudit || me.policies.manageSettings ? [{ to: '/alerts', label: t('nav.alerts') }] : []),
  ];
  const admin: NavItem[] = [
    ...(me.policies.manageUsers ? [{ to: '/admin/users', label: t('nav.adminUsers') }] : []),
    ...(me.policies.manageUsers ? [{ to: '/admin/roles', label: t('nav.adminRoles') }] : []),
    ...(me.policies.manageUsers ? [{ to: '/admin/teams', label: t('nav.adminTeams') }] : []),
    ...(me.policies.manageSettings ? [{ to: '/admin/fields', label: t('nav.adminFields') }] : []),
    ...(me.policies.manageSettings ? [{ to: '/admin/keys', label: t('nav.adminKeys') }] : []),
    ...(me.policies.manageSettings ? [{ to: '/admin/backups', label: t('nav.adminBackups') }] : []),
    ...(me.policies.manageSettings ? [{ to: '/admin/settings', label: t('nav.adminSettings') }] : []),
    ...(me.policies.manageSettings ? [{ to: '/admin/alert-rules', label: t('nav.adminAlertRules') }] : []),
  ];

  const link = (item: NavItem) => <NavLink key={item.to} component={Link} to={item.to} label={item.label} active={isActive(item.to)} onClick={onNavigate} />;

  return (
    <Stack component="nav" gap={2} aria-label={t('nav.label')}>
      {main.map(link)}
      {link({ to: '/account', label: t('nav.account') })}
      {me.policies.manageUsers && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} id="nav-admin">
            {t('nav.admin')}
          </Text>
          <Stack gap={2} role="group" aria-labelledby="nav-admin">
            {admin.map(link)}
          </Stack>
        </>
      )}
    </Stack>
  );
}
