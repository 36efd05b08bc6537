import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { BUILT_IN_FIELDS } from '../../src/server/vault/built-in-fields.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * A customer's way through the web app, in Chromium against the built server: create a person
 * from the registry-generated form, find them again by a phone number typed another way, and
 * see their ID number masked until it is revealed with a reason, then give them a WeChat
 * handle and a note. Interface labels come from the app's translations, field labels from the
 * built-in field registry.
 */
const person = {
  name: '张伟',
  email: 'zhang.wei@example.com',
  phone: '138 0013 8000',
  nationalId: '11010519491231002X',
};

function fieldLabel(key: string): string {
  const field = BUILT_IN_FIELDS.find((each) => each.kind === 'person' && each.key === key);
  if (!field) throw new Error(`no built-in person field ${key}`);
  return field.labels.en;
}

const e2e = setUpServerWithOwner();

describe('customers in English', () => {
  it('creates a person, finds them by phone typed another way, and reveals their ID number with a reason', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'customers-en-US', customerJourney));
});

async function customerJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);

  // The start page is the customer list: empty, with the way to add the first one.
  await page.getByText(text.customers.list.emptyTitle).waitFor();
  await page.getByTestId('new-customer').click();

  // The create form comes from the field registry; a person is the default kind.
  await page.getByRole('textbox', { name: fieldLabel('name'), exact: true }).fill(person.name);
  await page.getByRole('textbox', { name: fieldLabel('email'), exact: true }).fill(person.email);
  await page.getByRole('textbox', { name: fieldLabel('phone'), exact: true }).fill(person.phone);
  await page.getByRole('textbox', { name: fieldLabel('nationalId'), exact: true }).fill(person.nationalId);
  await page.getByRole('button', { name: text.customers.form.submit }).click();

  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
  const customerId = page.url().split('/').pop()!;
  await expect.poll(() => page.getByTestId('customer-name').innerText()).toBe(person.name);
  await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('+8613800138000');

  // Another customer, added through the API with the page's own session, so the search has something to leave out.
  const api = await apiWithPageSession(page, e2e.server);
  await api.create('/api/customers', { kind: 'person', name: '李娜', phone: '139 0013 9000', email: 'li.na@example.com' });

  // Back to the list; search by the same phone number, written the international way.
  await page.getByRole('link', { name: text.nav.customers, exact: true }).click();
  await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
  await page.getByTestId('customer-search').fill('+86-138-0013-8000');
  await page.getByTestId('customer-search').press('Enter');
  await expect.poll(() => page.getByTestId('customer-search-summary').innerText()).toContain('+86-138-0013-8000');
  await expect.poll(() => page.getByTestId('customer-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')))).toEqual([customerId]);

  // Open them: the ID number is masked until revealed with a reason.
  await page.getByTestId('customer-row').click();
  await page.waitForURL(`**/customers/${customerId}`);
  await expect.poll(() => page.getByTestId('customer-field-nationalId').innerText()).toBe('110***********002X');
  await page.getByTestId('reveal-nationalId').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(text.customers.reveal.reason, { exact: true }).fill('no');
  await dialog.getByRole('button', { name: text.customers.reveal.submit }).click();
  await dialog.getByText(text.customers.reveal.reasonTooShort).waitFor();
  await dialog.getByLabel(text.customers.reveal.reason, { exact: true }).fill('Identity check for a refund');
  await dialog.getByRole('button', { name: text.customers.reveal.submit }).click();
  await expect.poll(() => page.getByTestId('customer-field-nationalId').innerText()).toBe(person.nationalId);
  await page.getByTestId('reveal-notice').waitFor();
  await dialog.waitFor({ state: 'hidden' });

  // A WeChat handle next to the primary email and phone: the first one for the app is its primary.
  await page.getByTestId('contact-points-empty').waitFor();
  const contactForm = page.getByTestId('contact-point-form');
  // The server's refusal is said under the value.
  await contactForm.getByLabel(text.customers.contactPoints.value, { exact: true }).fill('zhang@');
  await page.getByTestId('add-contact-point').click();
  await contactForm.getByText(text.customers.fieldErrors.invalid_email).waitFor();
  await contactForm.getByLabel(text.customers.contactPoints.type, { exact: true }).selectOption('im');
  await contactForm.getByLabel(text.customers.contactPoints.channel, { exact: true }).selectOption('wechat');
  await contactForm.getByLabel(text.customers.contactPoints.value, { exact: true }).fill('zhangwei_1990');
  await page.getByTestId('add-contact-point').click();
  await expect.poll(() => page.getByTestId('contact-point-row').count()).toBe(1);
  // Badges are shown in capitals by CSS; their text is as translated.
  const handle = (await page.getByTestId('contact-point-row').textContent()) ?? '';
  for (const part of ['zhangwei_1990', text.customers.contactPoints.channels.wechat, text.customers.contactPoints.primary]) expect(handle).toContain(part);

  // A note, listed with its author and time.
  await page.getByTestId('notes-empty').waitFor();
  await page.getByTestId('note-form').getByLabel(text.customers.notes.body, { exact: true }).fill('Prefers WeChat in the evening.');
  await page.getByTestId('add-note').click();
  await expect.poll(() => page.getByTestId('note-row').count()).toBe(1);
  await expect.poll(() => page.getByTestId('note-body').innerText()).toBe('Prefers WeChat in the evening.');
}
