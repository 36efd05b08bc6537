import { MantineProvider, NativeSelect, NumberInput, PasswordInput, TextInput, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Navigate, RouterProvider, createBrowserRouter } from 'react-router';
import { AccountPage } from './account/account-page.js';
import { FieldsPage } from './admin/fields-page.js';
import { KeysPage } from './admin/keys-page.js';
import { BackupsPage } from './admin/backups/backups-page.js';
import { RolesPage } from './admin/roles/roles-page.js';
import { SettingsPage } from './admin/settings-page.js';
import { TeamsPage } from './admin/teams/teams-page.js';
import { UsersPage } from './admin/users-page.js';
import { ApiError } from './api/api-error.js';
import { setSignedOutHandler } from './api/client.js';
import { AlertPage } from './alerts/alert-page.js';
import { AlertRulesPage } from './alerts/alert-rules-page.js';
import { AlertsPage } from './alerts/alerts-page.js';
import { RequireAlertsAccess } from './alerts/require-alerts-access.js';
import { AuditPage } from './audit/audit-page.js';
import { InvitePage } from './auth/invite-page.js';
import { ReauthProvider } from './auth/reauth-modal.js';
import { SetupPage } from './auth/setup-page.js';
import { SignInPage } from './auth/sign-in-page.js';
import { CustomerPage } from './customers/customer-page.js';
import { CustomersPage } from './customers/customers-page.js';
import { DuplicatesPage } from './duplicates/duplicates-page.js';
import { QualityPage } from './quality/quality-page.js';
import { NewCustomerPage } from './customers/new-customer-page.js';
import { ImportPage } from './imports/import-page.js';
import { ComingSoonPage } from './placeholders/coming-soon-page.js';
import { AppShellLayout } from './shell/app-shell-layout.js';
import { NotFoundPage } from './shell/not-found-page.js';
import { RequireEnrolledMfa, RequirePolicy } from './shell/route-guards.js';
import { NotificationsProvider } from './ui/notifications.js';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
  // Every field on our forms is required; a " *" in each label is noise (and would leak into its accessible name).
  components: {
    TextInput: TextInput.extend({ defaultProps: { withAsterisk: false } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { withAsterisk: false } }),
    NumberInput: NumberInput.extend({ defaultProps: { withAsterisk: false } }),
    NativeSelect: NativeSelect.extend({ defaultProps: { withAsterisk: false } }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a network hiccup might.
      retry: (failureCount, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
    mutations: { retry: false },
  },
});

const router = createBrowserRouter([
  { path: '/setup', element: <SetupPage /> },
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/invite', element: <InvitePage /> },
  {
    path: '/',
    element: <AppShellLayout />,
    children: [
      { path: 'account', element: <Navigate to="/account/profile" replace /> },
      { path: 'account/:tab', element: <AccountPage /> },
      {
        element: <RequireEnrolledMfa />,
        children: [
          { index: true, element: <Navigate to="/customers" replace /> },
          { path: 'customers', element: <CustomersPage /> },
          { path: 'customers/new', element: <NewCustomerPage /> },
          { path: 'customers/:id', element: <CustomerPage /> },
          { path: 'customers/import', element: <ImportPage /> },
          { path: 'import', element: <Navigate to="/customers/import" replace /> },
          { path: 'duplicates', element: <DuplicatesPage /> },
          { path: 'quality', element: <RequirePolicy policy="readQuality" />, children: [{ index: true, element: <QualityPage /> }] },
          { path: 'privacy', element: <ComingSoonPage area="privacy" /> },
          { path: 'security', element: <ComingSoonPage area="security" /> },
          { path: 'audit', element: <RequirePolicy policy="readAudit" />, children: [{ index: true, element: <AuditPage /> }] },
          {
            path: 'alerts',
            element: <RequireAlertsAccess />,
            children: [
              { index: true, element: <AlertsPage /> },
              { path: ':id', element: <AlertPage /> },
            ],
          },
          { path: 'admin', element: <Navigate to="/admin/users" replace /> },
          { path: 'admin/users', element: <RequirePolicy policy="manageUsers" />, children: [{ index: true, element: <UsersPage /> }] },
          { path: 'admin/roles', element: <RequirePolicy policy="manageUsers" />, children: [{ path: ':key?', element: <RolesPage /> }] },
          { path: 'admin/teams', element: <RequirePolicy policy="manageUsers" />, children: [{ index: true, element: <TeamsPage /> }] },
          { path: 'admin/fields', element: <RequirePolicy policy="manageSettings" />, children: [{ index: true, element: <FieldsPage /> }] },
          { path: 'admin/keys', element: <RequirePolicy policy="manageSettings" />, children: [{ index: true, element: <KeysPage /> }] },
          { path: 'admin/backups', element: <RequirePolicy policy="manageSettings" />, children: [{ index: true, element: <BackupsPage /> }] },
          { path: 'admin/settings', element: <RequirePolicy policy="manageSettings" />, children: [{ index: true, element: <SettingsPage /> }] },
          { path: 'admin/alert-rules', element: <RequirePolicy policy="manageSettings" />, children: [{ index: true, element: <AlertRulesPage /> }] },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

const PUBLIC_PATHS = ['/setup', '/sign-in', '/invite'];

setSignedOutHandler(() => {
  if (PUBLIC_PATHS.includes(router.state.location.pathname)) return;
  // Leave the signed-in pages first, so nothing re-fetches what is being forgotten.
  void router.navigate('/sign-in', { replace: true }).then(() => queryClient.clear());
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <NotificationsProvider>
          <ReauthProvider>
            <RouterProvider router={router} />
          </ReauthProvider>
        </NotificationsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
