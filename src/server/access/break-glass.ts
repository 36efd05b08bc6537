import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { isoFromDb, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { NotificationService } from '../notifications/service.js';
import type { AccessService } from './service.js';

export const BREAK_GLASS_MINUTES = { min: 5, max: 240, default: 60 } as const;
const MIN_REASON = 10;

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * Break-glass: an administrator grants themself, for a stated reason and a few hours at
 * most, the owner's access to customer data (revealing sensitive values included). The other
 * administrators are told at once; the grant ends on its own; every step is recorded, and
 * every access made under it carries the grant in its audit event.
 */
export function createBreakGlass({
  db,
  clock,
  audit,
  access,
  notifications,
}: {
  db: Kysely<DB>;
  clock: Clock;
  audit: Pick<AuditService, 'record'>;
  access: AccessService;
  notifications: Pick<NotificationService, 'notify'>;
}) {
  const present = (row: { id: string; reason: string; started_at: number; expires_at: number }) => ({
    id: row.id,
    reason: row.reason,
    startedAt: isoFromDb(row.started_at)!,
    expiresAt: isoFromDb(row.expires_at)!,
  });

  async function active(workspaceId: string, userId: string) {
    return db
      .selectFrom('break_glass_grants')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', toDbTime(clock.now()))
      .executeTakeFirst();
  }

  return {
    /** The user's grant in force, or null. */
    async current(workspaceId: string, userId: string) {
      const row = await active(workspaceId, userId);
      return row ? present(row) : null;
    },

    async start(actor: UserActor, input: { reason: string; minutes?: number }) {
      await access.requireCapability(actor, 'breakGlass');
      const reason = input.reason.trim();
      if (reason.length < MIN_REASON) throw badRequest('reason_required', `Say why, in at least ${MIN_REASON} characters: the other administrators will read it.`, 'reason');
      const minutes = input.minutes ?? BREAK_GLASS_MINUTES.default;
      if (!Number.isInteger(minutes) || minutes < BREAK_GLASS_MINUTES.min || minutes > BREAK_GLASS_MINUTES.max) {
        throw badRequest('invalid_duration', `Break-glass lasts ${BREAK_GLASS_MINUTES.min} to ${BREAK_GLASS_MINUTES.max} minutes.`, 'minutes');
      }
      if (await active(actor.workspaceId, actor.userId)) throw conflict('break_glass_active', 'Your break-glass access is already on.');
      const now = toDbTime(clock.now());
      const row = { workspace_id: actor.workspaceId, id: newId(now), user_id: actor.userId, reason, started_at: now, expires_at: now + minutes * 60_000, ended_at: null };
      const me = await db.selectFrom('users').select('display_name').where('workspace_id', '=', actor.workspaceId).where('id', '=', actor.userId).executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('break_glass_grants').values(row).execute();
        await audit.record(actor, { action: 'break_glass.started', outcome: 'success', metadata: { reason, minutes }, object: { type: 'break_glass', id: row.id } }, trx);
        const admins = await access.usersWithCapability(trx, actor.workspaceId, 'manageUsers');
        await notifications.notify(
          trx,
          actor.workspaceId,
          admins.filter((id) => id !== actor.userId),
          'break_glass.started',
          { userId: actor.userId, displayName: me.display_name, reason, expiresAt: isoFromDb(row.expires_at)! },
        );
      });
      return present(row);
    },

    /** Ends the user's grant before its time. */
    async end(actor: UserActor): Promise<void> {
      const row = await active(actor.workspaceId, actor.userId);
      if (!row) throw notFound('break_glass_not_active', 'Your break-glass access is not on.');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('break_glass_grants').set({ ended_at: toDbTime(clock.now()) }).where('workspace_id', '=', actor.workspaceId).where('id', '=', row.id).execute();
        await audit.record(actor, { action: 'break_glass.ended', outcome: 'success', metadata: { early: true }, object: { type: 'break_glass', id: row.id } }, trx);
      });
    },

    /** The job's part: grants past their time are closed and recorded as expired. Returns how many. */
    async closeExpired(): Promise<number> {
      const now = toDbTime(clock.now());
      const expired = await db.selectFrom('break_glass_grants').selectAll().where('ended_at', 'is', null).where('expires_at', '<=', now).limit(500).execute();
      for (const row of expired) {
        const system: Actor = { kind: 'system', workspaceId: row.workspace_id, name: 'break-glass', ip: null, userAgent: null };
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('break_glass_grants').set({ ended_at: row.expires_at }).where('workspace_id', '=', row.workspace_id).where('id', '=', row.id).execute();
          await audit.record(system, { action: 'break_glass.ended', outcome: 'success', metadata: { early: false }, object: { type: 'break_glass', id: row.id } }, trx);
        });
      }
      return expired.length;
    },
  };
}

export type BreakGlass = ReturnType<typeof createBreakGlass>;
