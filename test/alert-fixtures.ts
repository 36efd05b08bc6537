import { systemActor, type Actor } from '../src/server/actor.js';
import type { AuditAction, AuditEventMetadata } from '../src/server/audit/events.js';
import { call, createTestApp, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from './factories.js';

/** Monday 30 November 2026, 10:00 in Shanghai: inside the default working hours, so the off-hours rule stays quiet. */
export const MONDAY_MORNING = new Date('2026-11-30T02:00:00.000Z');
export const MINUTE = 60_000;

/** An app whose clock stands on a working morning, with a workspace and its owner signed in. */
export async function alertsApp(options: { env?: Record<string, string> } = {}) {
  const t = await createTestApp(options);
  t.clock.set(MONDAY_MORNING);
  const { owner, workspaceId, admin } = await workspaceWithAdmin(t);
  return { t, workspaceId, owner: admin, ownerId: owner.user.id, ownerEmail: owner.email };
}

export interface Member {
  userId: string;
  email: string;
  session: Session;
  /** The member as a request of theirs would be: for recording events in bulk. */
  actor: Extract<Actor, { kind: 'user' }>;
}

/** A colleague with `role`, signed in from `ip`. */
export async function addMember(t: TestApp, workspaceId: string, role = 'sales_rep', ip = '127.0.0.1'): Promise<Member> {
  const email = uniqueEmail(role);
  const user = await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: `${role} colleague`, password: STRONG_PASSWORD, role });
  const session = await signIn(t, email, STRONG_PASSWORD, { ip });
  const access = await t.services.access.resolve(workspaceId, user.id, role, null);
  const actor = { kind: 'user', workspaceId, userId: user.id, role, access, breakGlassId: null, sessionId: null, tokenId: null, reauthAt: null, ip, userAgent: 'test' } as const;
  return { userId: user.id, email, session, actor };
}

/** Records an event as `actor` did it (the way the gateway records reads, without making the customers). */
export function record<A extends AuditAction>(t: TestApp, actor: Actor, action: A, metadata: AuditEventMetadata[A], object?: { type: string; id: string }) {
  return t.services.audit.record(actor, { action, outcome: 'success', metadata, ...(object ? { object } : {}) });
}

/** `n` made-up customer ids, distinct per `prefix`. */
export const customerIds = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);

/** A list page that showed these customers. */
export const listed = (t: TestApp, actor: Actor, ids: string[]) => record(t, actor, 'customer.listed', { customerIds: ids });

export async function alertRows(t: TestApp, workspaceId: string) {
  return t.db.selectFrom('alerts').selectAll().where('workspace_id', '=', workspaceId).orderBy('raised_at').orderBy('first_seq').execute();
}

/** The metadata of a workspace's events of one kind, oldest first. */
export async function eventsOf(t: TestApp, workspaceId: string, action: AuditAction) {
  const rows = await t.db.selectFrom('audit_events').select(['metadata', 'actor_type', 'actor_id', 'object_id', 'outcome']).where('workspace_id', '=', workspaceId).where('action', '=', action).orderBy('seq').execute();
  return rows.map((row) => ({ ...row, metadata: JSON.parse(row.metadata) as Record<string, unknown> }));
}

/** Changes detection rules as the owner, failing the test if refused. */
export async function setRules(t: TestApp, owner: Session, rules: Record<string, unknown>[]) {
  const response = await call(t, 'PUT', '/api/admin/alert-rules', { session: owner, body: { rules } });
  if (response.statusCode !== 200) throw new Error(`changing rules failed: ${response.statusCode} ${response.body}`);
  return response.json();
}
