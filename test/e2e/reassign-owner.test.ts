import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { apiWithPageSession, inNewPage, type InvitedMember, joinByInvitation, newPage, OWNER, setUpServerWithOwner, signInAs, signInAsOwner } from './harness.js';

/**
 * Who owns a customer (issue #4, items 3 and 9), in Chromium against the built server. The
 * owner opens a customer of theirs and hands it to Erin, a sales rep of team East, through the
 * Reassign dialog; Erin then sees it as her own — the phone in clear, Edit and Delete offered,
 * no Reassign. A customer of Shen's (sub-team Shanghai) Erin may read but not change: its phone
 * comes masked and no action is offered. An analyst, who may not create customers, is told so
 * on the new-customer page, on a phone.
 */

const e2e = setUpServerWithOwner();

interface Member extends InvitedMember {
  team: 'East' | 'Shanghai' | null;
}

const MEMBERS = {
  erin: { email: 'erin.east@example.com', displayName: 'Erin East', password: 'copper-meadow-lantern-61', role: 'sales_rep', team: 'East' },
  shen: { email: 'shen.shanghai@example.com', displayName: 'Shen Shanghai', password: 'harbor-violet-granite-27', role: 'sales_rep', team: 'Shanghai' },
  ana: { email: 'ana.lyst@example.com', displayName: 'Ana Lyst', password: 'tundra-maple-whistle-74', role: 'analyst', team: null },
} as const satisfies Record<string, Member>;

const ids = { owners: '', shens: '' };

const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

/** A page signed in through the API as `who`, for setting the scene with their session. */
async function asMember<T>(who: { email: string; password: string }, work: (page: Page, api: Awaited<ReturnType<typeof apiWithPageSession>>) => Promise<T>): Promise<T> {
  const { context, page } = await newPage(e2e.browser);
  try {
    const signedIn = await page.request.post(`${e2e.server.url}/api/auth/login`, { data: { email: who.email, password: who.password } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    return await work(page, await apiWithPageSession(page, e2e.server));
  } finally {
    await context.close();
  }
}

/** Invited by the owner, joined, and put in their team. */
async function addMember(owner: Awaited<ReturnType<typeof apiWithPageSession>>, member: Member, teamIds: Record<string, string>) {
  const id = await joinByInvitation(e2e.server, owner, member);
  if (member.team) await owner.put(`/api/admin/users/${id}/team`, { teamId: teamIds[member.team] });
}

const signIn = (page: Page, member: Member) => signInAs(page, e2e.server, member, en);

const row = (page: Page, id: string) => page.locator(`[data-testid="customer-row"][data-id="${id}"]`);
const actionCount = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).count();

beforeAll(async () => {
  await asMember(OWNER, async (page, owner) => {
    const east = await owner.create<{ id: string }>('/api/admin/teams', { name: 'East' });
    const shanghai = await owner.create<{ id: string }>('/api/admin/teams', { name: 'Shanghai', parentId: east.id });
    for (const member of Object.values(MEMBERS)) await addMember(owner, member, { East: east.id, Shanghai: shanghai.id });
    ids.owners = (await owner.create<{ id: string }>('/api/customers', { kind: 'person', name: '张伟', phone: '138 0013 8000' })).id;
  });
  ids.shens = (await asMember(MEMBERS.shen, (_page, api) => api.create<{ id: string }>('/api/customers', { kind: 'person', name: '李娜', phone: '139 1234 5678' }))).id;
});

describe('reassigning a customer’s owner in the web app', () => {
  it('lets the owner hand a customer to a sales rep, who then has it as her own', async () => {
    await inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'reassign-owner-owner', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      await page.goto(`${e2e.server.url}/customers/${ids.owners}`);
      await expect.poll(() => page.getByTestId('customer-owner').innerText()).toBe(en.customers.owner.you);
      await page.getByTestId('reassign-owner').click();

      const dialog = page.getByRole('dialog', { name: en.customers.owner.title });
      // Nobody chosen yet: said under the picker, nothing sent.
      await dialog.getByTestId('reassign-owner-submit').click();
      await dialog.getByText(en.customers.owner.ownerRequired).waitFor();
      const picker = dialog.getByRole('textbox', { name: en.customers.owner.newOwner, exact: true });
      await picker.click();
      await picker.fill('Erin');
      await page.getByRole('option', { name: fill(en.customers.owner.option, { name: MEMBERS.erin.displayName, team: 'East' }) }).click();
      await dialog.getByTestId('reassign-owner-submit').click();
      await dialog.waitFor({ state: 'hidden' });

      await page.getByText(fill(en.customers.owner.done, { name: MEMBERS.erin.displayName })).waitFor();
      await expect.poll(() => page.getByTestId('customer-owner').innerText()).toBe(MEMBERS.erin.displayName);
      // The owner still holds every action on it.
      expect(await page.getByTestId('reassign-owner').count()).toBe(1);
    });

    await inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'reassign-owner-rep', async (page) => {
      await signIn(page, MEMBERS.erin);
      await page.waitForURL(/\/customers$/);
      await expect.poll(() => row(page, ids.owners).locator('[data-column="phone"]').innerText()).toBe('+8613800138000');

      await row(page, ids.owners).getByRole('link').click();
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('+8613800138000');
      await expect.poll(() => page.getByTestId('customer-owner').innerText()).toBe(en.customers.owner.you);
      expect(await actionCount(page, en.customers.profile.edit)).toBe(1);
      expect(await actionCount(page, en.customers.profile.delete)).toBe(1);
      expect(await page.getByTestId('reassign-owner').count()).toBe(0);

      // A sub-team's customer she may read, not change: masked, and no action the server would refuse.
      await page.goto(`${e2e.server.url}/customers/${ids.shens}`);
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('139****5678');
      expect(await actionCount(page, en.customers.profile.edit)).toBe(0);
      expect(await actionCount(page, en.customers.profile.delete)).toBe(0);
      expect(await page.getByTestId('reassign-owner').count()).toBe(0);
    });
  });

  it('tells a role that may not create customers so, instead of a form, on a phone', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 390 }, 'reassign-owner-no-create', async (page) => {
      await signIn(page, MEMBERS.ana);
      await page.goto(`${e2e.server.url}/customers/new`);
      await page.getByRole('heading', { name: en.customers.form.notAllowedTitle }).waitFor();
      expect(await page.getByRole('button', { name: en.customers.form.submit }).count()).toBe(0);
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
