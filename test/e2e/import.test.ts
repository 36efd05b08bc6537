import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import type { Messages } from '../../src/web/i18n/en.js';
import { inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Importing customers from the web app, in Chromium against the built server: a CSV with
 * Chinese headers is uploaded, its columns map themselves (姓名 → name, 手机 → phone…), a dry
 * run counts what would happen and saves nothing, the import for real creates the customers,
 * and the error file holds the row that was refused with its reason. Then the same in Chinese
 * on a 390 px phone, the mapping table scrolling inside its card.
 */
const e2e = setUpServerWithOwner();

/** One bad phone number (李娜) and one row that repeats an earlier one (王芳). */
const FIRST_FILE = ['姓名,手机,邮箱,城市', '张伟,13800138000,zhang.wei@example.com,北京', '李娜,12345,li.na@example.com,上海', '王芳,13900139000,wang.fang@example.com,广州', '王芳,13900139000,wang.fang@example.com,广州'].join('\r\n');
const SECOND_FILE = ['姓名,手机,邮箱,城市', '赵磊,13700137000,zhao.lei@example.com,深圳', '陈静,13600136000,chen.jing@example.com,杭州'].join('\n');
const MAPPED = { 姓名: 'name', 手机: 'phone', 邮箱: 'email', 城市: 'city' } as const;

function writeFile(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'custos-import-')), name);
  fs.writeFileSync(file, content, 'utf8');
  return file;
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
const summary = (page: Page, key: 'imported' | 'updated' | 'unchanged' | 'rejected' | 'duplicates') => page.getByTestId(`import-summary-${key}`).getAttribute('data-value').then(Number);

async function customerCount(page: Page): Promise<number> {
  const response = await page.request.get(`${e2e.server.url}/api/customers?limit=100`);
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { items: unknown[] }).items.length;
}

/** Uploads `file` from the import page and waits for the mapping step. */
async function upload(page: Page, file: string) {
  await page.getByTestId('import-upload').locator('input[type="file"]').setInputFiles(file);
  await page.getByTestId('import-mapping').waitFor();
}

/** Every column mapped to the field its header names. */
async function expectAutoMapped(page: Page, text: Messages) {
  for (const [column, key] of Object.entries(MAPPED)) {
    expect(await page.getByLabel(fill(text.imports.mapping.fieldFor, { column }), { exact: true }).inputValue(), column).toBe(key);
  }
}

async function waitForEnd(page: Page, dryRun: boolean) {
  await page.locator(`[data-testid="import-progress"][data-status="completed"][data-dry-run="${dryRun}"]`).waitFor({ timeout: 60_000 });
}

describe('import in English', () => {
  it('uploads a CSV, maps its Chinese headers, dry-runs, imports for real and downloads the error file', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'import-en-US', async (page) => {
      const text = en;
      await signInAsOwner(page, e2e.server, text);
      await page.getByTestId('import-customers').click();
      await page.waitForURL('**/customers/import');
      await page.getByTestId('import-history-empty').waitFor();
      await page.getByText(fill(text.imports.upload.limits, { size: '512 MiB' })).waitFor();

      // Refused before sending: not a type the server reads. Refused by the server: not a workbook inside.
      const fileInput = page.getByTestId('import-upload').locator('input[type="file"]');
      await fileInput.setInputFiles(writeFile('notes.pdf', '%PDF-1.4'));
      await page.getByText(fill(text.imports.upload.wrongType, { name: 'notes.pdf' })).waitFor();
      await fileInput.setInputFiles(writeFile('broken.xlsx', 'not a workbook'));
      await page.getByRole('alert').getByText(text.imports.errors.unreadable_file).waitFor();

      await upload(page, writeFile('customers.csv', FIRST_FILE));
      expect(await page.getByTestId('import-format').innerText()).toBe(text.imports.mapping.formats.csv);
      expect(await page.getByTestId('import-encoding').innerText()).toBe(text.imports.mapping.encodings['utf-8']);
      expect(await page.getByTestId('import-delimiter').innerText()).toBe(text.imports.mapping.delimiters.comma);
      await expectAutoMapped(page, text);
      await expect.poll(() => page.getByTestId('import-sample').locator('tbody tr').count()).toBe(4);

      // Only the match fields mapped are offered: email (chosen) and phone.
      const matchBy = page.getByRole('radiogroup', { name: text.imports.mapping.matchBy });
      expect(await matchBy.getByRole('radio').count()).toBe(2);
      expect(await matchBy.getByRole('radio', { name: text.imports.mapping.matchFields.email.label }).isChecked()).toBe(true);

      // A field chosen twice is flagged and stops the import until it is resolved.
      const city = page.getByLabel(fill(text.imports.mapping.fieldFor, { column: '城市' }), { exact: true });
      await city.selectOption('email');
      await page.getByText(text.imports.mapping.usedTwice).first().waitFor();
      expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
      await city.selectOption('city');
      expect(await page.getByTestId('import-start').isDisabled()).toBe(false);

      // The dry run counts and saves nothing.
      await page.getByTestId('import-dry-run').click();
      await waitForEnd(page, true);
      await page.getByText(text.imports.progress.completedDry).waitFor();
      expect(await summary(page, 'imported')).toBe(2);
      expect(await summary(page, 'rejected')).toBe(1);
      expect(await customerCount(page)).toBe(0);

      // The same job for real.
      await page.getByTestId('import-for-real').click();
      await waitForEnd(page, false);
      await page.getByText(text.imports.progress.completed, { exact: true }).waitFor();
      expect(await summary(page, 'imported')).toBe(2);
      expect(await summary(page, 'rejected')).toBe(1);
      // The repeated row found the customer its first copy created.
      expect((await summary(page, 'updated')) + (await summary(page, 'unchanged'))).toBe(1);
      expect(await page.getByTestId('import-rows').innerText()).toBe(fill(text.imports.progress.rows, { done: '4', total: '4' }));
      expect(await customerCount(page)).toBe(2);

      // The error file: the original header plus row and reasons, the refused row as it came.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download-errors').click()]);
      const errors = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
      const [header, ...rows] = errors.trim().split(/\r?\n/);
      expect(header).toContain('姓名,手机,邮箱,城市');
      expect(header).toMatch(/row/);
      expect(header).toMatch(/reasons/);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('李娜,12345,li.na@example.com,上海');
      expect(rows[0]).toMatch(/phone/i);

      // The history lists the job, done.
      await expect.poll(() => page.getByTestId('import-history-row').getAttribute('data-status')).toBe('completed');
      await page.getByRole('link', { name: text.imports.backToCustomers }).click();
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
    }));
});

describe('import in Chinese on a phone', () => {
  it('fits 390 px, the mapping table scrolling inside its card, and imports', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'import-zh-CN', async (page) => {
      const text = zhCN;
      await signInAsOwner(page, e2e.server, text);
      await page.getByTestId('import-customers').click();
      await page.getByRole('heading', { name: text.imports.title, level: 1 }).waitFor();
      // The earlier import, listed.
      await page.getByTestId('import-history-row').first().waitFor();

      await upload(page, writeFile('新客户.csv', SECOND_FILE));
      await expectAutoMapped(page, text);
      expect(await page.getByTestId('import-delimiter').innerText()).toBe(text.imports.mapping.delimiters.comma);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const tableScrolls = await page.evaluate<boolean>(`(() => {
        let box = document.querySelector('[data-testid="import-sample"]')?.parentElement ?? null;
        while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
        return box !== null && box.scrollWidth > box.clientWidth;
      })()`);
      expect(tableScrolls).toBe(true);

      await page.getByRole('radio', { name: text.imports.mapping.onMatchChoices.fillEmpty.label }).check();
      await page.getByTestId('import-start').click();
      await waitForEnd(page, false);
      await page.getByText(text.imports.progress.completed, { exact: true }).waitFor();
      expect(await summary(page, 'imported')).toBe(2);
      expect(await summary(page, 'rejected')).toBe(0);
      expect(await page.getByTestId('import-download-errors').count()).toBe(0);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(await customerCount(page)).toBe(4);
    }));
});
