import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import { fromDbJson, isoFromDb, toDbJson, toDbTime } from '../db/mapping.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';

const LIST_LIMIT = 100;

/** What a notification says, by kind: ids, codes and times only. */
export interface NotificationPayloads {
  /** Another administrator took time-boxed elevated access. */
  'break_glass.started': { userId: string; displayName: string; reason: string; expiresAt: string };
  /** A detection rule raised an alert (alerts/): about whom, and how serious. */
  'alert.raised': { alertId: string; rule: string; severity: string; userId: string | null; displayName: string | null };
  /** A backup run failed, or none succeeded for longer than the schedule allows (backup/schedule.ts). */
  'backup.failed': { reason: 'failed' | 'overdue'; runId: string | null; errorCode: string | null };
}
export type NotificationKind = keyof NotificationPayloads;

/** In-app notifications: written by the services that have news for a user, read by that user only. */
export function createNotificationService({ db, clock }: { db: Kysely<DB>; clock: Clock }) {
  return {
    /** Notifies users, in the caller's transaction when there is one (the news and its cause commit together). */
    async notify<K extends NotificationKind>(executor: Kysely<DB>, workspaceId: string, userIds: readonly string[], kind: K, payload: NotificationPayloads[K]): Promise<void> {
      if (userIds.length === 0) return;
      const now = toDbTime(clock.now());
      await executor
        .insertInto('notifications')
        .values(userIds.map((userId) => ({ workspace_id: workspaceId, id: newId(now), user_id: userId, kind, payload: toDbJson(payload), created_at: now, read_at: null })))
        .execute();
    },

    async list(workspaceId: string, userId: string) {
      const rows = await db.selectFrom('notifications').selectAll().where('workspace_id', '=', workspaceId).where('user_id', '=', userId).orderBy('id', 'desc').limit(LIST_LIMIT).execute();
      return rows.map((row) => ({ id: row.id, kind: row.kind, payload: fromDbJson<Record<string, unknown>>(row.payload) ?? {}, createdAt: isoFromDb(row.created_at)!, readAt: isoFromDb(row.read_at) }));
    },

    async markRead(workspaceId: string, userId: string, id: string): Promise<void> {
      const result = await db
        .updateTable('notifications')
        .set({ read_at: toDbTime(clock.now()) })
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound('notification_not_found', 'No such notification.');
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
