import { Group, List, Progress, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../shared/password-problems.js';
import { authApi } from './auth-api.js';

const SCORE_COLORS = ['red', 'red', 'orange', 'lime', 'teal'] as const;
const SCORE_KEYS = ['veryWeak', 'weak', 'fair', 'strong', 'veryStrong'] as const;

/**
 * Asks the server how strong a password is, a moment after typing stops: the same policy
 * decides there, so the meter never disagrees with the final answer.
 */
export function PasswordStrength({ password, email }: { password: string; email?: string }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(password, 400);
  const check = useQuery({
    queryKey: ['password-check', debounced, email ?? ''],
    queryFn: () => authApi.checkPassword(debounced, email || undefined),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 0,
  });

  if (!password) return null;
  const result = check.data;
  const score = Math.min(4, Math.max(0, result?.score ?? 0));
  const level = t(`password.strength.${SCORE_KEYS[score] ?? 'veryWeak'}`);

  return (
    <Stack gap={6} data-testid="password-strength" aria-live="polite">
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {t('password.strength.label')}
        </Text>
        <Text size="xs" fw={600} c={result ? SCORE_COLORS[score] : 'dimmed'}>
          {result ? level : t('password.strength.checking')}
        </Text>
      </Group>
      <Progress
        value={result ? (score + 1) * 20 : 0}
        color={SCORE_COLORS[score]}
        size="sm"
        aria-label={t('password.strength.label')}
        aria-valuetext={result ? level : undefined}
        transitionDuration={150}
      />
      {result && (result.problems.length > 0 || result.warning || result.suggestions.length > 0) && (
        <List size="xs" spacing={2} c="dimmed">
          {result.problems.map((problem) => (
            <List.Item key={problem} c="red.7">
              {t(`password.problems.${problem}`, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
            </List.Item>
          ))}
          {/* zxcvbn's own hints, in English as the server writes them. */}
          {result.warning && <List.Item lang="en">{result.warning}</List.Item>}
          {result.suggestions.map((suggestion) => (
            <List.Item key={suggestion} lang="en">
              {suggestion}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
