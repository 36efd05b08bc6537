import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { startLocalSmtp } from '../../../test/local-smtp.js';
import { createMailer } from './mailer.js';

let smtp: Awaited<ReturnType<typeof startLocalSmtp>> | null = null;
afterEach(async () => {
  await smtp?.close();
  smtp = null;
});

describe('mailer', () => {
  it('sends a plain-text message through the SMTP server, in UTF-8', async () => {
    smtp = await startLocalSmtp();
    const mailer = createMailer({ url: smtp.url, from: 'Custos <custos@crm.example.com>' });
    expect(mailer.enabled).toBe(true);
    await mailer.send({ to: 'ada@example.com', subject: '[Custos] 警报 / Alert', text: '第一行\nSecond line' });
    expect(smtp.received).toEqual([{ from: 'custos@crm.example.com', to: ['ada@example.com'], subject: '[Custos] 警报 / Alert', text: '第一行\nSecond line' }]);
  });

  it('rejects when the server refuses the recipient', async () => {
    smtp = await startLocalSmtp({ refuse: true });
    const mailer = createMailer({ url: smtp.url, from: 'custos@example.com' });
    await expect(mailer.send({ to: 'ada@example.com', subject: 'x', text: 'y' })).rejects.toThrow();
  });

  it('is off without an SMTP server, and sends nothing', async () => {
    const mailer = createMailer({ url: null, from: 'custos@example.com' });
    expect(mailer.enabled).toBe(false);
    await expect(mailer.send({ to: 'ada@example.com', subject: 'x', text: 'y' })).resolves.toBeUndefined();
  });

  it('reads CUSTOS_SMTP_URL and CUSTOS_MAIL_FROM, with a From at the public address by default', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: null, mailFrom: 'Custos <custos@127.0.0.1>' });
    expect(loadConfig({ CUSTOS_SMTP_URL: 'smtp://127.0.0.1:2525', CUSTOS_PUBLIC_URL: 'https://crm.example.com' })).toMatchObject({
      smtpUrl: 'smtp://127.0.0.1:2525',
      mailFrom: 'Custos <custos@crm.example.com>',
    });
    expect(loadConfig({ CUSTOS_SMTP_URL: 'smtps://u:p@mail.example.com:465', CUSTOS_MAIL_FROM: 'CRM <crm@example.com>' }).mailFrom).toBe('CRM <crm@example.com>');
    expect(() => loadConfig({ CUSTOS_SMTP_URL: 'http://mail.example.com' })).toThrow(ConfigError);
  });
});
