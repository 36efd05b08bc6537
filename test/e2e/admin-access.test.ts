import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { apiWithPageSession, inNewPage, joinByInvitation, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The owner sets up who may see what: a team with a sub-team, a member put in it (which keeps
 * the team from being deleted), a custom role copied from the sales rep with one matrix cell and
 * one field rule changed — still there after a reload — and a built-in role changed and reset.
 * Then the same pages in Chinese on a 390 px phone, the matrix scrolling inside its card.
 */

const e2e = setUpServerWithOwner();

const MEMBER = { email: 'sam.seller@example.com', displayName: 'Sam Seller', password: 'amber-lantern-quartz-83' };
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

/** A member invited through the API and joined through the public accept call, as the invitation page does. */
async function addMember(page: Page) {
  await joinByInvitation(e2e.server, await apiWithPageSession(page, e2e.server), { ...MEMBER, role: 'sales_rep' });
}

const teamRow = (page: Page, name: string) => page.locator(`[data-testid="team-row"][data-name="${name}"]`);
const matrixCell = (page: Page, text: typeof en, object: keyof typeof en.admin.roles.objects, action: keyof typeof en.admin.roles.actions) =>
  page.getByLabel(fill(text.admin.roles.cellLabel, { object: text.admin.roles.objects[object], action: text.admin.roles.actions[action] }), { exact: true });
const classRule = (page: Page, text: typeof en, sensitivity: keyof typeof en.customers.sensitivity) =>
  page.getByLabel(fill(text.admin.roles.classLabel, { class: text.customers.sensitivity[sensitivity] }), { exact: true });

/** Tries to delete a team and reads the server's refusal in the dialog, then leaves it. */
async function expectDeleteRefused(page: Page, name: string, message: string) {
  await page.getByRole('button', { name: fill(en.admin.teams.deleteLabel, { name }), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: fill(en.admin.teams.deleteConfirm.title, { name }) });
  await dialog.getByRole('button', { name: en.admin.teams.deleteConfirm.confirm, exact: true }).click();
  await dialog.getByText(message).waitFor();
  await dialog.getByRole('button', { name: en.common.cancel, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('roles, teams and who is in them, from the admin pages', () => {
  it('builds teams, puts a member in one, makes a custom role, changes and resets a built-in one', () =>
    inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'admin-access-en-US', async (page) => {
      await signInAsOwner(page, e2e.server, en);
      await addMember(page);

      // Teams: a top-level team and a sub-team under it.
      await page.getByRole('link', { name: en.nav.adminTeams, exact: true }).click();
      await page.getByRole('heading', { name: en.admin.teams.title, level: 1 }).waitFor();
      await page.getByText(en.admin.teams.emptyTitle).waitFor();
      await page.getByRole('button', { name: en.admin.teams.add, exact: true }).click();
      let dialog = page.getByRole('dialog', { name: en.admin.teams.form.addTitle });
      await dialog.getByLabel(en.admin.teams.form.name).fill('Sales East');
      await dialog.getByRole('button', { name: en.admin.teams.add, exact: true }).click();
      await teamRow(page, 'Sales East').waitFor();

      await page.getByRole('button', { name: fill(en.admin.teams.addSubLabel, { name: 'Sales East' }), exact: true }).click();
      dialog = page.getByRole('dialog', { name: en.admin.teams.form.addTitle });
      await dialog.getByLabel(en.admin.teams.form.name).fill('Shanghai');
      await dialog.getByRole('button', { name: en.admin.teams.add, exact: true }).click();
      await teamRow(page, 'Shanghai').waitFor();
      expect(await teamRow(page, 'Shanghai').getAttribute('data-depth')).toBe('1');
      await expectDeleteRefused(page, 'Sales East', en.errors.team_has_subteams);

      // The member goes into the sub-team from the Users page; the team then refuses to go.
      const teams = (await (await page.request.get(`${e2e.server.url}/api/admin/teams`)).json()) as { items: { id: string; name: string }[] };
      const shanghai = teams.items.find((team) => team.name === 'Shanghai')!;
      await page.getByRole('link', { name: en.nav.adminUsers, exact: true }).click();
      await page.getByLabel(fill(en.admin.users.teamFor, { email: MEMBER.email }), { exact: true }).selectOption(shanghai.id);
      await page.getByText(fill(en.admin.users.teamChanged, { name: MEMBER.displayName, team: 'Shanghai' })).waitFor();
      await page.getByRole('link', { name: en.nav.adminTeams, exact: true }).click();
      await teamRow(page, 'Shanghai').waitFor();
      await expectDeleteRefused(page, 'Shanghai', en.errors.team_has_members);

      // A custom role, copied from the sales rep; its key follows its English name.
      await page.getByRole('link', { name: en.nav.adminRoles, exact: true }).click();
      await page.getByRole('heading', { name: en.admin.roles.overviewTitle }).waitFor();
      await page.getByRole('button', { name: en.admin.roles.new, exact: true }).click();
      dialog = page.getByRole('dialog', { name: en.admin.roles.create.title });
      await dialog.getByLabel(en.admin.roles.create.labelEn).fill('Key account manager');
      await dialog.getByLabel(en.admin.roles.create.labelZh).fill('大客户经理');
      expect(await dialog.getByLabel(en.admin.roles.create.key).inputValue()).toBe('key_account_manager');
      await dialog.getByLabel(en.admin.roles.create.copyFrom).selectOption('sales_rep');
      await dialog.getByRole('button', { name: en.admin.roles.create.submit, exact: true }).click();
      await page.waitForURL(/\/admin\/roles\/key_account_manager$/);
      await page.getByRole('heading', { name: 'Key account manager', level: 2 }).waitFor();
      expect(await matrixCell(page, en, 'customers', 'read').inputValue()).toBe('subteams');

      // One cell of the matrix and one field rule; the bar says what changed before saving.
      await matrixCell(page, en, 'customers', 'export').selectOption('team');
      await classRule(page, en, 'sensitive').selectOption('masked');
      const bar = page.getByTestId('save-bar');
      await bar.getByText(fill(en.admin.roles.unsaved_other, { count: 2 })).waitFor();
      await bar
        .getByText(
          fill(en.admin.roles.changes.scope, { object: en.admin.roles.objects.customers, action: en.admin.roles.actions.export, from: en.admin.roles.scopes.none, to: en.admin.roles.scopes.team }),
        )
        .waitFor();
      await bar.getByRole('button', { name: en.admin.roles.save, exact: true }).click();
      await page.getByText(fill(en.admin.roles.saved, { name: 'Key account manager' })).waitFor();
      await bar.waitFor({ state: 'detached' });

      await page.reload();
      await page.getByRole('heading', { name: 'Key account manager', level: 2 }).waitFor();
      expect(await matrixCell(page, en, 'customers', 'export').inputValue()).toBe('team');
      expect(await classRule(page, en, 'sensitive').inputValue()).toBe('masked');
      const overviewRow = page.locator('[data-testid="role-overview-row"][data-role="key_account_manager"]');
      await overviewRow.getByText(en.admin.roles.custom, { exact: true }).waitFor();

      // Leaving with unsaved changes asks first.
      await matrixCell(page, en, 'notes', 'export').selectOption('own');
      await page.locator('[data-testid="role-overview-row"][data-role="sales_rep"]').getByRole('link').click();
      dialog = page.getByRole('dialog', { name: en.admin.roles.leave.title });
      await dialog.getByRole('button', { name: en.admin.roles.leave.confirm, exact: true }).click();
      await page.waitForURL(/\/admin\/roles\/sales_rep$/);

      // A built-in role changed, then reset to its defaults.
      await page.locator('[data-testid="role-editor"][data-role="sales_rep"]').waitFor();
      await matrixCell(page, en, 'customers', 'read').selectOption('all');
      await page.getByTestId('save-bar').getByRole('button', { name: en.admin.roles.save, exact: true }).click();
      await page.getByTestId('save-bar').waitFor({ state: 'detached' });
      await page.locator('[data-testid="role-overview-row"][data-role="sales_rep"] [data-scope="all"]').first().waitFor();
      await page.getByRole('button', { name: en.admin.roles.reset, exact: true }).click();
      dialog = page.getByRole('dialog', { name: /Sales rep/ });
      await dialog.getByRole('button', { name: en.admin.roles.resetConfirm.confirm, exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => matrixCell(page, en, 'customers', 'read').inputValue()).toBe('subteams');

      // The owner role is shown, not changed.
      await page.locator('[data-testid="role-overview-row"][data-role="owner"]').getByRole('link').click();
      await page.getByText(en.admin.roles.ownerLocked).waitFor();
      expect(await matrixCell(page, en, 'customers', 'read').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: en.admin.roles.reset, exact: true }).count()).toBe(0);
    }));

  it('shows the same pages in Chinese on a 390 px phone, the matrix scrolling inside its card', () =>
    inNewPage(e2e.browser, { locale: 'zh-CN', width: 390 }, 'admin-access-zh-CN', async (page) => {
      await signInAsOwner(page, e2e.server, zhCN);
      await page.goto(`${e2e.server.url}/admin/roles/key_account_manager`);
      await page.getByRole('heading', { name: '大客户经理', level: 2 }).waitFor();
      expect(await matrixCell(page, zhCN, 'customers', 'export').inputValue()).toBe('team');
      await matrixCell(page, zhCN, 'customers', 'import').selectOption('own');
      await page.getByTestId('save-bar').getByText(fill(zhCN.admin.roles.unsaved_other, { count: 1 })).waitFor();
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      // The matrix's first cell sits in a box that scrolls sideways, wider inside than on screen.
      const matrixScrolls = await page.evaluate<boolean>(`(() => {
        let box = document.querySelector('[data-testid="role-editor"] select')?.parentElement ?? null;
        while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
        return box !== null && box.scrollWidth > box.clientWidth;
      })()`);
      expect(matrixScrolls).toBe(true);
      await page.getByTestId('save-bar').getByRole('button', { name: zhCN.admin.roles.discard, exact: true }).click();

      await page.goto(`${e2e.server.url}/admin/teams`);
      await teamRow(page, 'Shanghai').waitFor();
      await expect.poll(() => page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    }));
});
