import { Alert, AppShell, Burger, Button, Center, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { isApiError } from '../api/api-error.js';
import { ErrorAlert } from '../api/error-alert.js';
import type { Me } from '../api/types.js';
import { MeContext, useMeQuery } from '../auth/use-me.js';
import { LanguageSwitcher } from '../i18n/language-switcher.js';
import { isLanguage } from '../i18n/languages.js';
import { PageLoader } from '../ui/page-loader.js';
import { BreakGlassBanner } from './break-glass/break-glass-banner.js';
import { NavLinks } from './nav-links.js';
import { NotificationsBell } from './notifications/notifications-bell.js';
import { UserMenu } from './user-menu.js';

/**
 * Everything behind sign-in: loads `Me` first, then the header (notifications, account menu),
 * navbar and the page, under the break-glass banner while the user holds that access.
 */
export function AppShellLayout() {
  const { t } = useTranslation();
  const me = useMeQuery();

  if (me.isPending || isApiError(me.error, 'unauthenticated')) return <PageLoader />;
  if (me.isError) {
    return (
      <Center mih="100vh" p="md">
        <Stack maw={420}>
          <ErrorAlert error={me.error} />
          <Button onClick={() => void me.refetch()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  return (
    <MeContext.Provider value={me.data}>
      <SignedInShell me={me.data} />
    </MeContext.Provider>
  );
}

/** The user's saved language wins once per sign-in; the header switcher can still change it after. */
function useSavedLanguage(me: Me) {
  const { i18n } = useTranslation();
  const appliedFor = useRef<string | null>(null);
  useEffect(() => {
    if (appliedFor.current === me.user.id) return;
    appliedFor.current = me.user.id;
    if (isLanguage(me.user.locale) && me.user.locale !== i18n.resolvedLanguage) void i18n.changeLanguage(me.user.locale);
  }, [me.user.id, me.user.locale, i18n]);
}

function SignedInShell({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();
  useSavedLanguage(me);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="md" data-testid="signed-in-shell">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={navOpened ? t('shell.closeNavigation') : t('shell.openNavigation')} />
            <Text component={Link} to="/" fw={700} size="lg" c="blue.8" td="none">
              {t('app.name')}
            </Text>
            <Text size="sm" c="dimmed" visibleFrom="md" truncate maw={240}>
              {me.workspace.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher />
            <NotificationsBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <NavLinks onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="md" maw={1100} mx="auto">
          <BreakGlassBanner />
          {me.mfaEnrollmentRequired && (
            <Alert color="orange" title={t('shell.mfaEnrollment.title')} data-testid="mfa-enrollment-banner">
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('shell.mfaEnrollment.body')}</Text>
                {pathname !== '/account/security' && (
                  <Button component={Link} to="/account/security" size="xs" color="orange">
                    {t('shell.mfaEnrollment.action')}
                  </Button>
                )}
              </Stack>
            </Alert>
          )}
          <Outlet />
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
