import { afterEach, describe, expect, it } from 'vitest';
import { call, type TestApp } from '../../../test/factories.js';
import { addMember, alertRows, alertsApp, customerIds, listed, setRules } from '../../../test/alert-fixtures.js';
import { startLocalSmtp } from '../../../test/local-smtp.js';

/** Alerts mailed through a real SMTP server listening on a local port. */
let t: TestApp | null = null;
let smtp: Awaited<ReturnType<typeof startLocalSmtp>> | null = null;
afterEach(async () => {
  await t?.close();
  await smtp?.close();
  t = null;
  smtp = null;
});

async function appMailingTo(url: string | null) {
  const env: Record<string, string> = url ? { CUSTOS_SMTP_URL: url, CUSTOS_MAIL_FROM: 'Custos Alerts <alerts@crm.example.com>', CUSTOS_PUBLIC_URL: 'https://crm.example.com' } : {};
  const made = await alertsApp({ env });
  t = made.t;
  return made;
}

describe('alert mail', () => {
  it('mails everyone who reads the audit trail or changes settings, in their language or in both, naming no customer', async () => {
    smtp = await startLocalSmtp();
    const { t, workspaceId, owner, ownerEmail } = await appMailingTo(smtp.url);
    const auditor = await addMember(t, workspaceId, 'auditor');
    await call(t, 'PATCH', '/api/account', { session: auditor.session, body: { locale: 'en' } });
    const admin = await addMember(t, workspaceId, 'admin');
    await call(t, 'PATCH', '/api/account', { session: admin.session, body: { locale: 'zh-CN' } });
    const rep = await addMember(t, workspaceId, 'sales_rep');
    await setRules(t, owner, [{ key: 'bulk_viewing', action: 'none' }]);
    await listed(t, rep.actor, customerIds('customer-secret', 230));

    expect(await t.services.alerts.runOnce()).toEqual({ raised: 1, mailFailed: 0 });
    const [alert] = await alertRows(t, workspaceId);
    expect(alert!.mail).toBe('sent');
    const byRecipient = new Map(smtp.received.map((mail) => [mail.to.join(','), mail]));
    expect([...byRecipient.keys()].sort()).toEqual([ownerEmail, auditor.email, admin.email].sort());
    for (const mail of smtp.received) {
      expect(mail.from).toBe('alerts@crm.example.com');
      expect(mail.text).toContain(`https://crm.example.com/alerts/${alert!.id}`);
      expect(mail.text).not.toContain('customer-secret');
    }

    const english = byRecipient.get(auditor.email)!;
    expect(english.subject).toBe('[Custos] Alert: Bulk viewing of customers — sales_rep colleague');
    expect(english.text).toContain(`Who: sales_rep colleague <${rep.email}>`);
    expect(english.text).toContain('230 distinct customers seen within 10 minutes (the rule alerts above 200)');
    expect(english.text).toContain('Response: None is configured for this rule.');
    expect(english.text).not.toMatch(/[\u4e00-\u9fff]/);

    const chinese = byRecipient.get(admin.email)!;
    expect(chinese.subject).toBe('[Custos] 警报：批量查看客户 — sales_rep colleague');
    expect(chinese.text).toContain('10 分钟内查看了 230 位不同的客户');
    expect(chinese.text).not.toContain('Who:');

    // No language on the owner's account: both, Chinese first.
    const both = byRecipient.get(ownerEmail)!;
    expect(both.subject).toBe('[Custos] 警报：批量查看客户 — sales_rep colleague / Bulk viewing of customers');
    expect(both.text.indexOf('批量查看客户')).toBeLessThan(both.text.indexOf('Bulk viewing of customers'));
  });

  it('notes a refused mail on the alert, which is raised and shown all the same', async () => {
    smtp = await startLocalSmtp({ refuse: true });
    const { t, workspaceId, owner } = await appMailingTo(smtp.url);
    const rep = await addMember(t, workspaceId);
    await listed(t, rep.actor, customerIds('c', 201));
    expect(await t.services.alerts.runOnce()).toEqual({ raised: 1, mailFailed: 1 });
    const [alert] = await alertRows(t, workspaceId);
    expect(alert).toMatchObject({ rule: 'bulk_viewing', mail: 'failed' });
    expect((await call(t, 'GET', '/api/alerts', { session: owner })).json().items).toHaveLength(1);
  });

  it('skips mail when no SMTP server is configured, and says so', async () => {
    const { t, workspaceId, owner } = await appMailingTo(null);
    const rep = await addMember(t, workspaceId);
    await listed(t, rep.actor, customerIds('c', 201));
    await t.services.alerts.runOnce();
    expect((await alertRows(t, workspaceId))[0]!.mail).toBe('off');
    const list = (await call(t, 'GET', '/api/alerts', { session: owner })).json();
    expect(list.mail).toEqual({ enabled: false });
    expect(list.items[0].mail).toBe('off');
    expect((await call(t, 'GET', '/api/admin/alert-rules', { session: owner })).json().mail).toEqual({ enabled: false });
  });
});
