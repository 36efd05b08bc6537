import { Avatar, Button, Menu, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../auth/auth-api.js';
import { useMe } from '../auth/use-me.js';
import { useForgetSession } from '../auth/use-sign-out.js';
import { BreakGlassModal } from './break-glass/break-glass-modal.js';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((part) => Array.from(part ?? '')[0] ?? '').join('').toUpperCase() || '?';
}

/** The header's account menu: the user's pages, break-glass for those whose role has it, signing out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const forgetSession = useForgetSession();
  const [breakingGlass, setBreakingGlass] = useState(false);
  const signOut = useMutation({
    mutationFn: authApi.logout,
    // Signed out locally even if the server could not be reached: the cookie may still live there.
    onSettled: () => forgetSession(),
  });

  return (
    <>
      <Menu position="bottom-end" withinPortal width={220}>
        <Menu.Target>
          <Button
            variant="subtle"
            size="compact-sm"
            data-testid="user-menu"
            aria-label={t('shell.userMenu', { name: me.user.displayName })}
            leftSection={
              <Avatar size={24} radius="xl" color="blue">
                {initials(me.user.displayName)}
              </Avatar>
            }
            loading={signOut.isPending}
          >
            <Text span size="sm" visibleFrom="sm" maw={160} truncate>
              {me.user.displayName}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <Text size="xs" truncate>
              {me.user.email}
            </Text>
          </Menu.Label>
          <Menu.Item component={Link} to="/account">
            {t('nav.account')}
          </Menu.Item>
          {me.policies.breakGlass && !me.policies.breakGlassActive && (
            <Menu.Item color="red" onClick={() => setBreakingGlass(true)} data-testid="break-glass-open">
              {t('shell.breakGlass.action')}
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item color="red" onClick={() => signOut.mutate()}>
            {t('shell.signOut')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <BreakGlassModal opened={breakingGlass} onClose={() => setBreakingGlass(false)} />
    </>
  );
}
