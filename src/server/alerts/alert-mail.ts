import type { AlertAction, AlertRule, AlertSeverity } from '../../shared/alert-rules.js';
import type { MailMessage } from '../mail/mailer.js';
import type { ActionResult } from './responses.js';

/** What an alert's mail says: the rule, whose activity, how much, when, and what was done. No customer value, ever. */
export interface AlertMailFacts {
  alertId: string;
  workspaceName: string;
  rule: AlertRule;
  severity: AlertSeverity;
  /** The user the events were counted for; null when the account does not exist. */
  actor: { name: string; email: string } | null;
  count: number;
  threshold: number | null;
  windowStart: number;
  windowEnd: number;
  windowMinutes: number;
  lookbackDays: number | null;
  action: AlertAction;
  actionResult: ActionResult | 'none';
  /** The workspace's own time zone (the off-hours rule's), for the times in the text. */
  timeZone: string;
  publicUrl: string;
}

type Locale = 'en' | 'zh-CN';

interface Wording {
  rules: Record<AlertRule, string>;
  severities: Record<AlertSeverity, string>;
  subject(rule: string, who: string): string;
  intro(workspace: string): string;
  labels: { rule: string; severity: string; who: string; what: string; when: string; response: string; open: string };
  unknownAccount: string;
  what(facts: AlertMailFacts): string;
  response(facts: AlertMailFacts): string;
  dateLocale: string;
}

const EN: Wording = {
  rules: {
    bulk_viewing: 'Bulk viewing of customers',
    mass_export: 'Mass export',
    many_reveals: 'Many sensitive values revealed',
    off_hours: 'Activity outside working hours',
    new_ip: 'Activity from a new IP address',
    token_new_ip: 'API token used from a new IP address',
    repeated_denials: 'Repeated denied attempts',
  },
  severities: { low: 'low', medium: 'medium', high: 'high' },
  subject: (rule, who) => `[Custos] Alert: ${rule} — ${who}`,
  intro: (workspace) => `Custos raised an alert in the workspace "${workspace}".`,
  labels: { rule: 'Rule', severity: 'Severity', who: 'Who', what: 'What', when: 'When', response: 'Response', open: 'Open the alert' },
  unknownAccount: 'an account that does not exist',
  what(facts) {
    const within = `within ${facts.windowMinutes} minutes`;
    switch (facts.rule) {
      case 'bulk_viewing':
        return `${facts.count} distinct customers seen ${within} (the rule alerts above ${facts.threshold})`;
      case 'mass_export':
        return `${facts.count} rows exported ${within} (the rule alerts above ${facts.threshold})`;
      case 'many_reveals':
        return `${facts.count} reveals of sensitive values ${within} (the rule alerts above ${facts.threshold})`;
      case 'repeated_denials':
        return `${facts.count} denied attempts ${within} (the rule alerts at ${facts.threshold})`;
      case 'off_hours':
        return 'Activity outside the workspace’s working hours';
      case 'new_ip':
        return `Signed-in activity from an IP address not seen for this user in the last ${facts.lookbackDays} days`;
      case 'token_new_ip':
        return `An API token of this user used from an IP address not seen for it in the last ${facts.lookbackDays} days`;
    }
  },
  response(facts) {
    switch (facts.actionResult) {
      case 'none':
        return 'None is configured for this rule.';
      case 'sessions_ended':
        return facts.action === 'require_mfa'
          ? 'All of their sessions were ended: they must sign in again with their password and second factor.'
          : 'All of their sessions were ended.';
      case 'suspended':
        return 'Their account was deactivated, with all of its sessions and API tokens.';
      case 'token_revoked':
        return 'The API token was revoked.';
      case 'skipped_last_owner':
        return 'Nothing was done: they are the workspace’s last active owner.';
      case 'already_suspended':
        return 'Their account was already deactivated.';
      case 'already_revoked':
        return 'The API token was already revoked.';
      case 'no_user':
        return 'Nothing was done: the account does not exist.';
    }
  },
  dateLocale: 'en-GB',
};

const ZH: Wording = {
  rules: {
    bulk_viewing: '批量查看客户',
    mass_export: '大量导出',
    many_reveals: '频繁显示敏感信息',
    off_hours: '非工作时间访问',
    new_ip: '来自新 IP 地址的访问',
    token_new_ip: 'API 令牌从新 IP 地址使用',
    repeated_denials: '多次被拒绝的尝试',
  },
  severities: { low: '低', medium: '中', high: '高' },
  subject: (rule, who) => `[Custos] 警报：${rule} — ${who}`,
  intro: (workspace) => `Custos 在工作区“${workspace}”中发出了一条警报。`,
  labels: { rule: '规则', severity: '严重程度', who: '人员', what: '情况', when: '时间', response: '自动响应', open: '查看警报' },
  unknownAccount: '一个不存在的账号',
  what(facts) {
    const within = `${facts.windowMinutes} 分钟内`;
    switch (facts.rule) {
      case 'bulk_viewing':
        return `${within}查看了 ${facts.count} 位不同的客户（规则在超过 ${facts.threshold} 时报警）`;
      case 'mass_export':
        return `${within}导出了 ${facts.count} 行（规则在超过 ${facts.threshold} 时报警）`;
      case 'many_reveals':
        return `${within}显示了 ${facts.count} 次敏感信息（规则在超过 ${facts.threshold} 时报警）`;
      case 'repeated_denials':
        return `${within}有 ${facts.count} 次尝试被拒绝（规则在达到 ${facts.threshold} 时报警）`;
      case 'off_hours':
        return '在工作区规定的工作时间之外进行了操作';
      case 'new_ip':
        return `该用户从最近 ${facts.lookbackDays} 天内未出现过的 IP 地址进行了操作`;
      case 'token_new_ip':
        return `该用户的 API 令牌从最近 ${facts.lookbackDays} 天内未出现过的 IP 地址被使用`;
    }
  },
  response(facts) {
    switch (facts.actionResult) {
      case 'none':
        return '此规则未配置自动响应。';
      case 'sessions_ended':
        return facts.action === 'require_mfa' ? '已结束其所有会话：需重新使用密码和第二因素登录。' : '已结束其所有会话。';
      case 'suspended':
        return '已停用其账号，并结束所有会话、吊销所有 API 令牌。';
      case 'token_revoked':
        return '已吊销该 API 令牌。';
      case 'skipped_last_owner':
        return '未采取任何操作：其为工作区最后一位在职所有者。';
      case 'already_suspended':
        return '其账号此前已被停用。';
      case 'already_revoked':
        return '该 API 令牌此前已被吊销。';
      case 'no_user':
        return '未采取任何操作：该账号不存在。';
    }
  },
  dateLocale: 'zh-CN',
};

const WORDING: Record<Locale, Wording> = { en: EN, 'zh-CN': ZH };

function formatWindow(facts: AlertMailFacts, wording: Wording): string {
  const format = new Intl.DateTimeFormat(wording.dateLocale, { dateStyle: 'medium', timeStyle: 'short', timeZone: facts.timeZone });
  const start = format.format(new Date(facts.windowStart));
  const end = format.format(new Date(facts.windowEnd));
  return `${start === end ? start : `${start} – ${end}`} (${facts.timeZone})`;
}

function who(facts: AlertMailFacts, wording: Wording): string {
  return facts.actor ? `${facts.actor.name} <${facts.actor.email}>` : wording.unknownAccount;
}

function body(facts: AlertMailFacts, wording: Wording): string {
  const { labels } = wording;
  return [
    wording.intro(facts.workspaceName),
    '',
    `${labels.rule}: ${wording.rules[facts.rule]}`,
    `${labels.severity}: ${wording.severities[facts.severity]}`,
    `${labels.who}: ${who(facts, wording)}`,
    `${labels.what}: ${wording.what(facts)}`,
    `${labels.when}: ${formatWindow(facts, wording)}`,
    `${labels.response}: ${wording.response(facts)}`,
    '',
    `${labels.open}: ${facts.publicUrl}/alerts/${facts.alertId}`,
  ].join('\n');
}

/**
 * The mail for one recipient: in their language when their account has one, else in Chinese
 * and English both. It names the rule and the colleague concerned, never a customer.
 */
export function alertMail(facts: AlertMailFacts, to: string, locale: string | null): MailMessage {
  if (locale === 'en' || locale === 'zh-CN') {
    const wording = WORDING[locale];
    return { to, subject: wording.subject(wording.rules[facts.rule], facts.actor?.name ?? wording.unknownAccount), text: body(facts, wording) };
  }
  const subject = `${ZH.subject(ZH.rules[facts.rule], facts.actor?.name ?? ZH.unknownAccount)} / ${EN.rules[facts.rule]}`;
  return { to, subject, text: `${body(facts, ZH)}\n\n————————————————\n\n${body(facts, EN)}` };
}
