import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import type { Messages } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, type InvitedMember, joinByInvitation, newPage, OWNER, setUpServerWithOwner, signInAs } from './harness.js';

/**
 * Handing many customers to another owner from the customers list, in Chromium against the
 * built server. An administrator ticks two of her customers (ticks survive scrolling the
 * virtualized list and go when the list changes), hands them to Erin, a sales rep of team East,
 * and sees them leave her own list and Erin named on their page. Erin, whose role may not
 * reassign, gets no boxes. On a phone, in Chinese, the administrator hands over one more.
 */

const e2e = setUpServerWithOwner();

type Member = InvitedMember;

const MEMBERS = {
  ada: { email: 'ada.admin@example.com', displayName: 'Ada Admin', password: 'saffron-glacier-pillow-38', role: 'admin' },
  erin: { email: 'erin.east@example.com', displayName: 'Erin East', password: 'copper-meadow-lantern-61', role: 'sales_rep' },
} as const satisfies Record<string, Member>;

/** Customers of the owner's, enough for a second page of the list. */
const FILLERS = 60;
const ids = { ada: '', erin: '', adas: [] as string[], erins: '' };

/** The plural form i18next picks for `count` in the text's language (Chinese has one form). */
const plural = (text: Messages, count: number) => (text === en && count === 1 ? 'one' : 'other');
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
const row = (page: Page, id: string) => page.locator(`[data-testid="customer-row"][data-id="${id}"]`);
const box = (page: Page, id: string) => row(page, id).getByRole('checkbox');
const ownedBy = (id: string) => `/customers?filter=${encodeURIComponent(`ownerId:eq:${id}`)}`;

/** Runs `work` with a page signed in through the API as `who`. */
async function asMember<T>(who: { email: string; password: string }, work: (api: Awaited<ReturnType<typeof apiWithPageSession>>, page: Page) => Promise<T>): Promise<T> {
  const { context, page } = await newPage(e2e.browser);
  try {
    const signedIn = await page.request.post(`${e2e.server.url}/api/auth/login`, { data: { email: who.email, password: who.password } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    return await work(await apiWithPageSession(page, e2e.server), page);
  } finally {
    await context.close();
  }
}

/** Invited by the owner, joined, and put in `teamId` if given; answers their id. */
async function addMember(owner: Awaited<ReturnType<typeof apiWithPageSession>>, member: Member, teamId: string | null): Promise<string> {
  const id = await joinByInvitation(e2e.server, owner, member);
  if (teamId) await owner.put(`/api/admin/users/${id}/team`, { teamId });
  return id;
}

const signIn = (page: Page, member: Member, text: Messages) => signInAs(page, e2e.server, member, text);

/** Opens the bulk dialog for the ticked rows and hands them to Erin. */
async function reassignToErin(page: Page, text: Messages, count: number) {
  await page.getByTestId('bulk-reassign').click();
  const dialog = page.getByRole('dialog', { name: text.customers.bulk.title });
  await dialog.getByText(fill(text.customers.bulk[`intro_${plural(text, count)}`], { count })).waitFor();
  // Nobody chosen yet: said under the picker, nothing sent.
  await dialog.getByTestId('bulk-reassign-submit').click();
  await dialog.getByText(text.customers.owner.ownerRequired).waitFor();
  const picker = dialog.getByRole('textbox', { name: text.customers.owner.newOwner, exact: true });
  await picker.click();
  await picker.fill('Erin');
  await page.getByRole('option', { name: fill(text.customers.owner.option, { name: MEMBERS.erin.displayName, team: 'East' }) }).click();
  await dialog.getByRole('button', { name: fill(text.customers.bulk[`submit_${plural(text, count)}`], { count }) }).click();
  await dialog.getByTestId('bulk-reassign-summary').getByText(fill(text.customers.bulk[`done_${plural(text, count)}`], { count, name: MEMBERS.erin.displayName })).waitFor();
  await dialog.getByTestId('bulk-reassign-done').click();
  await dialog.waitFor({ state: 'hidden' });
}

beforeAll(async () => {
  const { context, page } = await newPage(e2e.browser);
  try {
    const signedIn = await page.request.post(`${e2e.server.url}/api/auth/login`, { data: { email: OWNER.email, password: OWNER.password } });
    expect(signedIn.status()).toBe(200);
    const owner = await apiWithPageSession(page, e2e.server);
    const east = await owner.create<{ id: string }>('/api/admin/teams', { name: 'East' });
    ids.ada = await addMember(owner, MEMBERS.ada, null);
    ids.erin = await addMember(owner, MEMBERS.erin, east.id);
    for (let start = 0; start < FILLERS; start += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, n) => owner.create('/api/customers', { kind: 'person', name: `Demo Person ${start + n}` })));
    }
  } finally {
    await context.close();
  }
  ids.adas = await asMember(MEMBERS.ada, async (api) => {
    const made: string[] = [];
    for (const name of ['王芳', 'Lena Fischer', 'Omar Haddad']) made.push((await api.create<{ id: string }>('/api/customers', { kind: 'person', name })).id);
    return made;
  });
  ids.erins = await asMember(MEMBERS.erin, async (api) => (await api.create<{ id: string }>('/api/customers', { kind: 'person', name: 'Erin’s Own' })).id);
});

describe('reassigning many customers from the list', () => {
  it('lets an administrator tick customers, hand them to a sales rep and see them move', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'bulk-reassign-admin', async (page) => {
      await signIn(page, MEMBERS.ada, en);
      await page.goto(`${e2e.server.url}/customers`);
      const newest = ids.adas[2]!;
      await box(page, newest).check();
      await expect.poll(() => page.getByTestId('bulk-selected').innerText()).toBe(fill(en.customers.bulk.selected_one, { count: 1 }));

      // A tick survives scrolling the row out of the page and back.
      await expect
        .poll(async () => {
          await page.getByTestId('customers-scroll').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
          return page.getByTestId('customers-loaded').innerText();
        })
        .toBe(fill(en.customers.list.loadedAll_other, { count: FILLERS + 4 }));
      // The virtualized table drops rows scrolled far out of view once it has redrawn.
      await expect.poll(() => row(page, newest).count()).toBe(0);
      await page.getByTestId('customers-scroll').evaluate((element) => element.scrollTo({ top: 0 }));
      await expect.poll(() => box(page, newest).isChecked()).toBe(true);

      // The header's box ticks every loaded row, then unticks them all.
      await page.getByRole('checkbox', { name: en.customers.bulk.selectPage }).check();
      await expect.poll(() => page.getByTestId('bulk-selected').innerText()).toBe(fill(en.customers.bulk.selected_other, { count: FILLERS + 4 }));
      await page.getByRole('checkbox', { name: en.customers.bulk.selectPage }).uncheck();
      await page.getByTestId('bulk-actions').waitFor({ state: 'detached' });

      // Her own customers: ticks go when the list changes.
      await page.goto(`${e2e.server.url}${ownedBy(ids.ada)}`);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
      await box(page, ids.adas[0]!).check();
      await page.getByTestId('customer-kind').getByText(en.customers.list.kinds.person).click();
      await page.getByTestId('bulk-actions').waitFor({ state: 'detached' });
      await expect.poll(() => box(page, ids.adas[0]!).isChecked()).toBe(false);

      await box(page, ids.adas[0]!).check();
      await box(page, ids.adas[1]!).check();
      await expect.poll(() => page.getByTestId('bulk-selected').innerText()).toBe(fill(en.customers.bulk.selected_other, { count: 2 }));
      await reassignToErin(page, en, 2);

      // The list is asked again: the two are no longer hers, and nothing stays ticked.
      await expect.poll(() => page.getByTestId('customer-row').evaluateAll((rows) => rows.map((each) => each.getAttribute('data-id')))).toEqual([ids.adas[2]]);
      expect(await page.getByTestId('bulk-actions').count()).toBe(0);
      expect(await box(page, ids.adas[2]!).isChecked()).toBe(false);

      await page.goto(`${e2e.server.url}${ownedBy(ids.erin)}`);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
      await row(page, ids.adas[0]!).getByRole('link').click();
      await expect.poll(() => page.getByTestId('customer-owner').innerText()).toBe(MEMBERS.erin.displayName);
    }));

  it('offers no boxes to a sales rep, whose role may not reassign', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'bulk-reassign-rep', async (page) => {
      await signIn(page, MEMBERS.erin, en);
      await page.goto(`${e2e.server.url}/customers`);
      await row(page, ids.erins).waitFor();
      expect(await page.getByRole('checkbox').count()).toBe(0);
      expect(await page.getByTestId('bulk-actions').count()).toBe(0);
    }));

  it('works on a phone, in Chinese', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'bulk-reassign-phone-zh-CN', async (page) => {
      await signIn(page, MEMBERS.ada, zhCN);
      await page.goto(`${e2e.server.url}${ownedBy(ids.ada)}`);
      const last = ids.adas[2]!;
      await box(page, last).check();
      await expect.poll(() => page.getByTestId('bulk-selected').innerText()).toBe(fill(zhCN.customers.bulk.selected_other, { count: 1 }));
      // The boxes' column and the bar fit beside the name and one more column.
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await page.getByTestId('customers-scroll').evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

      await reassignToErin(page, zhCN, 1);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(0);
    }));
});
