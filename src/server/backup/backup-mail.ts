import type { MailMessage } from '../mail/mailer.js';

/** What a backup alert's mail says: why, which run, its error code; never a path or a value. */
export interface BackupMailFacts {
  reason: 'failed' | 'overdue';
  runId: string | null;
  errorCode: string | null;
  /** The last successful backup's time (ISO), if there was one. */
  lastSuccess: string | null;
  publicUrl: string;
}

/** The mail to one recipient, in their language (English unless zh-CN). */
export function backupMail(facts: BackupMailFacts, to: string, locale: string | null): MailMessage {
  const link = `${facts.publicUrl}/admin/backups`;
  if (locale === 'zh-CN') {
    const what = facts.reason === 'failed' ? `备份失败（错误代码：${facts.errorCode ?? '未知'}）。` : '已超过 26 小时没有成功的备份。';
    return {
      to,
      subject: facts.reason === 'failed' ? 'Custos：备份失败' : 'Custos：备份已逾期',
      text: `${what}\n上次成功的备份：${facts.lastSuccess ?? '无'}\n查看备份：${link}\n`,
    };
  }
  const what = facts.reason === 'failed' ? `A backup failed (error code: ${facts.errorCode ?? 'unknown'}).` : 'No backup has succeeded for more than 26 hours.';
  return {
    to,
    subject: facts.reason === 'failed' ? 'Custos: a backup failed' : 'Custos: backups are overdue',
    text: `${what}\nLast successful backup: ${facts.lastSuccess ?? 'none'}\nOpen backups: ${link}\n`,
  };
}
