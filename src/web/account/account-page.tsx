import { Stack, Tabs, Title } from '@mantine/core';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ApiTokensSection } from './api-tokens-section.js';
import { PasswordSection } from './password-section.js';
import { ProfileSection } from './profile-section.js';
import { SessionsSection } from './sessions-section.js';
import { TwoFactorSection } from './two-factor-section.js';

const TABS = ['profile', 'password', 'security', 'sessions', 'tokens'] as const;
type AccountTab = (typeof TABS)[number];

function isAccountTab(value: string | undefined): value is AccountTab {
  return (TABS as readonly (string | undefined)[]).includes(value);
}

const SECTIONS: Record<AccountTab, ComponentType> = {
  profile: ProfileSection,
  password: PasswordSection,
  security: TwoFactorSection,
  sessions: SessionsSection,
  tokens: ApiTokensSection,
};

/** `/account/:tab` — each tab is its own address, so sign-in can send people straight to Security. */
export function AccountPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  if (!isAccountTab(tab)) return <Navigate to="/account/profile" replace />;
  const Section = SECTIONS[tab];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('account.title')}
      </Title>
      <Tabs value={tab} onChange={(value) => value && void navigate(`/account/${value}`)} keepMounted={false}>
        <Tabs.List>
          {TABS.map((key) => (
            <Tabs.Tab key={key} value={key}>
              {t(`account.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={tab} pt="md">
          <Section />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
