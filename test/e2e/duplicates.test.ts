import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { BUILT_IN_FIELDS } from '../../src/server/vault/built-in-fields.js';
import { apiWithPageSession, inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * Duplicates in the web app: two near-duplicate people (王伟 / 王偉, one city) are created
 * through the API, show up as a pair with its score and reasons, are merged taking the name
 * from one side and the email from the other, and the merge is undone from the recent merges.
 * Run in English on a desktop and in Chinese on a 390 px phone, each with a pair of its own city.
 */
const e2e = setUpServerWithOwner();

type Messages = typeof en;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
const labelOf = (key: string, language: 'en' | 'zh-CN') => BUILT_IN_FIELDS.find((f) => f.kind === 'person' && f.key === key)!.labels[language];

describe('duplicates', () => {
  it('merges a pair field by field and undoes it (English, desktop)', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'duplicates-en-US', (page) => journey(page, en, 'en', { city: '北京', tag: 'en' })));
  it('merges a pair field by field and undoes it (Chinese, phone)', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'duplicates-zh-CN', (page) => journey(page, zhCN as Messages, 'zh-CN', { city: '上海', tag: 'zh' })));
});

async function journey(page: Page, text: Messages, language: 'en' | 'zh-CN', { city, tag }: { city: string; tag: string }) {
  await signInAsOwner(page, e2e.server, text);
  const api = await apiWithPageSession(page, e2e.server);
  const first = await api.create<{ id: string }>('/api/customers', { kind: 'person', name: '王伟', city, email: `wei.${tag}@example.com` });
  const second = await api.create<{ id: string }>('/api/customers', { kind: 'person', name: '王偉', city, email: `wang.wei.${tag}@example.org`, source: 'fair' });
  const read = async (id: string) => {
    const response = await page.request.get(`${e2e.server.url}/api/customers/${id}`);
    return { status: response.status(), body: response.ok() ? ((await response.json()) as Record<string, unknown>) : null };
  };

  await page.goto(`${e2e.server.url}/duplicates`);
  await page.getByRole('heading', { name: text.duplicates.title }).waitFor();
  const pair = page.getByTestId('duplicate-pair').filter({ has: page.locator(`a[href="/customers/${second.id}"]`) });
  await pair.waitFor();
  await expect.poll(() => pair.getByTestId('duplicate-reason').allTextContents()).toEqual([text.duplicates.reasons.name, text.duplicates.reasons.city]);
  await expect.poll(() => pair.getByTestId('duplicate-score').textContent()).toBe(fill(text.duplicates.score, { score: 70 }));

  // The customer created first is kept by default; the name is taken from the other side, the email kept.
  await pair.getByRole('button', { name: text.duplicates.mergeAction }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('merge-fields').waitFor();
  await dialog.getByRole('radio', { name: fill(text.duplicates.merge.choose, { field: labelOf('name', language), value: '王偉' }) }).check();
  await expect.poll(() => dialog.getByRole('radio', { name: fill(text.duplicates.merge.choose, { field: labelOf('email', language), value: `wei.${tag}@example.com` }) }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: text.duplicates.merge.confirm, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await pair.waitFor({ state: 'detached' });

  const survivor = await read(first.id);
  expect(survivor.body).toMatchObject({ name: '王偉', email: `wei.${tag}@example.com`, city, source: 'fair' });
  expect((await read(second.id)).status).toBe(404);

  // Undo from the recent merges: both come back as they were, and the pair is to review again.
  const recent = page.getByTestId('recent-merge').filter({ hasText: fill(text.duplicates.recent.line, { merged: '王偉', survivor: '王偉' }) });
  await recent.getByRole('button', { name: text.duplicates.recent.undo }).click();
  await recent.waitFor({ state: 'detached' });
  await pair.waitFor();
  expect((await read(first.id)).body).toMatchObject({ name: '王伟', email: `wei.${tag}@example.com` });
  expect((await read(second.id)).body).toMatchObject({ name: '王偉', email: `wang.wei.${tag}@example.org` });
}
