import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The customers list at work, in Chromium against the built server, over a few hundred
 * customers added through the API: search by name, sort by a column, filter by lifecycle stage,
 * choose columns, save the list as a view, reload and open the view again, follow a link that
 * carries the list, and scroll until every page has loaded — with only a screenful of rows in
 * the page at any time.
 */
const STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
const FILLERS = 238;
const TOTAL = FILLERS + 2;
const fillers = Array.from({ length: FILLERS }, (_, n) => ({ n, stage: STAGES[n % STAGES.length]!, source: n % 3 === 0 ? 'Trade fair' : 'Website' }));
const LEADS = fillers.filter((each) => each.stage === 'lead').length + 1;
const CHURNED_AT_TRADE_FAIRS = fillers.filter((each) => each.stage === 'churned' && each.source === 'Trade fair').length;

const e2e = setUpServerWithOwner();

describe('the customers list in English', () => {
  it('searches, sorts, filters, chooses columns, saves a view and scrolls through every page', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'customers-list-en-US', listJourney));

  it('fits a phone: fewer columns, the same search', () => inNewPage(e2e.browser, { locale: 'en-US', width: 390 }, 'customers-list-phone', phoneJourney));
});

/** A few hundred customers through the API with the page's own session, a batch at a time. */
async function seed(page: Page): Promise<{ zhang: string }> {
  const api = await apiWithPageSession(page, e2e.server);
  const create = async (data: Record<string, unknown>) => (await api.create<{ id: string }>('/api/customers', data)).id;
  const zhang = await create({ kind: 'person', name: '张伟', email: 'zhang.wei@example.com', lifecycleStage: 'lead', source: 'Referral', tags: ['vip'] });
  await create({ kind: 'company', name: 'Acme Trading', domain: 'acme.cn', industry: 'Retail', lifecycleStage: 'customer' });
  for (let start = 0; start < FILLERS; start += 20) {
    await Promise.all(fillers.slice(start, start + 20).map(({ n, stage, source }) => create({ kind: 'person', name: `Demo Person ${n}`, lifecycleStage: stage, source })));
  }
  return { zhang };
}

const rowIds = (page: Page) => page.getByTestId('customer-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
const firstCell = (page: Page, column: string) => page.locator(`[data-testid="customer-row"] [data-column="${column}"]`).first().innerText();
const headers = (page: Page) => page.locator('[data-testid^="header-"]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-testid')!.replace('header-', '')));
const loaded = (page: Page) => page.getByTestId('customers-loaded').innerText();

/** Scrolls the table to its end until every page has loaded. */
async function scrollToTheEnd(page: Page, count: number) {
  await expect
    .poll(
      async () => {
        await page.getByTestId('customers-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
        return loaded(page);
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(`All ${count} customers`);
}

async function listJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);
  const { zhang } = await seed(page);
  await page.goto(`${e2e.server.url}/customers`);

  // The first page, newest first; further pages as the table scrolls.
  await expect.poll(() => loaded(page)).toBe(`100 customers loaded — scroll for more`);
  expect(await page.getByTestId('customer-row').count()).toBeLessThan(60);
  expect(await headers(page)).toEqual(['name', 'kind', 'email', 'phone', 'lifecycleStage', 'createdAt']);

  // Search by name: the server reads the box.
  await page.getByTestId('customer-search').fill('张伟');
  await expect.poll(() => page.getByTestId('customer-search-summary').innerText()).toContain('张伟');
  await expect.poll(() => rowIds(page)).toEqual([zhang]);
  await page.getByRole('button', { name: text.customers.list.clearSearch }).click();
  await expect.poll(() => loaded(page)).toBe(`100 customers loaded — scroll for more`);
  expect(new URL(page.url()).searchParams.get('q')).toBeNull();

  // Sort by lifecycle stage: ascending, then descending.
  await page.getByTestId('header-lifecycleStage').getByRole('button').click();
  await expect.poll(() => firstCell(page, 'lifecycleStage')).toBe(text.customers.options.lifecycleStage.churned);
  await page.getByTestId('header-lifecycleStage').getByRole('button').click();
  await expect.poll(() => firstCell(page, 'lifecycleStage')).toBe(text.customers.options.lifecycleStage.prospect);
  expect(new URL(page.url()).searchParams.get('sort')).toBe('-lifecycleStage');
  expect(await page.getByTestId('header-lifecycleStage').getAttribute('aria-sort')).toBe('descending');

  // Filter by lifecycle stage: field, operator, value.
  await page.getByTestId('filter-add').click();
  await page.getByTestId('filter-field').selectOption('lifecycleStage');
  await page.getByTestId('filter-op').selectOption('eq');
  await page.getByTestId('filter-value').selectOption('lead');
  await page.getByTestId('filter-apply').click();
  await expect.poll(() => page.getByTestId('filter-pill').innerText()).toBe(`Lifecycle stage ${text.customers.list.filters.ops.eq} ${text.customers.options.lifecycleStage.lead}`);
  await scrollToTheEnd(page, LEADS);
  const stages = await page.locator('[data-testid="customer-row"] [data-column="lifecycleStage"]').allInnerTexts();
  expect(new Set(stages)).toEqual(new Set([text.customers.options.lifecycleStage.lead]));

  // Personal fields are not offered to filter on.
  await page.getByTestId('filter-add').click();
  await page.getByTestId('filter-form').waitFor();
  const offered = await page.getByTestId('filter-field').locator('option').evaluateAll((options) => options.map((option) => option.getAttribute('value')));
  expect(offered).toContain('source');
  for (const personal of ['email', 'phone', 'nationalId', 'name']) expect(offered).not.toContain(personal);
  await page.keyboard.press('Escape');

  // Columns: the phone out, the source in.
  await page.getByTestId('column-chooser').click();
  await page.getByTestId('column-option-phone').uncheck();
  await page.getByTestId('column-option-source').check();
  await page.keyboard.press('Escape');
  await expect.poll(() => headers(page)).toEqual(['name', 'kind', 'email', 'lifecycleStage', 'source', 'createdAt']);

  // Save the list as a view.
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-save-as').click();
  await page.getByTestId('view-name').fill('Leads by source');
  await page.getByTestId('view-submit').click();
  await expect.poll(() => page.getByTestId('views-menu').innerText()).toBe('Leads by source');
  const viewUrl = new URL(page.url());
  expect(viewUrl.searchParams.get('view')).toMatch(/^[0-9a-f-]{36}$/);

  // Back to the whole list with the default columns; the view brings its list back.
  await page.goto(`${e2e.server.url}/customers`);
  await page.reload();
  await expect.poll(() => loaded(page)).toBe(`100 customers loaded — scroll for more`);
  expect(await page.getByTestId('filter-pill').count()).toBe(0);
  await page.getByTestId('column-chooser').click();
  await page.getByRole('button', { name: text.customers.list.chooser.reset }).click();
  await page.keyboard.press('Escape');
  await expect.poll(() => headers(page)).toEqual(['name', 'kind', 'email', 'phone', 'lifecycleStage', 'createdAt']);

  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-option').filter({ hasText: 'Leads by source' }).click();
  await expect.poll(() => headers(page)).toEqual(['name', 'kind', 'email', 'lifecycleStage', 'source', 'createdAt']);
  await expect.poll(() => page.getByTestId('filter-pill').count()).toBe(1);
  await expect.poll(() => firstCell(page, 'lifecycleStage')).toBe(text.customers.options.lifecycleStage.lead);
  expect(new URL(page.url()).searchParams.getAll('filter')).toEqual(['lifecycleStage:eq:lead']);

  // Share it, rename it; a change to the list marks the view changed until saved back.
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-share').click();
  await page.getByTestId('views-menu').click();
  await expect.poll(() => page.getByTestId('view-share').innerText()).toBe(text.customers.list.views.unshare);
  await page.getByTestId('view-rename').click();
  await page.getByTestId('view-name').fill('Team leads');
  await page.getByTestId('view-submit').click();
  await expect.poll(() => page.getByTestId('views-menu').innerText()).toBe('Team leads');
  await page.getByTestId('header-source').getByRole('button').click();
  await page.getByTestId('view-modified').waitFor();
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-save-changes').click();
  await page.getByTestId('view-modified').waitFor({ state: 'detached' });

  // Deleted: the list stays, no longer tied to a view.
  await page.getByTestId('views-menu').click();
  await page.getByTestId('view-delete').click();
  await page.getByRole('dialog').getByRole('button', { name: text.customers.list.views.deleteConfirm }).click();
  await expect.poll(() => page.getByTestId('views-menu').innerText()).toBe(text.customers.list.views.none);
  expect(new URL(page.url()).searchParams.getAll('filter')).toEqual(['lifecycleStage:eq:lead']);

  // A link carries the list: search, filter and sort.
  await page.goto(`${e2e.server.url}/customers?q=${encodeURIComponent('Trade fair')}&filter=lifecycleStage%3Aeq%3Achurned&sort=createdAt`);
  await expect.poll(() => page.getByTestId('customer-search').inputValue()).toBe('Trade fair');
  await expect.poll(() => page.getByTestId('filter-pill').count()).toBe(1);
  await scrollToTheEnd(page, CHURNED_AT_TRADE_FAIRS);
  expect(await page.getByTestId('header-createdAt').getAttribute('aria-sort')).toBe('ascending');

  // The whole list, scrolled to its end: every page loaded, a screenful of rows in the page.
  await page.goto(`${e2e.server.url}/customers`);
  await scrollToTheEnd(page, TOTAL);
  expect(await page.getByTestId('customer-row').count()).toBeLessThan(60);
  await page.getByTestId('customer-row').last().click();
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
}

async function phoneJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);
  await page.goto(`${e2e.server.url}/customers`);
  await expect.poll(() => headers(page)).toEqual(['name', 'email']);
  await page.getByTestId('customer-search').fill('Acme');
  await page.getByTestId('customer-search').press('Enter');
  await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
  // Nothing sticks out sideways.
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
}
