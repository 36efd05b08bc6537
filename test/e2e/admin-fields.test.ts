import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { launchBrowser, newPage, screenshotOnFailure, startServer, type RunningServer } from './harness.js';

/**
 * The administrator's data screens: the default phone region in the workspace settings, and
 * the field registry as a data-classification page — add a custom field (a duplicate key is
 * refused under the key input), then archive and unarchive it.
 */
const OWNER_EMAIL = 'owner@example.com';
const OWNER_PASSWORD = 'violet-harbor-tundra-49';

let browser: Browser;
let server: RunningServer;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  const setupToken = new URL(server.setupLink!).hash.replace(/^#token=/, '');
  const response = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, workspaceName: 'Acme Trading', email: OWNER_EMAIL, displayName: 'Olivia Owner', password: OWNER_PASSWORD }),
  });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('admin data screens in English', () => {
  it('sets the phone region, adds a custom field and archives it', async () => {
    const { context, page } = await newPage(browser, { locale: 'en-US', width: 1280 });
    await screenshotOnFailure(page, 'admin-fields-en-US', () => journey(page));
    await context.close();
  });
});

async function addField(page: Page, key: string) {
  await page.getByRole('button', { name: text.admin.fields.add }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(text.admin.fields.kind, { exact: true }).selectOption('person');
  await dialog.getByRole('textbox', { name: text.admin.fields.key }).fill(key);
  await dialog.getByRole('textbox', { name: text.admin.fields.labelEn }).fill('Loyalty level');
  await dialog.getByRole('textbox', { name: text.admin.fields.labelZh }).fill('会员等级');
  await dialog.getByLabel(text.admin.fields.type, { exact: true }).selectOption('select');
  await dialog.getByLabel(text.admin.fields.sensitivity, { exact: true }).selectOption('internal');
  await dialog.getByRole('textbox', { name: text.admin.fields.options }).fill('bronze\nsilver\ngold');
  await dialog.getByRole('button', { name: text.admin.fields.submit }).click();
  return dialog;
}

async function journey(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel(text.signIn.email, { exact: true }).fill(OWNER_EMAIL);
  await page.getByLabel(text.signIn.password, { exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: text.signIn.submit }).click();
  await page.getByTestId('signed-in-shell').waitFor();

  // Settings: the default phone region.
  await page.getByRole('link', { name: text.nav.adminSettings, exact: true }).click();
  const region = page.getByLabel(text.admin.settings.phoneRegion, { exact: true });
  await expect.poll(() => region.inputValue()).toBe('CN');
  await region.selectOption('HK');
  await expect.poll(async () => ((await (await page.request.get(`${server.url}/api/admin/settings`)).json()) as { phoneRegion: string }).phoneRegion).toBe('HK');

  // Fields: every class, with the built-in fields in them.
  await page.getByRole('link', { name: text.nav.adminFields, exact: true }).click();
  await page.waitForURL(/\/admin\/fields$/);
  await page.locator('[data-testid="field-row"][data-kind="person"][data-key="nationalId"]').waitFor();
  expect(await page.locator('[data-testid="field-class"][data-sensitivity="sensitive"] [data-key="nationalId"]').count()).toBe(1);

  // Add a custom field; it lands in its class.
  const dialog = await addField(page, 'loyaltyLevel');
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('[data-testid="field-class"][data-sensitivity="internal"] [data-testid="field-row"][data-key="loyaltyLevel"]');
  await row.waitFor();
  expect(await row.innerText()).toContain('Loyalty level');

  // The same key again is refused, said under the key input.
  const again = await addField(page, 'loyaltyLevel');
  await again.getByText(text.admin.fields.errors.field_exists).waitFor();
  await again.getByRole('button', { name: text.common.cancel }).click();
  await again.waitFor({ state: 'hidden' });

  // Archive, then unarchive.
  await row.getByRole('button', { name: text.admin.fields.archive }).click();
  await row.getByText(text.admin.fields.archived, { exact: true }).waitFor();
  await row.getByRole('button', { name: text.admin.fields.unarchive }).click();
  await row.getByText(text.admin.fields.active, { exact: true }).waitFor();
}
