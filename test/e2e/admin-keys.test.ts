import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The owner rotates the workspace data key from Admin → Keys and runs the rewrap that moves
 * every customer key to the new version, until the old version is retired — in English on a
 * desktop, then once more in Chinese on a 390 px phone.
 */
const CUSTOMERS = 5;

const e2e = setUpServerWithOwner();

/** Customers made through the API with the page's own session: each one gets a customer key. */
async function addCustomers(page: Page, count: number) {
  const api = await apiWithPageSession(page, e2e.server);
  for (let i = 0; i < count; i += 1) await api.create('/api/customers', { kind: 'person', name: `Customer ${i}`, email: `customer.${i}@example.com` });
}

const versionRow = (page: Page, version: number) => page.locator(`[data-testid="key-version"][data-purpose="data"][data-version="${version}"]`);

/** Rotates from `from` to `from + 1` and rewraps every customer key, checking each step on the page. */
async function rotateAndRewrap(page: Page, text: typeof en, from: number) {
  await versionRow(page, from).waitFor();
  expect(await versionRow(page, from).getByTestId('key-wraps').innerText()).toBe(String(CUSTOMERS));

  await page.getByRole('button', { name: text.admin.keys.rotate }).click();
  const dialog = page.getByRole('dialog', { name: text.admin.keys.rotateConfirm.title });
  await dialog.getByText(text.admin.keys.rotateConfirm.steps[0]!).waitFor();
  await dialog.getByRole('button', { name: text.admin.keys.rotateConfirm.confirm, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  // The new version is current; the old one still wraps every existing customer key.
  await versionRow(page, from + 1).waitFor();
  expect(await versionRow(page, from + 1).getByText(text.admin.keys.current, { exact: true }).count()).toBe(1);
  expect(await versionRow(page, from).getByText(text.admin.keys.stillInUse, { exact: true }).count()).toBe(1);
  await page.getByTestId('rewrap-pending').getByText(text.admin.keys.pending_other.replace('{{count}}', String(CUSTOMERS))).waitFor();

  await page.getByRole('button', { name: text.admin.keys.start, exact: true }).click();
  // Once the server has answered, the panel follows this run (a page may still show the last one's end until then).
  await page.getByText(text.admin.keys.started).waitFor();
  await page.locator('[data-testid="rewrap-state"][data-state="done"]').waitFor();
  expect(await page.getByTestId('rewrap-count').innerText()).toBe(text.admin.keys.progress.replace('{{done}}', String(CUSTOMERS)).replace('{{total}}', String(CUSTOMERS)));
  expect(await page.getByRole('progressbar', { name: text.admin.keys.progressLabel }).getAttribute('aria-valuenow')).toBe('100');
  await page.getByTestId('rewrap-pending').getByText(text.admin.keys.upToDate).waitFor();

  // Nothing refers to the old version any more: it is retired, the new one wraps every customer key.
  await versionRow(page, from).and(page.locator('[data-retired="true"]')).waitFor();
  expect(await versionRow(page, from).getByTestId('key-wraps').innerText()).toBe('0');
  expect(await versionRow(page, from + 1).getByTestId('key-wraps').innerText()).toBe(String(CUSTOMERS));
}

describe('encryption keys from the admin pages', () => {
  it('rotates the data key and rewraps every customer key, in English', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'admin-keys-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      await addCustomers(page, CUSTOMERS);
      await page.getByRole('link', { name: en.nav.adminKeys, exact: true }).click();
      await page.waitForURL(/\/admin\/keys$/);
      await page.getByRole('heading', { name: en.admin.keys.title }).waitFor();
      await rotateAndRewrap(page, en, 1);
    }));

  it('does it again in Chinese on a 390 px phone, with nothing running off the side', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'admin-keys-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/admin/keys`);
      await page.getByRole('heading', { name: zhCN.admin.keys.title }).waitFor();
      await rotateAndRewrap(page, zhCN, 2);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
