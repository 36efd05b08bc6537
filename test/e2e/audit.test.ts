import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { apiWithPageSession, inNewPage, OWNER, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The audit trail in Chromium against the built server: the owner views a customer, goes from
 * the customer's page to "who saw this customer", finds the view among the events filtered by
 * that customer, opens it, exports the events as CSV, and asks which customers they saw
 * themself — and the page fits a 390 px phone.
 */
const audit = text.audit;

const e2e = setUpServerWithOwner();

describe('the audit trail', () => {
  it('shows who saw a customer, finds the view event, exports it and scopes the owner’s exposure', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'audit-en-US', auditJourney));
});

async function auditJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);
  const api = await apiWithPageSession(page, e2e.server);
  const customer = await api.create<{ id: string }>('/api/customers', { kind: 'person', name: 'Audit Subject', email: 'audit.subject@example.com', phone: '138 0013 8000' });

  // Viewing the customer is recorded; their page leads to who saw them.
  await page.goto(`${e2e.server.url}/customers/${customer.id}`);
  await expect.poll(() => page.getByTestId('customer-name').innerText()).toBe('Audit Subject');
  await page.getByTestId('who-saw-customer').click();
  await page.waitForURL(/\/audit\?/);
  expect(new URL(page.url()).searchParams.get('tab')).toBe('exposure');
  const viewer = page.getByTestId('exposure-actor-row');
  await viewer.first().waitFor();
  expect(await viewer.count()).toBe(1);
  expect(await viewer.innerText()).toContain(OWNER.displayName);
  expect(await viewer.getByTestId('exposure-fields').locator('[data-field="name"]').getAttribute('data-level')).toBe('clear');

  // The events, filtered by the customer, through the navigation.
  await page.getByRole('link', { name: text.nav.audit }).click();
  await page.getByTestId('audit-customer-id').fill(customer.id);
  await page.getByTestId('audit-search').click();
  await page.waitForURL((url) => url.searchParams.get('customerId') === customer.id);
  // The filtered page replaces the unfiltered one: read the rows of the table that answers the filter, not the earlier page's.
  const filtered = page.locator('[data-testid="audit-events"]').and(page.locator(`[data-query*="customerId=${customer.id}"]`));
  await filtered.waitFor();
  const viewed = filtered.locator('[data-testid="audit-event"][data-action="customer.viewed"]');
  await viewed.first().waitFor();
  const created = filtered.locator('[data-testid="audit-event"][data-action="customer.created"]');
  expect(await created.count()).toBe(1);
  await viewed.first().getByRole('button', { name: 'customer.viewed' }).click();
  const detail = page.getByTestId('audit-event-detail');
  await detail.waitFor();
  expect(await detail.innerText()).toContain(customer.id);
  // The profile and its preferences section are reads of their own, each with the fields it showed.
  const metadata = JSON.parse(await detail.getByTestId('audit-event-metadata').innerText()) as { fields: Record<string, string> };
  expect(Object.keys(metadata.fields).length).toBeGreaterThan(0);
  expect(Object.values(metadata.fields).every((level) => level === 'clear' || level === 'masked')).toBe(true);
  // Details hold field keys and levels, never the values.
  expect(await detail.innerText()).not.toContain('audit.subject@example.com');
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'detached' });

  // The same events as a CSV file, through the API with the same filters.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-events-\d{8}-\d{6}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('id,seq,at,actorType,actorId');
  expect(csv).toContain(`customer.viewed,customer,${customer.id}`);

  // Which customers did the owner see? The one they viewed, with the fields and levels.
  await page.getByTestId('audit-tab-exposure').click();
  await page.getByTestId('exposure-mode').getByText(audit.exposure.byActor).click();
  await page.getByTestId('exposure-actor').click();
  await page.getByRole('option', { name: new RegExp(OWNER.displayName) }).click();
  await page.getByTestId('exposure-show').click();
  const seen = page.locator(`[data-testid="exposure-customer"][data-customer-id="${customer.id}"]`);
  await seen.waitFor();
  expect(await seen.getByTestId('exposure-fields').locator('[data-field="email"]').getAttribute('data-level')).toBe('clear');
  await page.getByTestId('exposure-chart').waitFor();

  // On a phone the page keeps to the screen; its tables scroll on their own.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('exposure-result').waitFor();
  await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
}
