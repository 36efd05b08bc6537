import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import type { RequestOrigin } from '../actor.js';
import { isoFromDb, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { authorizeAdmin, requireRecentReauth } from '../auth/context.js';
import { hashPassword } from '../auth/passwords.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import { assertStrongPassword, type AuthService } from '../auth/service.js';
import { normalizeEmail } from './email.js';
import { presentUser, type UserView } from './presenter.js';
import {
  countActiveOwners,
  findInvitationByTokenHash,
  findUser,
  findUserByEmail,
  insertInvitation,
  insertUser,
  listInvitations,
  listUsers,
  claimInvitation,
  revokeOtherInvitations,
  revokePendingInvitation,
  updateInvitation,
  updateUser,
  type InvitationRow,
  type UserRow,
} from './store.js';

export const INVITATION_TTL_MS = 72 * 3_600_000;

type UserActor = Extract<Actor, { kind: 'user' }>;

function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: isoFromDb(row.created_at)!,
    expiresAt: isoFromDb(row.expires_at)!,
    acceptedAt: isoFromDb(row.accepted_at),
    revokedAt: isoFromDb(row.revoked_at),
  };
}


export interface NewUser {
  workspaceId: string;
  email: string;
  displayName: string;
  password: string;
  /** A built-in role key, or (from the CLI, checked by the caller) one of the workspace's own roles. */
  role: string;
  teamId?: string | null;
}

export function createUserService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  auth: Pick<AuthService, 'cutOffUser'>;
  publicUrl: string;
  /** Whether a key names a role of the workspace (built-in or its own). */
  isRole: (workspaceId: string, key: string) => Promise<boolean>;
}) {
  const { db, clock, audit } = deps;

  async function requireRole(workspaceId: string, role: string): Promise<string> {
    if (!(await deps.isRole(workspaceId, role))) throw badRequest('invalid_role', 'There is no such role.', 'role');
    return role;
  }

  async function requireUserIn(workspaceId: string, userId: string): Promise<UserRow> {
    const user = await findUser(db, workspaceId, userId);
    if (!user) throw notFound('user_not_found', 'No such user.');
    return user;
  }

  /** Builds a user row after checking the address is free and the password is accepted. */
  async function prepareUser(executor: Kysely<DB>, input: NewUser): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    if (await findUserByEmail(executor, input.workspaceId, email)) {
      throw conflict('email_taken', 'A user with this email already exists in the workspace.', 'email');
    }
    assertStrongPassword(input.password, email, 'password');
    const now = toDbTime(clock.now());
    return {
      workspace_id: input.workspaceId,
      id: newId(now),
      email,
      display_name: input.displayName.trim(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      status: 'active',
      locale: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      last_sign_in_at: null,
      password_changed_at: now,
      created_at: now,
      updated_at: now,
      team_id: input.teamId ?? null,
    };
  }

  return {
    /** Creates a user inside the caller's transaction (setup, CLI, invitation acceptance). */
    async insertNewUser(executor: Kysely<DB>, actor: Actor, input: NewUser, via: 'setup' | 'invitation' | 'cli'): Promise<UserView> {
      const row = await prepareUser(executor, input);
      await insertUser(executor, row);
      await audit.record(actor, { action: 'user.created', outcome: 'success', metadata: { role: row.role, via }, object: { type: 'user', id: row.id } }, executor);
      return presentUser(row);
    },

    /** `custos user add`: a user created directly, without an invitation (provisioning scripts). */
    async add(actor: Actor, input: NewUser): Promise<UserView> {
      return db.transaction().execute((trx) => this.insertNewUser(trx, actor, input, 'cli'));
    },

    async list(actor: UserActor): Promise<UserView[]> {
      authorizeAdmin(actor);
      return (await listUsers(db, actor.workspaceId)).map(presentUser);
    },

    async findByEmail(workspaceId: string, email: string): Promise<UserView | null> {
      const row = await findUserByEmail(db, workspaceId, normalizeEmail(email));
      return row ? presentUser(row) : null;
    },

    async changeRole(actor: UserActor, userId: string, role: string): Promise<UserView> {
      authorizeAdmin(actor);
      const next = await requireRole(actor.workspaceId, role);
      const user = await requireUserIn(actor.workspaceId, userId);
      // Only an owner makes or unmakes owners.
      if ((next === 'owner' || user.role === 'owner') && actor.role !== 'owner') {
        throw badRequest('owner_required', 'Only an owner can grant or take away the owner role.', 'role');
      }
      if (user.role === next) return presentUser(user);
      return db.transaction().execute(async (trx) => {
        if (user.role === 'owner' && (await countActiveOwners(trx, actor.workspaceId)) <= 1) {
          throw conflict('last_owner', 'The workspace needs at least one active owner.', 'role');
        }
        await updateUser(trx, actor.workspaceId, userId, { role: next, updated_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'user.role_changed', outcome: 'success', metadata: { from: user.role, to: next }, object: { type: 'user', id: userId } }, trx);
        return presentUser({ ...user, role: next });
      });
    },

    /** Deactivation takes effect at once: every session and token of the user ends in the same transaction. */
    async deactivate(actor: UserActor, userId: string): Promise<UserView> {
      authorizeAdmin(actor);
      if (userId === actor.userId) throw conflict('cannot_deactivate_self', 'You cannot deactivate yourself.');
      const user = await requireUserIn(actor.workspaceId, userId);
      if (user.role === 'owner' && actor.role !== 'owner') throw badRequest('owner_required', 'Only an owner can deactivate an owner.');
      return db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, userId, { status: 'deactivated', updated_at: toDbTime(clock.now()) });
        const cut = await deps.auth.cutOffUser(trx, actor.workspaceId, userId);
        await audit.record(actor, { action: 'user.deactivated', outcome: 'success', metadata: cut, object: { type: 'user', id: userId } }, trx);
        return presentUser({ ...user, status: 'deactivated' });
      });
    },

    async reactivate(actor: UserActor, userId: string): Promise<UserView> {
      authorizeAdmin(actor);
      const user = await requireUserIn(actor.workspaceId, userId);
      return db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, userId, { status: 'active', updated_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'user.reactivated', outcome: 'success', metadata: {}, object: { type: 'user', id: userId } }, trx);
        return presentUser({ ...user, status: 'active' });
      });
    },

    async updateProfile(actor: UserActor, changes: { displayName?: string; locale?: string | null }): Promise<UserView> {
      const user = await requireUserIn(actor.workspaceId, actor.userId);
      const set: { display_name?: string; locale?: string | null } = {};
      if (changes.displayName !== undefined) set.display_name = changes.displayName.trim();
      if (changes.locale !== undefined) set.locale = changes.locale;
      const fields = Object.keys(changes);
      if (fields.length === 0) return presentUser(user);
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, actor.userId, { ...set, updated_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'account.profile_updated', outcome: 'success', metadata: { fields }, object: { type: 'user', id: actor.userId } }, trx);
      });
      return presentUser({ ...user, ...set });
    },

    async changeEmail(actor: UserActor, newEmail: string): Promise<UserView> {
      requireRecentReauth(actor, clock.now());
      const email = normalizeEmail(newEmail);
      const user = await requireUserIn(actor.workspaceId, actor.userId);
      if (email === user.email) return presentUser(user);
      if (await findUserByEmail(db, actor.workspaceId, email)) throw conflict('email_taken', 'A user with this email already exists in the workspace.', 'email');
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, actor.workspaceId, actor.userId, { email, updated_at: toDbTime(clock.now()) });
        await audit.record(actor, { action: 'account.email_changed', outcome: 'success', metadata: {}, object: { type: 'user', id: actor.userId } }, trx);
      });
      return presentUser({ ...user, email });
    },

    /** A one-time link, valid 72 hours; only the hash of its token is stored. */
    async invite(actor: UserActor, input: { email: string; role: string }) {
      authorizeAdmin(actor);
      const role = await requireRole(actor.workspaceId, input.role);
      if (role === 'owner' && actor.role !== 'owner') throw badRequest('owner_required', 'Only an owner can invite an owner.', 'role');
      const email = normalizeEmail(input.email);
      if (await findUserByEmail(db, actor.workspaceId, email)) throw conflict('email_taken', 'A user with this email already exists in the workspace.', 'email');
      const token = newSecret(32);
      const now = toDbTime(clock.now());
      const row: InvitationRow = {
        workspace_id: actor.workspaceId,
        id: newId(now),
        email,
        role,
        token_hash: hashSecret(token),
        invited_by: actor.userId,
        created_at: now,
        expires_at: now + INVITATION_TTL_MS,
        accepted_at: null,
        accepted_user_id: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await insertInvitation(trx, row);
        await audit.record(actor, { action: 'invitation.created', outcome: 'success', metadata: { role, expiresAt: isoFromDb(row.expires_at)! }, object: { type: 'invitation', id: row.id } }, trx);
      });
      return { invitation: presentInvitation(row), inviteUrl: `${deps.publicUrl}/invite#token=${token}` };
    },

    async listInvitations(actor: UserActor) {
      authorizeAdmin(actor);
      return (await listInvitations(db, actor.workspaceId)).map(presentInvitation);
    },

    async revokeInvitation(actor: UserActor, invitationId: string): Promise<void> {
      authorizeAdmin(actor);
      await db.transaction().execute(async (trx) => {
        if (!(await revokePendingInvitation(trx, actor.workspaceId, invitationId, toDbTime(clock.now())))) throw notFound('invitation_not_found', 'No such pending invitation.');
        await audit.record(actor, { action: 'invitation.revoked', outcome: 'success', metadata: {}, object: { type: 'invitation', id: invitationId } }, trx);
      });
    },

    /** What the invitation page shows before the colleague chooses a password. */
    async lookupInvitation(token: string) {
      const row = await findInvitationByTokenHash(db, hashSecret(token));
      if (!row || row.accepted_at !== null || row.revoked_at !== null || row.expires_at <= clock.now().getTime()) {
        throw notFound('invitation_not_found', 'This invitation link is not valid: it was used, withdrawn or has expired.');
      }
      return { row, view: { email: row.email, workspaceName: row.workspace_name, role: row.role, expiresAt: isoFromDb(row.expires_at)! } };
    },

    async acceptInvitation(token: string, input: { displayName: string; password: string }, origin: RequestOrigin): Promise<UserView> {
      const { row } = await this.lookupInvitation(token);
      const actor: Actor = { kind: 'system', workspaceId: row.workspace_id, name: 'invitation', ...origin };
      return db.transaction().execute(async (trx) => {
        // Claim first: a link accepted twice at the same moment creates one user.
        if (!(await claimInvitation(trx, row.workspace_id, row.id, toDbTime(clock.now())))) throw notFound('invitation_not_found', 'This invitation link was already used.');
        const user = await this.insertNewUser(
          trx,
          actor,
          { workspaceId: row.workspace_id, email: row.email, displayName: input.displayName, password: input.password, role: await requireRole(row.workspace_id, row.role) },
          'invitation',
        );
        await updateInvitation(trx, row.workspace_id, row.id, { accepted_user_id: user.id });
        await revokeOtherInvitations(trx, row.workspace_id, row.email, row.id, toDbTime(clock.now()));
        await audit.record(actor, { action: 'invitation.accepted', outcome: 'success', metadata: { userId: user.id }, object: { type: 'invitation', id: row.id } }, trx);
        return user;
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
