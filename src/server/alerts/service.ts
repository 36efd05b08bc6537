import type { Kysely } from 'kysely';
import { ALERT_RULES, type AlertRule } from '../../shared/alert-rules.js';
import { systemActor, type Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AccessService } from '../access/service.js';
import type { AuditService } from '../audit/service.js';
import { hasCapability } from '../auth/context.js';
import type { AuthService } from '../auth/service.js';
import { fromDbBool, fromDbJson, toDbBool, toDbJson, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { Mailer } from '../mail/mailer.js';
import type { NotificationService } from '../notifications/service.js';
import { alertMail } from './alert-mail.js';
import { createRuleEvaluator, type Finding } from './detector.js';
import { presentAlert, presentRule } from './presenter.js';
import { DETECTOR, respond, type ActionResult } from './responses.js';
import { applyChange, DEFAULT_WORKING_HOURS, RULE_DEFINITIONS, settingsOf, type RuleChange, type RuleSettings, type StoredRule } from './rules.js';
import {
  claimCursor,
  eventsAfter,
  findAlert,
  insertAlert,
  listAlerts,
  ruleRows,
  setAlertOutcome,
  setAlertStatus,
  upsertRule,
  usersByIds,
  workspaceName,
  workspacesBehind,
  type TrailEvent,
} from './store.js';

/** Events judged together at most, and the stretch of time they may span (a sliding window is judged at the end of each batch). */
const BATCH_EVENTS = 1_000;
const BATCH_SPAN_MS = 60_000;
/** Batches one run reads per workspace: a workspace far behind does not hold up the others for long. */
const BATCHES_PER_RUN = 100;
export const ALERTS_PAGE_LIMIT = 200;

type UserActor = Extract<Actor, { kind: 'user' }>;

interface Raised {
  id: string;
  finding: Finding;
  settings: RuleSettings;
  result: ActionResult | 'none';
}

interface Recipient {
  id: string;
  email: string;
  display_name: string;
  locale: string | null;
}

/**
 * Detection rules over the audit trail (issue #5). `runOnce` reads each workspace's chain from
 * where it stopped, judges the new events against the workspace's rules, and for each finding,
 * in one transaction with moving its cursor: stores the alert, records it, takes the rule's
 * response and tells everyone who may read the audit trail or change settings; then mails them.
 * The rest is the inbox (list, acknowledge, resolve) and the rules' settings.
 */
export function createAlertService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  access: Pick<AccessService, 'usersWithCapability'>;
  notifications: Pick<NotificationService, 'notify'>;
  auth: Pick<AuthService, 'cutOffUser'>;
  mailer: Mailer;
  /** The address links in the mail point to. */
  publicUrl: string;
}) {
  const { db, clock, audit, mailer } = deps;
  const evaluator = createRuleEvaluator(db);

  async function settingsFor(workspaceId: string): Promise<RuleSettings[]> {
    const stored = new Map((await ruleRows(db, workspaceId)).map((row) => [row.rule, row]));
    return ALERT_RULES.map((key) => {
      const row = stored.get(key);
      return settingsOf(key, row && ({ enabled: fromDbBool(row.enabled), action: row.action, params: fromDbJson<StoredRule['params']>(row.params) ?? {} } satisfies StoredRule));
    });
  }

  /** Who is told: everyone active who may read the audit trail or change the workspace's settings. */
  async function recipientsOf(workspaceId: string): Promise<Recipient[]> {
    const ids = new Set([...(await deps.access.usersWithCapability(db, workspaceId, 'readAudit')), ...(await deps.access.usersWithCapability(db, workspaceId, 'manageSettings'))]);
    return usersByIds(db, workspaceId, [...ids]);
  }

  /** Judges one batch and answers for what it found; null when another detector claimed these events first. */
  async function judge(workspaceId: string, from: number, batch: readonly TrailEvent[]): Promise<{ raised: Raised[]; audience: Recipient[] } | null> {
    const upTo = Number(batch.at(-1)!.seq);
    const rules = await settingsFor(workspaceId);
    const findings = await evaluator.evaluate(workspaceId, rules, batch, upTo);
    const recipients = findings.length > 0 ? await recipientsOf(workspaceId) : [];
    const people = new Map((await usersByIds(db, workspaceId, [...new Set(findings.flatMap((f) => (f.actorId ? [f.actorId] : [])))])).map((user) => [user.id, user]));
    const now = toDbTime(clock.now());
    const system = systemActor(workspaceId, DETECTOR);

    return db.transaction().execute(async (trx) => {
      if (!(await claimCursor(trx, workspaceId, from, upTo, now))) return null;
      const raised: Raised[] = [];
      const suspended = new Set<string>();
      for (const finding of findings) {
        const settings = rules.find((rule) => rule.key === finding.rule)!;
        const id = newId(now);
        await insertAlert(trx, {
          workspace_id: workspaceId,
          id,
          rule: finding.rule,
          severity: RULE_DEFINITIONS[finding.rule].severity,
          subject: finding.subject,
          actor_type: finding.actorType,
          actor_id: finding.actorId,
          token_id: finding.tokenId,
          ip: finding.ip,
          window_start: finding.windowStart,
          window_end: finding.windowEnd,
          count: finding.count,
          threshold: finding.threshold,
          details: toDbJson(finding.details),
          first_seq: finding.firstSeq,
          last_seq: finding.lastSeq,
          status: 'open',
          raised_at: now,
          acknowledged_at: null,
          acknowledged_by: null,
          resolved_at: null,
          resolved_by: null,
          action: settings.action,
          action_result: 'none',
          mail: mailer.enabled ? 'pending' : 'off',
        });
        await audit.record(
          system,
          {
            action: 'alert.raised',
            outcome: 'success',
            metadata: {
              rule: finding.rule,
              severity: RULE_DEFINITIONS[finding.rule].severity,
              userId: finding.actorId,
              tokenId: finding.tokenId,
              count: finding.count,
              threshold: finding.threshold,
              firstSeq: finding.firstSeq,
              lastSeq: finding.lastSeq,
            },
            object: { type: 'alert', id },
          },
          trx,
        );
        let result: Raised['result'] = 'none';
        if (settings.action !== 'none') {
          const outcome = await respond(trx, { audit, auth: deps.auth, now }, workspaceId, id, finding, settings.action);
          result = outcome.result;
          if (outcome.suspendedUserId) suspended.add(outcome.suspendedUserId);
          await setAlertOutcome(trx, workspaceId, id, { action_result: result });
        }
        raised.push({ id, finding, settings, result });
      }
      // A user the responses just deactivated is not told: they can no longer act on it.
      const audience = recipients.filter((recipient) => !suspended.has(recipient.id));
      for (const { id, finding } of raised) {
        const person = finding.actorId ? people.get(finding.actorId) : undefined;
        await deps.notifications.notify(trx, workspaceId, audience.map((recipient) => recipient.id), 'alert.raised', {
          alertId: id,
          rule: finding.rule,
          severity: RULE_DEFINITIONS[finding.rule].severity,
          userId: finding.actorId,
          displayName: person?.display_name ?? null,
        });
        if (mailer.enabled && audience.length === 0) await setAlertOutcome(trx, workspaceId, id, { mail: 'none' });
      }
      return { raised, audience };
    });
  }

  /** Mails each alert to each recipient (one message each, in their language), notes on it whether all went out; returns how many did not. */
  async function mail(workspaceId: string, raised: readonly Raised[], audience: readonly Recipient[]): Promise<number> {
    if (!mailer.enabled || audience.length === 0 || raised.length === 0) return 0;
    let failed = 0;
    const name = await workspaceName(db, workspaceId);
    const rules = await settingsFor(workspaceId);
    const timeZone = rules.find((rule) => rule.key === 'off_hours')?.workingHours?.timeZone ?? DEFAULT_WORKING_HOURS.timeZone;
    const people = new Map((await usersByIds(db, workspaceId, [...new Set(raised.flatMap(({ finding }) => (finding.actorId ? [finding.actorId] : [])))])).map((user) => [user.id, user]));
    for (const { id, finding, settings, result } of raised) {
      const person = finding.actorId ? people.get(finding.actorId) : undefined;
      const facts = {
        alertId: id,
        workspaceName: name,
        rule: finding.rule,
        severity: RULE_DEFINITIONS[finding.rule].severity,
        actor: person ? { name: person.display_name, email: person.email } : null,
        count: finding.count,
        threshold: finding.threshold,
        windowStart: finding.windowStart,
        windowEnd: finding.windowEnd,
        windowMinutes: settings.windowMinutes,
        lookbackDays: settings.lookbackDays,
        action: settings.action,
        actionResult: result,
        timeZone,
        publicUrl: deps.publicUrl,
      };
      const sent = await Promise.allSettled(audience.map((recipient) => mailer.send(alertMail(facts, recipient.email, recipient.locale))));
      const refused = sent.filter((each) => each.status === 'rejected').length;
      failed += refused;
      await setAlertOutcome(db, workspaceId, id, { mail: refused === 0 ? 'sent' : 'failed' });
    }
    return failed;
  }

  /** Reads a workspace's chain on from `cursor`, batch by batch; returns how many alerts it raised and how many messages failed. */
  async function catchUp(workspaceId: string, cursor: number): Promise<{ raised: number; mailFailed: number }> {
    let raised = 0;
    let mailFailed = 0;
    let from = cursor;
    for (let run = 0; run < BATCHES_PER_RUN; run++) {
      const read = await eventsAfter(db, workspaceId, from, BATCH_EVENTS);
      if (read.length === 0) break;
      const spanEnd = Number(read[0]!.at) + BATCH_SPAN_MS;
      const cut = read.findIndex((event) => Number(event.at) > spanEnd);
      const batch = cut === -1 ? read : read.slice(0, cut);
      const judged = await judge(workspaceId, from, batch);
      if (!judged) break;
      mailFailed += await mail(workspaceId, judged.raised, judged.audience);
      raised += judged.raised.length;
      from = Number(batch.at(-1)!.seq);
      // SQLite answers synchronously: without a turn of the event loop between batches, a
      // backlog would keep every request waiting until the whole run is done.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { raised, mailFailed };
  }

  function requireReader(actor: Actor): void {
    if (!hasCapability(actor, 'readAudit') && !hasCapability(actor, 'manageSettings')) throw forbidden('forbidden', 'Only those who may read the audit trail or change settings see alerts.');
  }

  function requireSettings(actor: Actor): void {
    if (!hasCapability(actor, 'manageSettings')) throw forbidden('forbidden', 'Your role does not allow changing detection rules.');
  }

  async function loadAlert(workspaceId: string, id: string) {
    const row = await findAlert(db, workspaceId, id);
    if (!row) throw notFound('alert_not_found', 'No such alert.');
    return row;
  }

  async function rulesView(workspaceId: string) {
    return { rules: (await settingsFor(workspaceId)).map(presentRule), mail: { enabled: mailer.enabled } };
  }

  return {
    /** One pass of the detector over every workspace with unread events: how many alerts it raised, and how many of their messages the SMTP server did not take. */
    async runOnce(): Promise<{ raised: number; mailFailed: number }> {
      const total = { raised: 0, mailFailed: 0 };
      for (const { workspaceId, cursor } of await workspacesBehind(db)) {
        const done = await catchUp(workspaceId, cursor);
        total.raised += done.raised;
        total.mailFailed += done.mailFailed;
      }
      return total;
    },

    async list(actor: Actor, options: { status: 'open' | 'all'; cursor?: string; limit: number }) {
      requireReader(actor);
      const rows = await listAlerts(db, actor.workspaceId, { unresolved: options.status === 'open', before: options.cursor ?? null, limit: options.limit + 1 });
      const page = rows.slice(0, options.limit);
      return { items: page.map(presentAlert), nextCursor: rows.length > options.limit ? page.at(-1)!.id : null, mail: { enabled: mailer.enabled } };
    },

    async get(actor: Actor, id: string) {
      requireReader(actor);
      return presentAlert(await loadAlert(actor.workspaceId, id));
    },

    /** Someone is looking into it: open → acknowledged. */
    async acknowledge(actor: UserActor, id: string) {
      requireReader(actor);
      const alert = await loadAlert(actor.workspaceId, id);
      const now = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        const moved = await setAlertStatus(trx, actor.workspaceId, id, ['open'], { status: 'acknowledged', acknowledged_at: now, acknowledged_by: actor.userId });
        if (!moved) throw conflict('alert_not_open', 'This alert was already acknowledged or resolved.');
        await audit.record(actor, { action: 'alert.acknowledged', outcome: 'success', metadata: { rule: alert.rule }, object: { type: 'alert', id } }, trx);
      });
      return presentAlert(await loadAlert(actor.workspaceId, id));
    },

    /** Dealt with: open or acknowledged → resolved. */
    async resolve(actor: UserActor, id: string) {
      requireReader(actor);
      const alert = await loadAlert(actor.workspaceId, id);
      const now = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        const moved = await setAlertStatus(trx, actor.workspaceId, id, ['open', 'acknowledged'], { status: 'resolved', resolved_at: now, resolved_by: actor.userId });
        if (!moved) throw conflict('alert_resolved', 'This alert is already resolved.');
        await audit.record(actor, { action: 'alert.resolved', outcome: 'success', metadata: { rule: alert.rule }, object: { type: 'alert', id } }, trx);
      });
      return presentAlert(await loadAlert(actor.workspaceId, id));
    },

    async rules(actor: Actor) {
      requireSettings(actor);
      return rulesView(actor.workspaceId);
    },

    /** Changes some rules' settings; what is not named stays as it is. */
    async updateRules(actor: UserActor, changes: readonly RuleChange[]) {
      requireSettings(actor);
      const seen = new Set<AlertRule>();
      changes.forEach((change, index) => {
        if (seen.has(change.key)) throw badRequest('duplicate_rule', `The rule ${change.key} is named twice.`, `rules.${index}.key`);
        seen.add(change.key);
      });
      const current = await settingsFor(actor.workspaceId);
      const updates = changes.map((change, index) => applyChange(current.find((rule) => rule.key === change.key)!, change, `rules.${index}`)).filter((update) => update.changed.length > 0);
      if (updates.length > 0) {
        const now = toDbTime(clock.now());
        await db.transaction().execute(async (trx) => {
          for (const { next } of updates) {
            const { threshold, windowMinutes, lookbackDays, workingHours } = next;
            await upsertRule(trx, {
              workspace_id: actor.workspaceId,
              rule: next.key,
              enabled: toDbBool(next.enabled),
              action: next.action,
              params: toDbJson({ threshold, windowMinutes, lookbackDays, workingHours }),
              updated_at: now,
              updated_by: actor.userId,
            });
          }
          await audit.record(actor, { action: 'alert.rules_changed', outcome: 'success', metadata: { changes: updates.flatMap((update) => update.changed) } }, trx);
        });
      }
      return rulesView(actor.workspaceId);
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
