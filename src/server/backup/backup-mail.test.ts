import { describe, expect, it } from 'vitest';
import { backupMail } from './backup-mail.js';

describe('backupMail', () => {
  const facts = { reason: 'failed' as const, runId: 'r1', errorCode: 'ENOSPC', lastSuccess: '2026-11-28T02:00:05.000Z', publicUrl: 'https://crm.example.com' };

  it('names the error and links the page, in the recipient’s language', () => {
    const en = backupMail(facts, 'a@example.com', null);
    expect(en).toMatchObject({ to: 'a@example.com', subject: 'Custos: a backup failed' });
    expect(en.text).toContain('ENOSPC');
    expect(en.text).toContain('https://crm.example.com/admin/backups');
    const zh = backupMail({ ...facts, reason: 'overdue', errorCode: null }, 'b@example.com', 'zh-CN');
    expect(zh.subject).toBe('Custos：备份已逾期');
    expect(zh.text).toContain('2026-11-28T02:00:05.000Z');
  });
});
