import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { formatMoney } from '../../src/web/customers/money.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * One customer's page in full, in Chromium against the built server: a person at a company,
 * created through the API, gets an address, a transaction (and the totals and chart that follow,
 * and a refused repeat of its external id), behaviour events sent by "another system" through
 * `POST /api/events` and paged in the timeline, preferences with do-not-contact, and a further
 * email made the primary one — all through the page. Then the company's page lists the person,
 * and the page fits a 390 px phone.
 */
const sections = text.customers.sections;

const e2e = setUpServerWithOwner();

describe('the customer page', () => {
  it('adds an address, a transaction, preferences and a primary email, and shows the timeline and the company', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'customer-page-en-US', customerPageJourney));
});

async function customerPageJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);

  // What follows is sent as another system would, with the page's own session.
  const api = await apiWithPageSession(page, e2e.server);
  const company = await api.post<{ id: string }>('/api/customers', { kind: 'company', name: 'Hangzhou Tea Traders' });
  const person = await api.post<{ id: string }>('/api/customers', {
    kind: 'person',
    name: '张伟',
    email: 'zhang.wei@example.com',
    phone: '138 0013 8000',
    companyId: company.id,
  });
  await api.post(`/api/customers/${person.id}/contact-points`, { type: 'email', label: 'Work', value: 'wei.zhang@teatraders.example' });
  // 55 events, one a minute: a first page of 50 and the rest behind "load more".
  const now = Date.now();
  const events = Array.from({ length: 55 }, (_, index) => ({
    customerId: person.id,
    type: index === 0 ? 'order.placed' : 'page.viewed',
    occurredAt: new Date(now - index * 60_000).toISOString(),
    properties: index === 0 ? { orderId: 'SO-1001', items: 2, total: 128.5 } : { path: `/products/${index}` },
  }));
  const ingested = await api.post<{ accepted: number }>('/api/events', { events });
  expect(ingested.accepted).toBe(55);

  await page.goto(`${e2e.server.url}/customers/${person.id}`);
  await expect.poll(() => page.getByTestId('customer-name').innerText()).toBe('张伟');
  await expect.poll(() => page.getByTestId('customer-company').getByTestId('company-link').innerText()).toBe('Hangzhou Tea Traders');

  // An address, typed in Chinese, shown in Chinese order; the profile's address follows the primary one.
  await page.getByTestId('addresses-empty').waitFor();
  await page.getByTestId('add-address').click();
  const addressForm = page.getByTestId('address-form');
  await addressForm.getByLabel(sections.addresses.parts.region, { exact: true }).fill('广东省');
  await addressForm.getByLabel(sections.addresses.parts.city, { exact: true }).fill('深圳市');
  await addressForm.getByLabel(sections.addresses.parts.district, { exact: true }).fill('南山区');
  await addressForm.getByTestId('address-form-submit').click();
  await addressForm.getByText(sections.addresses.streetRequired).waitFor();
  await addressForm.getByLabel(sections.addresses.parts.street, { exact: true }).fill('科技园路1号');
  await addressForm.getByLabel(sections.addresses.parts.postalCode, { exact: true }).fill('518057');
  await addressForm.getByTestId('address-form-submit').click();
  await expect.poll(() => page.getByTestId('address-line').allInnerTexts()).toEqual(['China 广东省深圳市南山区科技园路1号 518057']);
  await page.getByTestId('address-primary').waitFor();
  await expect.poll(() => page.getByTestId('customer-field-address').innerText()).toContain('广东省深圳市南山区科技园路1号');

  // A transaction with a line item: listed, totalled, charted; the same external id again is refused under its input.
  await page.getByTestId('transactions-empty').waitFor();
  await page.getByTestId('add-transaction').click();
  const transactionForm = page.getByTestId('transaction-form');
  await transactionForm.getByLabel(sections.transactions.amount, { exact: true }).fill('128.50');
  await transactionForm.getByLabel(sections.transactions.externalId, { exact: true }).fill('SO-1001');
  await transactionForm.getByLabel(sections.transactions.channel, { exact: true }).fill('Tmall');
  await page.getByTestId('add-line-item').click();
  await transactionForm.getByLabel(sections.transactions.itemName, { exact: true }).fill('Oolong tea');
  await transactionForm.getByLabel(sections.transactions.quantity, { exact: true }).fill('2');
  await transactionForm.getByLabel(sections.transactions.unitPrice, { exact: true }).fill('64.25');
  await page.getByTestId('transaction-form-submit').click();
  await expect.poll(() => page.getByTestId('transaction-row').count()).toBe(1);
  const total = formatMoney({ amount: 12850, currency: 'CNY' }, 'en');
  await expect.poll(() => page.getByTestId('transaction-total-amount').allInnerTexts()).toEqual([total]);
  await expect.poll(() => page.getByTestId('transaction-amount').innerText()).toBe(total);
  await page.getByTestId('transactions-chart').waitFor();
  await page.getByTestId('transaction-toggle').click();
  await expect.poll(() => page.getByTestId('transaction-line-items').innerText()).toContain('2 × Oolong tea');

  await page.getByTestId('add-transaction').click();
  await transactionForm.getByLabel(sections.transactions.amount, { exact: true }).fill('10');
  await transactionForm.getByLabel(sections.transactions.externalId, { exact: true }).fill('SO-1001');
  await page.getByTestId('transaction-form-submit').click();
  await transactionForm.getByText(sections.errors.duplicate_transaction).waitFor();
  await transactionForm.getByRole('button', { name: text.common.cancel }).click();
  await transactionForm.waitFor({ state: 'detached' });
  await expect.poll(() => page.getByTestId('transaction-row').count()).toBe(1);

  // The timeline: today's events, newest first, with their properties; the rest a page later.
  await expect.poll(() => page.getByTestId('timeline-event').count()).toBe(50);
  await expect.poll(() => page.getByTestId('timeline-event-type').first().innerText()).toBe('order.placed');
  await expect.poll(() => page.getByTestId('timeline-event-properties').first().innerText()).toContain('orderId: SO-1001');
  await page.getByTestId('timeline-load-more').click();
  await expect.poll(() => page.getByTestId('timeline-event').count()).toBe(55);
  await page.getByTestId('timeline-load-more').waitFor({ state: 'detached' });

  // Preferences: read, edited, and do-not-contact said loudly.
  await expect.poll(() => page.getByTestId('preferences-channels').innerText()).toBe(sections.preferences.noChannels);
  await page.getByTestId('edit-preferences').click();
  const preferencesForm = page.getByTestId('preferences-form');
  await preferencesForm.getByLabel(text.customers.options.preferredChannels.email, { exact: true }).check();
  await preferencesForm.getByLabel(text.customers.options.preferredChannels.wechat, { exact: true }).check();
  await preferencesForm.getByLabel(sections.preferences.language, { exact: true }).selectOption('zh-CN');
  await preferencesForm.getByLabel(sections.preferences.topics, { exact: true }).fill('Oolong');
  await preferencesForm.getByLabel(sections.preferences.topics, { exact: true }).press('Enter');
  await preferencesForm.getByRole('switch', { name: sections.preferences.doNotContact }).check({ force: true });
  await page.getByTestId('save-preferences').click();
  await page.getByTestId('do-not-contact-warning').waitFor();
  await page.getByTestId('do-not-contact-badge').waitFor();
  const channels = await page.getByTestId('preferences-channels').innerText();
  for (const channel of ['email', 'wechat'] as const) expect(channels.toLowerCase()).toContain(text.customers.options.preferredChannels[channel].toLowerCase());
  await expect.poll(() => page.getByTestId('preferences-language').innerText()).toBe(text.customers.options.preferredLanguage['zh-CN']);
  await expect.poll(() => page.getByTestId('preferences-topics').innerText()).toBe('Oolong');

  // The work email becomes the primary one: it swaps places with the profile's email.
  await page.getByTestId('make-contact-point-primary').click();
  await expect.poll(() => page.getByTestId('customer-field-email').innerText()).toBe('wei.zhang@teatraders.example');
  await expect.poll(() => page.getByTestId('contact-point-value').allInnerTexts()).toEqual(['zhang.wei@example.com']);

  // The company's page lists its people, linking back.
  await page.getByTestId('customer-company').getByTestId('company-link').click();
  await page.waitForURL(`**/customers/${company.id}`);
  await expect.poll(() => page.getByTestId('company-person').allInnerTexts()).toEqual(['张伟']);
  await page.getByTestId('company-person').getByRole('link').click();
  await page.waitForURL(`**/customers/${person.id}`);

  // On a 390 px phone nothing runs off the side: the table scrolls within its card.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('transactions-table').waitFor();
  await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
}
