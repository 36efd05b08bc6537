import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The owner opens Admin → Backups, backs up now and sees the run succeed and verify — in
 * English on a desktop, then in Chinese on a 390 px phone.
 */
const e2e = setUpServerWithOwner();

async function backUpNow(page: Page, text: typeof en, runsBefore: number) {
  await page.getByRole('button', { name: text.admin.backups.backUpNow, exact: true }).click();
  await page.locator('[data-testid="backup-run-result"][data-status="succeeded"][data-verify="verified"]').waitFor({ timeout: 60_000 });
  await expect.poll(() => page.locator('[data-testid="backup-run"][data-status="succeeded"][data-verify="verified"]').count()).toBe(runsBefore + 1);
  expect(await page.getByRole('table', { name: text.admin.backups.runsTitle }).getByText(text.admin.backups.verify.verified, { exact: true }).count()).toBe(runsBefore + 1);
}

describe('backups from the admin pages', () => {
  it('backs up now and sees it verified, in English', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'backups-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      await page.getByRole('link', { name: en.nav.adminBackups, exact: true }).click();
      await page.waitForURL(/\/admin\/backups$/);
      await page.getByRole('heading', { name: en.admin.backups.title }).waitFor();
      await page.getByTestId('backups-empty').waitFor();
      await backUpNow(page, en, 0);
      await page.getByText(en.admin.backups.never).waitFor({ state: 'detached' });
    }));

  it('does it again in Chinese on a 390 px phone, with nothing running off the side', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'backups-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/admin/backups`);
      await page.getByRole('heading', { name: zhCN.admin.backups.title }).waitFor();
      await page.locator('[data-testid="backup-run"]').first().waitFor();
      await backUpNow(page, zhCN, 1);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
