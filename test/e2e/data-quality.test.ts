import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The owner opens Data quality, runs the report over a few customers and reads it: the
 * completeness of each field as a chart and in numbers, no invalid values, the duplicates and
 * stale-customer charts — in English on a desktop, then again in Chinese on a 390 px phone.
 */
const e2e = setUpServerWithOwner();

const completeness = (page: Page, key: string) => page.getByTestId('completeness-table').locator(`tr[data-field="${key}"] td`).allInnerTexts();

async function runReport(page: Page, text: typeof en) {
  const asOf = async () => ((await page.getByTestId('quality-as-of').count()) > 0 ? page.getByTestId('quality-as-of').getAttribute('data-as-of') : null);
  const previous = await asOf();
  await page.getByRole('button', { name: text.quality.run, exact: true }).click();
  // The report of this run: a new time (the first run replaces the empty state).
  await expect.poll(asOf, { timeout: 20_000 }).not.toBe(previous);
  await page.getByRole('button', { name: text.quality.run, exact: true }).waitFor();
}

async function readReport(page: Page, text: typeof en) {
  await expect.poll(() => page.getByTestId('figure-customers').innerText()).toContain('4');
  expect(await page.getByTestId('figure-invalid').innerText()).toContain('0');
  // A bar per field of the chart (an empty field's bar has no width).
  await expect.poll(() => page.getByTestId('completeness-chart').locator('path.recharts-rectangle').count()).toBeGreaterThan(2);
  // Three people: every one named, two with an email, one with a phone.
  expect(await completeness(page, 'name')).toEqual([expect.any(String), '3', '0', '100%']);
  expect(await completeness(page, 'email')).toEqual([expect.any(String), '2', '1', '66.7%']);
  expect(await completeness(page, 'phone')).toEqual([expect.any(String), '1', '2', '33.3%']);
  await page.getByTestId('invalid-none').getByText(text.quality.noInvalid).waitFor();
  await expect.poll(() => page.getByTestId('stale-chart').locator('path.recharts-rectangle').count()).toBeGreaterThan(0);
  expect(await page.getByTestId('duplicates-section').getByRole('link', { name: text.quality.reviewDuplicates }).getAttribute('href')).toBe('/duplicates');
}

describe('data quality', () => {
  it('runs the report and shows the completeness chart and its numbers, in English', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'data-quality-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      const api = await apiWithPageSession(page, e2e.server);
      await api.create('/api/customers', { kind: 'person', name: '张伟', email: 'zhang.wei@example.com', phone: '138 0013 8000' });
      await api.create('/api/customers', { kind: 'person', name: '李娜', email: 'li.na@example.com' });
      await api.create('/api/customers', { kind: 'person', name: '王芳' });
      await api.create('/api/customers', { kind: 'company', name: 'Acme Trading' });

      await page.getByRole('link', { name: en.nav.quality, exact: true }).click();
      await page.waitForURL(/\/quality$/);
      await page.getByRole('heading', { name: en.quality.title }).waitFor();
      await page.getByText(en.quality.emptyTitle).waitFor();

      await runReport(page, en);
      await readReport(page, en);

      // Another threshold: the stale figure follows it at once, from the same report.
      await page.getByText(en.quality.months_other.replace('{{count}}', '3'), { exact: true }).click();
      await page.getByTestId('figure-stale').getByText(en.quality.figures.stale_other.replace('{{count}}', '3')).waitFor();
    }));

  it('runs it again in Chinese on a 390 px phone, with nothing running off the side', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'data-quality-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/quality`);
      await page.getByRole('heading', { name: zhCN.quality.title }).waitFor();
      // The last report is shown until the next one completes.
      await page.getByTestId('quality-report').waitFor();
      await runReport(page, zhCN);
      await readReport(page, zhCN);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
