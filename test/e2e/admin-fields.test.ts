import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { en as text } from '../../src/web/i18n/en.js';
import { inNewPage, setUpServerWithOwner, signInAsOwner } from './harness.js';

/**
 * The administrator's data screens: the default phone region in the workspace settings, and
 * the field registry as a data-classification page — add a custom field (a duplicate key is
 * refused under the key input), edit its labels and options (a saved option can be moved but
 * not removed), look at a built-in field's definition, then archive and unarchive it. Then a
 * field with rules: unique, a maximum length and a retention period, which the customer form
 * enforces; and its reclassification from internal to personal with a stated reason, and back
 * down with the extra confirmation lowering asks for.
 */
const e2e = setUpServerWithOwner();

describe('admin data screens in English', () => {
  it('sets the phone region, adds a custom field, edits it and archives it', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'admin-fields-en-US', journey));

  it('adds a unique field with a maximum length, has customers refused by it, then changes its class', () => inNewPage(e2e.browser, { locale: 'en-US', width: 1280 }, 'admin-field-rules-en-US', rulesJourney));
});

/** Types each option into the "new option" input; Enter adds it (and does not submit the form). */
async function addOptions(dialog: Locator, options: string[]) {
  for (const option of options) {
    await dialog.getByRole('textbox', { name: text.admin.fields.newOption }).fill(option);
    await dialog.getByRole('textbox', { name: text.admin.fields.newOption }).press('Enter');
    await dialog.locator(`[data-testid="option-row"][data-option="${option}"]`).waitFor();
  }
}

const optionsOnPage = (dialog: Locator) => dialog.getByTestId('option-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-option')));

async function addField(page: Page, key: string) {
  await page.getByRole('button', { name: text.admin.fields.add }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(text.admin.fields.kind, { exact: true }).selectOption('person');
  await dialog.getByRole('textbox', { name: text.admin.fields.key }).fill(key);
  await dialog.getByRole('textbox', { name: text.admin.fields.labelEn }).fill('Loyalty level');
  await dialog.getByRole('textbox', { name: text.admin.fields.labelZh }).fill('会员等级');
  await dialog.getByLabel(text.admin.fields.type, { exact: true }).selectOption('select');
  await dialog.getByLabel(text.admin.fields.sensitivity, { exact: true }).selectOption('internal');
  await addOptions(dialog, ['bronze', 'silver', 'gold']);
  await dialog.getByRole('textbox', { name: text.admin.fields.purposes }).fill('marketing');
  await dialog.getByRole('textbox', { name: text.admin.fields.purposes }).press('Enter');
  // Leave the input, so its suggestions close and uncover the buttons.
  await dialog.getByRole('textbox', { name: text.admin.fields.purposes }).press('Tab');
  await dialog.getByRole('button', { name: text.admin.fields.submit }).click();
  return dialog;
}

async function journey(page: Page) {
  await signInAsOwner(page, e2e.server, text);

  // Settings: the default phone region.
  await page.getByRole('link', { name: text.nav.adminSettings, exact: true }).click();
  const region = page.getByLabel(text.admin.settings.phoneRegion, { exact: true });
  await expect.poll(() => region.inputValue()).toBe('CN');
  await region.selectOption('HK');
  await expect.poll(async () => ((await (await page.request.get(`${e2e.server.url}/api/admin/settings`)).json()) as { phoneRegion: string }).phoneRegion).toBe('HK');

  // Fields: every class, with the built-in fields in them.
  await page.getByRole('link', { name: text.nav.adminFields, exact: true }).click();
  await page.waitForURL(/\/admin\/fields$/);
  await page.locator('[data-testid="field-row"][data-kind="person"][data-key="nationalId"]').waitFor();
  expect(await page.locator('[data-testid="field-class"][data-sensitivity="sensitive"] [data-key="nationalId"]').count()).toBe(1);

  // Add a custom field; it lands in its class.
  const dialog = await addField(page, 'loyaltyLevel');
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('[data-testid="field-class"][data-sensitivity="internal"] [data-testid="field-row"][data-key="loyaltyLevel"]');
  await row.waitFor();
  expect(await row.innerText()).toContain('Loyalty level');

  // The same key again is refused, said under the key input.
  const again = await addField(page, 'loyaltyLevel');
  await again.getByText(text.admin.fields.errors.field_exists).waitFor();
  await again.getByRole('button', { name: text.common.cancel }).click();
  await again.waitFor({ state: 'hidden' });

  // Edit it: new labels, a new option, the order changed. Saved options cannot be removed, only moved.
  await row.getByRole('button', { name: text.admin.fields.editLabel.replace('{{label}}', 'Loyalty level') }).click();
  const edit = page.getByRole('dialog', { name: text.admin.fields.editTitle.replace('{{label}}', 'Loyalty level') });
  expect(await edit.getByTestId('field-definition').innerText()).toContain('loyaltyLevel');
  expect(await edit.getByRole('button', { name: text.admin.fields.removeOption.replace('{{option}}', 'silver') }).isDisabled()).toBe(true);
  await edit.getByRole('textbox', { name: text.admin.fields.labelEn }).fill('Loyalty tier');
  await edit.getByRole('textbox', { name: text.admin.fields.labelZh }).fill('会员级别');
  await addOptions(edit, ['platinum', 'diamond']);
  // A new option that is not saved yet can still go.
  await edit.getByRole('button', { name: text.admin.fields.removeOption.replace('{{option}}', 'diamond') }).click();
  await edit.getByRole('button', { name: text.admin.fields.moveUp.replace('{{option}}', 'platinum') }).click();
  expect(await optionsOnPage(edit)).toEqual(['bronze', 'silver', 'platinum', 'gold']);
  await edit.getByRole('button', { name: text.common.save }).click();
  await edit.waitFor({ state: 'hidden' });
  await row.getByText('Loyalty tier').waitFor();
  const fields = (await (await page.request.get(`${e2e.server.url}/api/customers/fields`)).json()) as { items: { key: string; labels: Record<string, string>; options?: string[]; purposes: string[] }[] };
  expect(fields.items.find((field) => field.key === 'loyaltyLevel')).toMatchObject({
    labels: { en: 'Loyalty tier', 'zh-CN': '会员级别' },
    options: ['bronze', 'silver', 'platinum', 'gold'],
    purposes: ['marketing'],
  });

  // A built-in field's definition is shown, not offered for editing.
  const nationalId = page.locator('[data-testid="field-row"][data-kind="person"][data-key="nationalId"]');
  await nationalId.getByRole('button', { name: text.admin.fields.view }).click();
  const view = page.getByRole('dialog');
  await view.getByText(text.admin.fields.builtInReadOnly).waitFor();
  expect(await view.getByRole('textbox').count()).toBe(0);
  await view.getByRole('button', { name: text.common.done }).click();
  await view.waitFor({ state: 'hidden' });

  // Archive, then unarchive.
  await row.getByRole('button', { name: text.admin.fields.archive }).click();
  await row.getByText(text.admin.fields.archived, { exact: true }).waitFor();
  await row.getByRole('button', { name: text.admin.fields.unarchive }).click();
  await row.getByText(text.admin.fields.active, { exact: true }).waitFor();
}

const MEMBER_NO = 'Member number';
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

/** Fills the new-customer form with a name and a member number and submits it. */
async function submitCustomer(page: Page, name: string, memberNo: string) {
  await page.goto(`${e2e.server.url}/customers/new`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: MEMBER_NO, exact: true }).fill(memberNo);
  await page.getByRole('button', { name: text.customers.form.submit }).click();
}

async function rulesJourney(page: Page) {
  await signInAsOwner(page, e2e.server, text);
  await page.getByRole('link', { name: text.nav.adminFields, exact: true }).click();
  await page.waitForURL(/\/admin\/fields$/);

  // A text field whose values are unique, at most 8 characters, kept a year.
  await page.getByRole('button', { name: text.admin.fields.add }).first().click();
  const add = page.getByRole('dialog');
  await add.getByLabel(text.admin.fields.kind, { exact: true }).selectOption('person');
  await add.getByRole('textbox', { name: text.admin.fields.key }).fill('memberNo');
  await add.getByRole('textbox', { name: text.admin.fields.labelEn }).fill(MEMBER_NO);
  await add.getByRole('textbox', { name: text.admin.fields.labelZh }).fill('会员号');
  await add.getByLabel(text.admin.fields.type, { exact: true }).selectOption('text');
  await add.getByLabel(text.admin.fields.sensitivity, { exact: true }).selectOption('internal');
  await add.getByRole('checkbox', { name: text.admin.fields.unique }).check();
  // Unique values are looked up exactly: that box is ticked and locked with it.
  expect(await add.getByRole('checkbox', { name: text.admin.fields.exactLookup }).isChecked()).toBe(true);
  expect(await add.getByRole('checkbox', { name: text.admin.fields.exactLookup }).isDisabled()).toBe(true);
  await add.getByRole('textbox', { name: text.admin.fields.minLength }).fill('9');
  await add.getByRole('textbox', { name: text.admin.fields.maxLength }).fill('8');
  // A minimum above its maximum is said at once, and nothing is sent.
  await add.getByText(text.admin.fields.ruleProblems.minAboveMax).waitFor();
  expect(await add.getByRole('button', { name: text.admin.fields.submit }).isDisabled()).toBe(true);
  await add.getByRole('textbox', { name: text.admin.fields.minLength }).fill('');
  await add.getByRole('textbox', { name: text.admin.fields.retentionDays }).fill('365');
  await add.getByRole('button', { name: text.admin.fields.submit }).click();
  await add.waitFor({ state: 'hidden' });

  const row = page.locator('[data-testid="field-class"][data-sensitivity="internal"] [data-testid="field-row"][data-key="memberNo"]');
  await row.waitFor();
  const badges = await row.getByTestId('field-rule-badges').innerText();
  for (const badge of [text.admin.fields.uniqueBadge, fill(text.admin.fields.bounds.characters.atMost, { max: '8' }), fill(text.admin.fields.keptDays_other, { count: '365' })]) {
    expect(badges).toContain(badge);
  }
  expect(await row.innerText()).toContain(text.admin.fields.lookups.exact);

  // The customer form enforces the rules: too long, then a value another customer holds.
  await submitCustomer(page, '王芳', 'M-00000001');
  const memberInput = page.getByRole('textbox', { name: MEMBER_NO, exact: true });
  await page.getByText(text.customers.fieldErrors.too_long).waitFor();
  expect(await memberInput.getAttribute('aria-invalid')).toBe('true');
  await memberInput.fill('M-0001');
  await page.getByRole('button', { name: text.customers.form.submit }).click();
  await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);

  await submitCustomer(page, '李雷', 'M-0001');
  await expect.poll(() => memberInput.getAttribute('aria-invalid')).toBe('true');
  expect(page.url()).toMatch(/\/customers\/new$/);
  const customers = (await (await page.request.get(`${e2e.server.url}/api/customers?limit=10`)).json()) as { items: Record<string, unknown>[] };
  expect(customers.items.map((customer) => customer.memberNo)).toEqual(['M-0001']);

  // Raise the class: the values are encrypted under each customer's key; a reason is required.
  await page.getByRole('link', { name: text.nav.adminFields, exact: true }).click();
  await row.getByRole('button', { name: fill(text.admin.fields.editLabel, { label: MEMBER_NO }) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: fill(text.admin.fields.reclassify.openLabel, { label: MEMBER_NO }) }).click();
  const form = dialog.getByTestId('reclassify-form');
  expect(await form.getByRole('radio', { name: fill(text.admin.fields.reclassify.currentOption, { sensitivity: text.customers.sensitivity.internal }) }).isDisabled()).toBe(true);
  await form.getByRole('radio', { name: text.customers.sensitivity.personal, exact: true }).check();
  expect(await form.getByTestId('reclassify-effects').innerText()).toContain(text.admin.fields.reclassify.effects.encrypt);
  await form.getByRole('button', { name: text.admin.fields.reclassify.submit }).click();
  await form.getByText(text.admin.fields.reclassify.reasonTooShort).waitFor();
  await form.getByLabel(text.admin.fields.reclassify.reason, { exact: true }).fill('Member numbers identify people');
  await form.getByRole('button', { name: text.admin.fields.reclassify.submit }).click();
  const raised = fill(text.admin.fields.reclassify.done_one, { label: MEMBER_NO, sensitivity: text.customers.sensitivity.personal, count: '1' });
  await page.getByRole('status').getByText(raised).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  const personalRow = page.locator('[data-testid="field-class"][data-sensitivity="personal"] [data-testid="field-row"][data-key="memberNo"]');
  await personalRow.waitFor();

  // Lower it again: decrypted into plain storage, which asks for a confirmation.
  await personalRow.getByRole('button', { name: fill(text.admin.fields.editLabel, { label: MEMBER_NO }) }).click();
  await dialog.getByRole('button', { name: fill(text.admin.fields.reclassify.openLabel, { label: MEMBER_NO }) }).click();
  await form.getByRole('radio', { name: text.customers.sensitivity.internal, exact: true }).check();
  expect(await form.getByTestId('reclassify-effects').innerText()).toContain(text.admin.fields.reclassify.effects.decrypt);
  await form.getByLabel(text.admin.fields.reclassify.reason, { exact: true }).fill('Member numbers are printed on public cards');
  await form.getByRole('button', { name: text.admin.fields.reclassify.submit }).click();
  await form.getByTestId('reclassify-confirm').getByText(text.admin.fields.reclassify.confirmDecrypt).waitFor();
  await form.getByRole('button', { name: text.admin.fields.reclassify.confirm }).click();
  await page.getByRole('status').getByText(fill(text.admin.fields.reclassify.done_one, { label: MEMBER_NO, sensitivity: text.customers.sensitivity.internal, count: '1' })).waitFor();
  await row.waitFor();
  const fields = (await (await page.request.get(`${e2e.server.url}/api/customers/fields`)).json()) as { items: { key: string; sensitivity: string; unique?: boolean }[] };
  expect(fields.items.find((field) => field.key === 'memberNo')).toMatchObject({ sensitivity: 'internal', unique: true });
}
