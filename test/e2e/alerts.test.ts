import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, joinByInvitation, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Detection rules end to end, against the built server and its own detector (it reads the audit
 * trail every few seconds): the owner lowers the repeated-denials threshold on the rules page, a
 * sales rep is refused three times through the API, and the alert appears in the owner's inbox
 * and bell; the owner acknowledges it, opens it, follows it to the audit trail's filter and
 * resolves it. Then the inbox in Chinese on a 390 px phone.
 */

const e2e = setUpServerWithOwner();

const MEMBER = { email: 'rui.rep@example.com', displayName: 'Rui Rep', password: 'amber-lantern-quartz-83' };
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

/** A sales rep invited through the API, joined through the public accept call, then refused three times where only administrators may go. */
async function memberRefusedThreeTimes(page: Page): Promise<string> {
  await joinByInvitation(e2e.server, await apiWithPageSession(page, e2e.server), { ...MEMBER, role: 'sales_rep' });
  const signedIn = await fetch(`${e2e.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: MEMBER.email, password: MEMBER.password }),
  });
  expect(signedIn.status).toBe(200);
  const cookie = signedIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  for (let i = 0; i < 3; i++) {
    expect((await fetch(`${e2e.server.url}/api/admin/users`, { headers: { cookie } })).status).toBe(403);
  }
  return ((await signedIn.json()) as { user: { id: string } }).user.id;
}

const alertRow = (page: Page) => page.locator('[data-testid="alert-row"][data-rule="repeated_denials"]');

/** The detector runs every few seconds; the inbox asks every half minute: reload until the alert is there. */
async function waitForAlert(page: Page) {
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByRole('heading', { name: en.alerts.title, level: 1 }).waitFor();
        return alertRow(page).count();
      },
      { timeout: 45_000, interval: 2_000 },
    )
    .toBe(1);
}

describe('alerts', () => {
  it('raises an alert when a member is refused again and again, and lets the owner acknowledge, follow and resolve it', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'alerts-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);

      // The rules page: every rule on, repeated denials lowered from 10 to 3.
      await page.getByRole('link', { name: en.nav.adminAlertRules, exact: true }).click();
      await page.getByRole('heading', { name: en.alerts.settings.title, level: 1 }).waitFor();
      await page.getByText(en.alerts.settings.mailOff).waitFor();
      const card = page.locator('[data-testid="alert-rule"][data-rule="repeated_denials"]');
      expect(await card.getByRole('switch', { name: fill(en.alerts.settings.enabled, { rule: en.alerts.rules.repeated_denials.name }) }).isChecked()).toBe(true);
      await page.getByTestId('rule-threshold-repeated_denials').fill('');
      await page.getByRole('button', { name: en.alerts.settings.save, exact: true }).click();
      await card.getByText(fill(en.alerts.settings.problems.number, { min: 1, max: 1_000_000 })).waitFor();
      await page.getByTestId('rule-threshold-repeated_denials').fill('3');
      await page.getByRole('button', { name: en.alerts.settings.save, exact: true }).click();
      await page.getByText(en.alerts.settings.saved).waitFor();
      await page.reload();
      await expect.poll(() => page.getByTestId('rule-threshold-repeated_denials').inputValue()).toBe('3');

      const memberId = await memberRefusedThreeTimes(page);

      // The inbox: the alert, with mail said to be off.
      await page.getByRole('link', { name: en.nav.alerts, exact: true }).click();
      await waitForAlert(page);
      await page.getByTestId('alerts-mail-off').waitFor();
      const row = alertRow(page);
      await row.getByText(MEMBER.displayName).waitFor();
      expect(await row.getByTestId('alert-status').getAttribute('data-status')).toBe('open');

      // The bell says so too.
      await page.getByTestId('notifications-bell').click();
      await page.getByTestId('notifications-panel').getByText(fill(en.shell.notifications.alertRaised, { rule: en.alerts.rules.repeated_denials.name, name: MEMBER.displayName })).waitFor();
      await page.getByTestId('notifications-bell').click();

      await row.getByRole('button', { name: en.alerts.acknowledge, exact: true }).click();
      await page.getByText(en.alerts.acknowledged).waitFor();
      await expect.poll(() => row.getByTestId('alert-status').getAttribute('data-status')).toBe('acknowledged');

      // Its page: what it counted, and the audit trail filtered to the member over its day.
      await row.getByRole('link', { name: fill(en.alerts.openDetails, { rule: en.alerts.rules.repeated_denials.name, name: MEMBER.displayName }) }).click();
      await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('alert-title').innerText()).toBe(en.alerts.rules.repeated_denials.name);
      const details = page.getByTestId('alert-details');
      await details.getByText(fill(en.alerts.detail.breakdownValue, { accessDenied: 3, signInFailed: 0, reauthFailed: 0 })).waitFor();
      await details.getByText(`${en.alerts.actions.none} — ${en.alerts.results.none}`).waitFor();
      const auditHref = await page.getByTestId('alert-audit-link').getAttribute('href');
      expect(auditHref).toMatch(new RegExp(`^/audit\\?actor=${memberId}&from=\\d{4}-\\d{2}-\\d{2}&to=\\d{4}-\\d{2}-\\d{2}$`));

      await page.getByRole('button', { name: en.alerts.resolve, exact: true }).click();
      await page.getByText(en.alerts.resolved).waitFor();
      await expect.poll(() => page.getByTestId('alert-status').getAttribute('data-status')).toBe('resolved');
      await details.getByText(/^Olivia Owner, /).first().waitFor();

      // Resolved: gone from the unresolved list, there under All.
      await page.getByRole('link', { name: `← ${en.alerts.detail.back}` }).click();
      await expect.poll(() => alertRow(page).count()).toBe(0);
      await page.getByText(en.alerts.filter.all, { exact: true }).click();
      await expect.poll(() => alertRow(page).getByTestId('alert-status').getAttribute('data-status')).toBe('resolved');

      // The audit trail opens on the member's events.
      await page.goto(`${e2e.server.url}${auditHref}`);
      await expect.poll(() => new URL(page.url()).searchParams.get('actor')).toBe(memberId);
    }));

  it('shows the inbox in Chinese on a phone, without sideways scrolling', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'alerts-zh-CN-phone', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/alerts?status=all`);
      await page.getByRole('heading', { name: zhCN.alerts.title, level: 1 }).waitFor();
      await alertRow(page).getByText(zhCN.alerts.rules.repeated_denials.name).waitFor();
      expect(await alertRow(page).getByTestId('alert-status').innerText()).toBe(zhCN.alerts.status.resolved);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
