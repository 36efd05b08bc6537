import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { inNewPage, launchBrowser, newPage, OWNER, startServer, type RunningServer } from './harness.js';

/**
 * The newcomer's first day, clicked through in Chromium against the built server:
 * first-run setup → sign in → turn on TOTP → sign out → sign in with TOTP → invite a
 * colleague → the colleague accepts and signs in. Once in English, once in Chinese, with the
 * labels read from the app's own translations.
 */
const languages = [
  { name: 'English', locale: 'en-US', text: en, width: 1280 },
  { name: '简体中文 on a phone', locale: 'zh-CN', text: zhCN, width: 390 },
] as const;

const COLLEAGUE_PASSWORD = 'saffron-glacier-meadow-77';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function fillPasswordPair(page: Page, text: (typeof languages)[number]['text'], password: string) {
  await page.getByLabel(text.password.label, { exact: true }).fill(password);
  await page.getByLabel(text.password.confirmLabel, { exact: true }).fill(password);
}

async function openNavigation(page: Page, text: (typeof languages)[number]['text'], width: number) {
  if (width < 768) await page.getByRole('button', { name: text.shell.openNavigation }).click();
}

describe.each(languages)('first run in $name', ({ locale, text, width }) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sets up, signs in with a second factor, invites a colleague who accepts and signs in', async () => {
    expect(server.setupLink).toMatch(/\/setup#token=/);
    await inNewPage(browser, { locale, width }, `first-run-${locale}`, firstDay);
  });

  async function firstDay(page: Page) {
    const ownerEmail = `owner-${locale.toLowerCase()}@example.com`;

    // First-run setup from the printed link.
    await page.goto(server.setupLink!);
    await page.getByLabel(text.setup.workspaceName, { exact: true }).fill(locale === 'zh-CN' ? '示例贸易有限公司' : 'Acme Trading');
    await page.getByLabel(text.setup.displayName, { exact: true }).fill(locale === 'zh-CN' ? '张伟' : 'Olivia Owner');
    await page.getByLabel(text.setup.email, { exact: true }).fill(ownerEmail);
    await page.getByLabel(text.password.label, { exact: true }).fill('password1234');
    await expect.poll(() => page.getByText(text.password.problems.common_password).or(page.getByText(text.password.problems.too_guessable)).first().isVisible()).toBe(true);
    await fillPasswordPair(page, text, OWNER.password);
    await page.getByRole('button', { name: text.setup.submit }).click();
    await page.getByTestId('setup-done').waitFor();

    // Sign in with the password.
    await page.getByRole('link', { name: text.setup.done.signIn }).click();
    await page.getByLabel(text.signIn.email, { exact: true }).fill(ownerEmail);
    await page.getByLabel(text.signIn.password, { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: text.signIn.submit }).click();
    await page.getByTestId('signed-in-shell').waitFor();

    // Turn on TOTP: scan (read the key), confirm a code, keep the recovery codes.
    await page.goto(`${server.url}/account/security`);
    await page.getByRole('button', { name: text.account.mfa.setUp }).click();
    await page.getByTestId('totp-qr').waitFor();
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel(text.account.mfa.code, { exact: true }).fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: text.account.mfa.enable }).click();
    const codes = await page.getByTestId('recovery-codes').innerText();
    expect(codes.match(/[a-z0-9]{5}-[a-z0-9]{5}/g)).toHaveLength(10);
    await page.getByRole('button', { name: text.account.mfa.codes.saved }).click();

    // Sign out, then sign in again: now the code is asked for.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: text.shell.signOut }).click();
    await page.getByLabel(text.signIn.email, { exact: true }).fill(ownerEmail);
    await page.getByLabel(text.signIn.password, { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: text.signIn.submit }).click();
    // The next 30-second step: the code used to turn TOTP on cannot be replayed.
    await page.getByLabel(text.signIn.code, { exact: true }).fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: text.signIn.verify }).click();
    await page.getByTestId('signed-in-shell').waitFor();

    // Invite a colleague as a sales rep.
    await openNavigation(page, text, width);
    await page.getByRole('link', { name: text.nav.adminUsers }).click();
    await page.getByRole('button', { name: text.admin.invite.open }).click();
    const dialog = page.getByRole('dialog');
    const colleagueEmail = `colleague-${locale.toLowerCase()}@example.com`;
    await dialog.getByLabel(text.admin.invite.email, { exact: true }).fill(colleagueEmail);
    await dialog.getByLabel(text.admin.invite.role, { exact: true }).selectOption('sales_rep');
    await dialog.getByRole('button', { name: text.admin.invite.submit }).click();
    const inviteLink = (await page.getByTestId('invite-link').innerText()).trim();
    expect(inviteLink).toContain('/invite#token=');
    await dialog.getByRole('button', { name: text.common.done }).click();
    await page.locator(`[data-testid="invitation-row"][data-email="${colleagueEmail}"]`).waitFor();

    // The colleague, in a browser of their own, accepts and signs in.
    const colleague = await newPage(browser, { locale, width });
    await colleague.page.goto(inviteLink);
    await expect.poll(() => colleague.page.getByTestId('invite-email').innerText()).toContain(colleagueEmail);
    await colleague.page.getByLabel(text.invite.displayName, { exact: true }).fill(locale === 'zh-CN' ? '李娜' : 'Sam Sales');
    await fillPasswordPair(colleague.page, text, COLLEAGUE_PASSWORD);
    await colleague.page.getByRole('button', { name: text.invite.submit }).click();
    await colleague.page.getByText(text.signIn.accountCreated.title).waitFor();
    await expect.poll(() => colleague.page.getByLabel(text.signIn.email, { exact: true }).inputValue()).toBe(colleagueEmail);
    await colleague.page.getByLabel(text.signIn.password, { exact: true }).fill(COLLEAGUE_PASSWORD);
    await colleague.page.getByRole('button', { name: text.signIn.submit }).click();
    await colleague.page.getByTestId('signed-in-shell').waitFor();
    await openNavigation(colleague.page, text, width);
    expect(await colleague.page.getByRole('link', { name: text.nav.adminUsers }).count()).toBe(0);
    // Exactly: a sales rep may add customers, and 新建客户 ("New customer") holds 客户 ("Customers").
    expect(await colleague.page.getByRole('link', { name: text.nav.customers, exact: true }).count()).toBe(1);

    // The owner now sees the colleague as an active user.
    await page.reload();
    await page.locator(`[data-testid="user-row"][data-email="${colleagueEmail}"]`).waitFor();

    await colleague.context.close();
  }
});
