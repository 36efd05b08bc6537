import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BUILT_IN_FIELDS } from '../../src/server/vault/built-in-fields.js';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, type InvitedMember, joinByInvitation, newPage, OWNER, setUpServerWithOwner, signInAs, signInAsOwner } from './harness.js';

/**
 * Who sees what, in Chromium against the built server (issue #4). The owner builds teams East,
 * its sub-team Shanghai, and West, and invites a sales rep into each, an analyst and an
 * administrator; each rep adds a customer with their own session. The East rep then sees their
 * own customer's phone in clear, the Shanghai one masked, the West one not at all (its page is
 * "not found"); no reveal, and an ID number refused under its input; opens and closes a
 * support case. The analyst gets no action the server would refuse and no section it would
 * not answer. The administrator breaks glass, sees the red banner counting down and ends it;
 * the owner, in Chinese on a phone, finds the news under the bell.
 */

const e2e = setUpServerWithOwner();

interface Member extends InvitedMember {
  team: 'East' | 'Shanghai' | 'West' | null;
}

const MEMBERS = {
  east: { email: 'erin.east@example.com', displayName: 'Erin East', password: 'copper-meadow-lantern-61', role: 'sales_rep', team: 'East' },
  shanghai: { email: 'shen.shanghai@example.com', displayName: 'Shen Shanghai', password: 'harbor-violet-granite-27', role: 'sales_rep', team: 'Shanghai' },
  west: { email: 'wes.west@example.com', displayName: 'Wes West', password: 'saffron-glacier-pillow-38', role: 'sales_rep', team: 'West' },
  analyst: { email: 'ana.lyst@example.com', displayName: 'Ana Lyst', password: 'tundra-maple-whistle-74', role: 'analyst', team: null },
  admin: { email: 'ada.admin@example.com', displayName: 'Ada Admin', password: 'orchid-canyon-ember-52', role: 'admin', team: null },
} as const satisfies Record<string, Member>;

/** The east customer's ID number: a rep may not write it (nor see it), so the owner records it. */
const NATIONAL_ID = '11010519491231002X';

/** Each rep's customer, added with that rep's own session (so owned by them and their team). */
const CUSTOMERS = {
  east: { kind: 'person', name: '张伟', phone: '138 0013 8000' },
  shanghai: { kind: 'person', name: '李娜', phone: '139 1234 5678' },
  west: { kind: 'person', name: 'Wang Fang', phone: '137 0000 1111' },
} as const;
const ids = { east: '', shanghai: '', west: '' };

const BREAK_GLASS_REASON = 'Court order 2026-17: identity check of a customer';
function personFieldLabel(key: string): string {
  const field = BUILT_IN_FIELDS.find((each) => each.kind === 'person' && each.key === key);
  if (!field) throw new Error(`no built-in person field ${key}`);
  return field.labels.en;
}

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

/** A page signed in through the API (no screen needed), its API calls made with its session. */
async function withSession<T>(who: { email: string; password: string }, work: (api: Awaited<ReturnType<typeof sessionApi>>) => Promise<T>): Promise<T> {
  const { context, page } = await newPage(e2e.browser);
  try {
    const signedIn = await page.request.post(`${e2e.server.url}/api/auth/login`, { data: { email: who.email, password: who.password } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    return await work(await sessionApi(page));
  } finally {
    await context.close();
  }
}

/** The harness's calls, and the PUT the team assignment needs. */
async function sessionApi(page: Page) {
  const api = await apiWithPageSession(page, e2e.server);
  const { csrfToken } = (await (await page.request.get(`${e2e.server.url}/api/auth/me`)).json()) as { csrfToken: string };
  return {
    ...api,
    async put(path: string, data: unknown): Promise<void> {
      const response = await page.request.put(`${e2e.server.url}${path}`, { data, headers: { 'x-csrf-token': csrfToken } });
      expect(response.status(), `PUT ${path}: ${await response.text()}`).toBe(204);
    },
    async patch(path: string, data: unknown): Promise<void> {
      const response = await page.request.patch(`${e2e.server.url}${path}`, { data, headers: { 'x-csrf-token': csrfToken } });
      expect(response.status(), `PATCH ${path}: ${await response.text()}`).toBe(200);
    },
  };
}

/** Invited by the owner, joined through the public accept call (as the invitation page does), put in their team. */
async function addMember(owner: Awaited<ReturnType<typeof sessionApi>>, member: Member, teamIds: Record<string, string>) {
  const id = await joinByInvitation(e2e.server, owner, member);
  if (member.team) await owner.put(`/api/admin/users/${id}/team`, { teamId: teamIds[member.team] });
}

const signIn = (page: Page, member: Member) => signInAs(page, e2e.server, member, en);

/** A customer's row, by id: names are personal, and come masked to some (李* for 李娜). */
const row = (page: Page, id: string) => page.locator(`[data-testid="customer-row"][data-id="${id}"]`);
const phoneCell = (page: Page, id: string) => row(page, id).locator('[data-column="phone"]').innerText();
const section = (page: Page, key: string) => page.getByTestId(`customer-section-${key}`);

beforeAll(async () => {
  await withSession(OWNER, async (owner) => {
    const east = await owner.create<{ id: string }>('/api/admin/teams', { name: 'East' });
    const shanghai = await owner.create<{ id: string }>('/api/admin/teams', { name: 'Shanghai', parentId: east.id });
    const west = await owner.create<{ id: string }>('/api/admin/teams', { name: 'West' });
    const teamIds = { East: east.id, Shanghai: shanghai.id, West: west.id };
    for (const member of Object.values(MEMBERS)) await addMember(owner, member, teamIds);
  });
  for (const rep of ['east', 'shanghai', 'west'] as const) {
    ids[rep] = (await withSession(MEMBERS[rep], (api) => api.create<{ id: string }>('/api/customers', CUSTOMERS[rep]))).id;
  }
  await withSession(OWNER, (owner) => owner.patch(`/api/customers/${ids.east}`, { nationalId: NATIONAL_ID }));
});

describe('permissions in the web app', () => {
  it('shows a sales rep their own customer in clear, the sub-team’s masked, another team’s not at all', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'permissions-sales-rep', async (page) => {
      await signIn(page, MEMBERS.east);
      await page.waitForURL(/\/customers$/);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
      expect(await phoneCell(page, ids.east)).toBe('+8613800138000');
      expect(await phoneCell(page, ids.shanghai)).toBe('139****5678');
      expect(await row(page, ids.west).count()).toBe(0);
      // A rep creates customers of their own.
      await page.getByTestId('new-customer').waitFor();

      // Their own customer: the ID number is not theirs to see, nor to reveal.
      await row(page, ids.east).getByRole('link').click();
      await expect.poll(() => page.getByTestId('customer-name').innerText()).toBe(CUSTOMERS.east.name);
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('+8613800138000');
      expect(await page.getByTestId('customer-field-nationalId').count()).toBe(0);
      expect(await page.locator('[data-testid^="reveal-"]').count()).toBe(0);
      // Nor to write: the refusal is said under the field.
      await page.getByRole('button', { name: en.customers.profile.edit, exact: true }).click();
      const nationalId = page.getByRole('textbox', { name: personFieldLabel('nationalId'), exact: true });
      await nationalId.fill(NATIONAL_ID);
      await page.getByRole('button', { name: en.common.save, exact: true }).click();
      await expect.poll(() => nationalId.getAttribute('aria-invalid')).toBe('true');
      await page.getByText(en.customers.fieldErrors.field_not_writable, { exact: true }).waitFor();
      await page.getByRole('button', { name: en.common.cancel, exact: true }).click();

      // A support case, opened and closed from the customer page.
      const cases = section(page, 'cases');
      await cases.getByTestId('cases-empty').waitFor();
      await cases.getByLabel(en.customers.sections.cases.subject, { exact: true }).fill('Refund for order SO-1001');
      await cases.getByTestId('open-case').click();
      await cases.getByTestId('case-row').waitFor();
      expect(await cases.getByTestId('case-status').textContent()).toBe(en.customers.sections.cases.statuses.open);
      expect(await cases.getByTestId('case-row').innerText()).toContain(fill(en.customers.sections.cases.owner, { owner: en.customers.sections.cases.you }));
      await cases.getByRole('button', { name: fill(en.customers.sections.cases.closeLabel, { subject: 'Refund for order SO-1001' }), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: en.customers.sections.cases.closeConfirm.title });
      await dialog.getByRole('button', { name: en.customers.sections.cases.close, exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => cases.getByTestId('case-status').textContent()).toBe(en.customers.sections.cases.statuses.closed);

      // The sub-team's customer comes masked; another team's is "not found", as one that does not exist.
      await page.goto(`${e2e.server.url}/customers/${ids.shanghai}`);
      await expect.poll(() => page.getByTestId('customer-field-phone').innerText()).toBe('139****5678');
      await page.goto(`${e2e.server.url}/customers/${ids.west}`);
      await page.getByRole('heading', { name: en.customers.profile.notFoundTitle }).waitFor();
      expect(await page.getByTestId('customer-name').count()).toBe(0);
    }));

  it('offers an analyst no action and no section the server would refuse', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'permissions-analyst', async (page) => {
      await signIn(page, MEMBERS.analyst);
      await page.waitForURL(/\/customers$/);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
      expect(await phoneCell(page, ids.west)).toBe('137****1111');
      expect(await page.getByTestId('new-customer').count()).toBe(0);

      await page.goto(`${e2e.server.url}/customers/${ids.east}`);
      await section(page, 'transactions').waitFor();
      await section(page, 'timeline').waitFor();
      await section(page, 'preferences').getByTestId('preferences-channels').waitFor();
      for (const hidden of ['contactPoints', 'addresses', 'notes', 'cases']) expect(await section(page, hidden).count(), hidden).toBe(0);
      for (const action of [en.customers.profile.edit, en.customers.profile.delete]) expect(await page.getByRole('button', { name: action, exact: true }).count(), action).toBe(0);
      expect(await page.getByTestId('add-transaction').count()).toBe(0);
      expect(await page.getByTestId('edit-preferences').count()).toBe(0);
    }));

  it('lets an administrator break glass for a stated reason, with a red banner counting down until they end it', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'permissions-break-glass', async (page) => {
      await signIn(page, MEMBERS.admin);
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: en.shell.breakGlass.action }).click();
      const dialog = page.getByRole('dialog', { name: en.shell.breakGlass.title });
      await dialog.getByText(en.shell.breakGlass.pointNotified).waitFor();
      // Too short a reason is refused before anything is sent.
      await dialog.getByLabel(en.shell.breakGlass.reason, { exact: true }).fill('because');
      await dialog.getByTestId('break-glass-submit').click();
      await dialog.getByText(fill(en.shell.breakGlass.reasonTooShort, { min: 10 })).waitFor();
      await dialog.getByLabel(en.shell.breakGlass.reason, { exact: true }).fill(BREAK_GLASS_REASON);
      await dialog.getByLabel(en.shell.breakGlass.minutes, { exact: true }).fill('30');
      await dialog.getByTestId('break-glass-submit').click();
      await dialog.waitFor({ state: 'hidden' });

      const banner = page.getByTestId('break-glass-banner');
      await banner.waitFor();
      expect(await banner.getByTestId('break-glass-reason').innerText()).toContain(BREAK_GLASS_REASON);
      await expect.poll(() => banner.getByTestId('break-glass-time-left').innerText()).toMatch(/^(29:[0-5]\d|30:00)$/);
      const first = await banner.getByTestId('break-glass-time-left').innerText();
      await expect.poll(() => banner.getByTestId('break-glass-time-left').innerText()).not.toBe(first);
      // On every page, and not offered twice.
      await page.getByRole('link', { name: en.nav.adminUsers, exact: true }).click();
      await banner.waitFor();
      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: en.nav.account }).waitFor();
      expect(await page.getByRole('menuitem', { name: en.shell.breakGlass.action }).count()).toBe(0);
      await page.keyboard.press('Escape');

      await banner.getByTestId('break-glass-end').click();
      await banner.waitFor({ state: 'detached' });
      await page.getByText(en.shell.breakGlass.ended).waitFor();
    }));

  it('tells the owner, in Chinese on a phone, under the bell', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'permissions-notification-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      // The detection rules may have told the owner things too (a sign-in outside working hours): the break-glass news is among them.
      await page.getByTestId('notifications-unread').waitFor();
      await page.getByTestId('notifications-bell').click();
      const panel = page.getByTestId('notifications-panel');
      const message = await panel.getByTestId('notification-message').filter({ hasText: BREAK_GLASS_REASON }).innerText();
      expect(message).toContain(`${MEMBERS.admin.displayName} 开启了紧急访问`);
      expect(message).toContain(BREAK_GLASS_REASON);
      await panel.getByText(zhCN.shell.notifications.new, { exact: true }).first().waitFor();
      // Read on opening: the count is gone, here and after a reload.
      await page.getByTestId('notifications-unread').waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const listed = page.waitForResponse((response) => response.url().endsWith('/api/notifications'));
      await page.reload();
      await listed;
      await page.getByTestId('notifications-bell').waitFor();
      expect(await page.getByTestId('notifications-unread').count()).toBe(0);
    }));
});
