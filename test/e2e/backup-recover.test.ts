import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { BUILT_IN_FIELDS } from '../../src/server/vault/built-in-fields.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Single-customer recovery (issue #6, item 5), in Chromium against the built server: the owner
 * backs up, renames a customer by mistake, then from Admin → Backups pastes the customer's id,
 * previews (the name would be set back), recovers, and finds the old name on the customer page.
 */
const e2e = setUpServerWithOwner();
const text = en.admin.backups.recover;
const nameField = BUILT_IN_FIELDS.find((each) => each.kind === 'person' && each.key === 'name')!;

/** Backs up through the API, as the page's session, and waits for the run to succeed. */
async function backUp(page: Page): Promise<void> {
  const api = await apiWithPageSession(page, e2e.server);
  const { id } = await api.post<{ id: string }>('/api/admin/backups', undefined);
  await expect
    .poll(async () => ((await (await page.request.get(`${e2e.server.url}/api/admin/backups/runs/${id}`)).json()) as { status: string }).status, { timeout: 60_000, interval: 500 })
    .toBe('succeeded');
}

async function rename(page: Page, id: string, name: string): Promise<void> {
  const { csrfToken } = (await (await page.request.get(`${e2e.server.url}/api/auth/me`)).json()) as { csrfToken: string };
  const response = await page.request.patch(`${e2e.server.url}/api/customers/${id}`, { data: { name }, headers: { 'x-csrf-token': csrfToken } });
  expect(response.ok(), `PATCH: ${response.status()} ${await response.text()}`).toBe(true);
}

describe('recovering a customer from a backup', () => {
  it('sets a renamed customer back to the name the backup holds', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'backup-recover-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      const api = await apiWithPageSession(page, e2e.server);
      const { id } = await api.create<{ id: string }>('/api/customers', { kind: 'person', name: 'Li Na' });
      await backUp(page);
      await rename(page, id, 'Wrong Name');

      await page.goto(`${e2e.server.url}/admin/backups`);
      await page.getByRole('heading', { name: en.admin.backups.title }).waitFor();
      await page.locator('[data-testid="backup-run"][data-status="succeeded"]').getByRole('button', { name: text.open }).click();
      const modal = page.getByTestId('recover-modal');
      await modal.getByLabel(text.ids).fill(`  ${id}\n${id}, `);
      await expect.poll(() => modal.getByTestId('recover-count').innerText()).toBe(text.count.replace('{{total}}', '1'));

      await modal.getByRole('button', { name: text.preview, exact: true }).click();
      const customer = modal.locator(`[data-testid="recover-customer"][data-id="${id}"]`);
      await customer.waitFor();
      // The field's label, once the field definitions have loaded (a placeholder until then).
      await expect.poll(() => customer.locator('[data-field="name"]').innerText()).toBe(nameField.labels.en);

      await modal.getByRole('button', { name: text.recover, exact: true }).click();
      await modal.getByTestId('recover-confirm').waitFor();
      await modal.getByRole('button', { name: text.confirmButton, exact: true }).click();
      await page.getByRole('status').getByText(text.recovered.replace('{{total}}', '1')).waitFor();
      await modal.waitFor({ state: 'detached' });

      await page.goto(`${e2e.server.url}/customers/${id}`);
      await expect.poll(() => page.getByTestId('customer-name').innerText()).toBe('Li Na');
    }));

  it('says plainly when a customer is not in the backup', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 390 }, 'backup-recover-not-in-backup', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      const api = await apiWithPageSession(page, e2e.server);
      const { id } = await api.create<{ id: string }>('/api/customers', { kind: 'person', name: 'Zhao Lei' });

      await page.goto(`${e2e.server.url}/admin/backups`);
      await page.locator('[data-testid="backup-run"][data-status="succeeded"]').first().getByRole('button', { name: text.open }).click();
      const modal = page.getByTestId('recover-modal');
      await modal.getByLabel(text.ids).fill(id);
      await modal.getByRole('button', { name: text.preview, exact: true }).click();
      await modal.getByRole('alert').getByText(text.errors.not_in_backup).waitFor();
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
