import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { BUILT_IN_FIELDS } from '../../src/server/vault/built-in-fields.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Field history (issue #5, item 3), in Chromium against the built server: the owner edits a
 * customer's phone, opens History and sees who changed it, old → new; then, in Chinese on a
 * phone, the same change under the field's Chinese label.
 */
const e2e = setUpServerWithOwner();
const customer = { id: '' };

const phoneField = BUILT_IN_FIELDS.find((each) => each.kind === 'person' && each.key === 'phone')!;
const history = (page: Page) => page.getByTestId('customer-section-history');
const phoneEntry = (page: Page) => history(page).locator('[data-testid="history-entry"][data-field="phone"]');

describe('field history', () => {
  it('shows the owner their change of a phone number, old → new', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'field-history-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      const api = await apiWithPageSession(page, e2e.server);
      customer.id = (await api.create<{ id: string }>('/api/customers', { kind: 'person', name: '张伟', phone: '138 0013 8000' })).id;
      await page.goto(`${e2e.server.url}/customers/${customer.id}`);
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('+8613800138000');

      // Nothing changed yet: the history says so.
      await history(page).getByTestId('history-show').click();
      await history(page).getByTestId('history-empty').waitFor();

      await page.getByRole('button', { name: en.customers.profile.edit, exact: true }).click();
      await page.getByRole('textbox', { name: phoneField.labels.en, exact: true }).fill('139 0000 1111');
      await page.getByRole('button', { name: en.common.save, exact: true }).click();
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('+8613900001111');

      // The open history follows the change made on the page.
      await phoneEntry(page).waitFor();
      expect(await phoneEntry(page).getByTestId('history-old').innerText()).toBe('+8613800138000');
      expect(await phoneEntry(page).getByTestId('history-new').innerText()).toBe('+8613900001111');
      expect(await phoneEntry(page).innerText()).toContain(phoneField.labels.en);
      expect(await history(page).getByTestId('history-who').first().innerText()).toContain(en.customers.sections.history.actors.you);
    }));

  it('shows the same change in Chinese on a phone', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'field-history-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/customers/${customer.id}`);
      await history(page).getByRole('button', { name: zhCN.customers.sections.history.show }).click();
      await phoneEntry(page).waitFor();
      expect(await phoneEntry(page).innerText()).toContain(phoneField.labels['zh-CN']);
      expect(await phoneEntry(page).getByTestId('history-old').innerText()).toBe('+8613800138000');
      // Nothing spills out of the phone's width.
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
    }));
});
