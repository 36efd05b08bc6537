import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { fromDbJson, toDbJson, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { Capability, RoleDefinition, RolePermissions } from '../../shared/permissions.js';
import { DEFAULT_ROLES } from './default-roles.js';
import type { Access } from './engine.js';
import {
  activeUsersWithRoles,
  countTeamMembers,
  countUsersWithRole,
  deleteRoleRow,
  deleteTeamRow,
  findUserAccessRow,
  insertTeamRow,
  listRoleRows,
  listTeamRows,
  setUserTeam,
  updateTeamRow,
  upsertRoleRow,
  type TeamRow,
} from './store.js';

const CACHE_TTL_MS = 30_000;
const CUSTOM_KEY = /^[a-z][a-z0-9_]{1,39}$/;
/** The owner role cannot be changed: a workspace must always have someone who can do everything. */
const LOCKED_ROLES: ReadonlySet<string> = new Set(['owner']);

export interface Team {
  id: string;
  name: string;
  parentId: string | null;
}

interface WorkspaceAccessData {
  roles: RoleDefinition[];
  teams: Team[];
  readAt: number;
}

/** Every team below `teamId` (not itself), walking the parent links; cycles cannot exist (moves refuse them). */
export function descendantsOf(teams: readonly Team[], teamId: string): Set<string> {
  const below = new Set<string>();
  const queue = [teamId];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const team of teams) {
      if (team.parentId === current && !below.has(team.id)) {
        below.add(team.id);
        queue.push(team.id);
      }
    }
  }
  return below;
}

/**
 * Roles as data and teams. Built-in roles live in code (default-roles.ts); a workspace's
 * changes to them and its own roles are rows that win. Everything here is workspace
 * administration: the capability checks are the callers' (routes and CLI), and every change
 * is recorded.
 */
export function createAccessService({ db, clock, audit }: { db: Kysely<DB>; clock: Clock; audit: Pick<AuditService, 'record'> }) {
  const cache = new Map<string, WorkspaceAccessData>();

  async function load(workspaceId: string): Promise<WorkspaceAccessData> {
    const cached = cache.get(workspaceId);
    if (cached && clock.now().getTime() - cached.readAt < CACHE_TTL_MS) return cached;
    const rows = await listRoleRows(db, workspaceId);
    const stored = new Map(rows.map((row) => [row.key, row]));
    const builtIn = DEFAULT_ROLES.map((role) => {
      const row = stored.get(role.key);
      return row ? { ...role, labels: fromDbJson<RoleDefinition['labels']>(row.labels)!, permissions: fromDbJson<RolePermissions>(row.permissions)! } : role;
    });
    const custom = rows
      .filter((row) => !DEFAULT_ROLES.some((role) => role.key === row.key))
      .map((row) => ({ key: row.key, labels: fromDbJson<RoleDefinition['labels']>(row.labels)!, builtIn: false, permissions: fromDbJson<RolePermissions>(row.permissions)! }));
    const teams = (await listTeamRows(db, workspaceId)).map((row: TeamRow) => ({ id: row.id, name: row.name, parentId: row.parent_id }));
    const data = { roles: [...builtIn, ...custom], teams, readAt: clock.now().getTime() };
    cache.set(workspaceId, data);
    return data;
  }

  const forget = (workspaceId: string) => cache.delete(workspaceId);

  async function requireRole(workspaceId: string, key: string): Promise<RoleDefinition> {
    const role = (await load(workspaceId)).roles.find((r) => r.key === key);
    if (!role) throw notFound('role_not_found', 'No such role.');
    return role;
  }

  async function requireTeam(workspaceId: string, id: string): Promise<Team> {
    const team = (await load(workspaceId)).teams.find((t) => t.id === id);
    if (!team) throw notFound('team_not_found', 'No such team.');
    return team;
  }

  return {
    async roles(workspaceId: string): Promise<RoleDefinition[]> {
      return (await load(workspaceId)).roles;
    },

    async teams(workspaceId: string): Promise<Team[]> {
      return (await load(workspaceId)).teams;
    },

    /** Whether a role key names a role of the workspace (built-in or its own). */
    async isRole(workspaceId: string, key: string): Promise<boolean> {
      return (await load(workspaceId)).roles.some((role) => role.key === key);
    },

    /** A user's access: their role's permissions, their team and every team below it. Unknown roles get nothing. */
    async resolve(workspaceId: string, userId: string, roleKey: string, teamId: string | null): Promise<Access> {
      const data = await load(workspaceId);
      const role = data.roles.find((r) => r.key === roleKey);
      const permissions: RolePermissions = role?.permissions ?? { objects: {}, fields: { byClass: { public: 'hidden', internal: 'hidden', personal: 'hidden', sensitive: 'hidden' }, byField: {} }, capabilities: [] };
      const subtree = teamId ? new Set([teamId, ...descendantsOf(data.teams, teamId)]) : new Set<string>();
      return { userId, teamId, subtree, permissions };
    },

    /** The capabilities of a user's role, for the admin checks outside customer data. */
    async capabilitiesOf(workspaceId: string, roleKey: string): Promise<readonly Capability[]> {
      return (await load(workspaceId)).roles.find((r) => r.key === roleKey)?.permissions.capabilities ?? [];
    },

    /** Active users whose role has the capability (e.g. the administrators to tell about a break-glass). */
    async usersWithCapability(executor: Kysely<DB>, workspaceId: string, capability: Capability): Promise<string[]> {
      const roles = (await load(workspaceId)).roles.filter((role) => role.permissions.capabilities.includes(capability)).map((role) => role.key);
      return activeUsersWithRoles(executor, workspaceId, roles);
    },

    async userAccessRow(workspaceId: string, userId: string) {
      return findUserAccessRow(db, workspaceId, userId);
    },

    async createRole(actor: Actor, input: { key: string; labels: RoleDefinition['labels']; permissions: RolePermissions }): Promise<RoleDefinition> {
      if (!CUSTOM_KEY.test(input.key)) throw badRequest('invalid_key', 'A role key has 2 to 40 lower-case letters, digits and underscores, starting with a letter.', 'key');
      if ((await load(actor.workspaceId)).roles.some((role) => role.key === input.key)) throw conflict('role_exists', 'There already is a role with this key.', 'key');
      const now = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        await upsertRoleRow(trx, { workspace_id: actor.workspaceId, key: input.key, labels: toDbJson(input.labels), permissions: toDbJson(input.permissions), created_at: now, updated_at: now });
        await audit.record(actor, { action: 'role.created', outcome: 'success', metadata: { key: input.key }, object: { type: 'role', id: input.key } }, trx);
      });
      forget(actor.workspaceId);
      return requireRole(actor.workspaceId, input.key);
    },

    async updateRole(actor: Actor, key: string, changes: { labels?: RoleDefinition['labels']; permissions?: RolePermissions }): Promise<RoleDefinition> {
      const role = await requireRole(actor.workspaceId, key);
      if (LOCKED_ROLES.has(key)) throw conflict('role_locked', 'The owner role always has every permission.');
      const next = { labels: changes.labels ?? role.labels, permissions: changes.permissions ?? role.permissions };
      const now = toDbTime(clock.now());
      await db.transaction().execute(async (trx) => {
        await upsertRoleRow(trx, { workspace_id: actor.workspaceId, key, labels: toDbJson(next.labels), permissions: toDbJson(next.permissions), created_at: now, updated_at: now });
        await audit.record(
          actor,
          { action: 'role.updated', outcome: 'success', metadata: { key, changes: permissionChanges(role.permissions, next.permissions, changes.labels !== undefined) }, object: { type: 'role', id: key } },
          trx,
        );
      });
      forget(actor.workspaceId);
      return requireRole(actor.workspaceId, key);
    },

    /** Deletes a custom role nobody holds; a built-in role goes back to its defaults instead. */
    async deleteRole(actor: Actor, key: string): Promise<void> {
      const role = await requireRole(actor.workspaceId, key);
      if (LOCKED_ROLES.has(key)) throw conflict('role_locked', 'The owner role always has every permission.');
      if (!role.builtIn && (await countUsersWithRole(db, actor.workspaceId, key)) > 0) throw conflict('role_in_use', 'Users still hold this role: give them another one first.');
      await db.transaction().execute(async (trx) => {
        await deleteRoleRow(trx, actor.workspaceId, key);
        await audit.record(actor, { action: role.builtIn ? 'role.reset' : 'role.deleted', outcome: 'success', metadata: { key }, object: { type: 'role', id: key } }, trx);
      });
      forget(actor.workspaceId);
    },

    async addTeam(actor: Actor, input: { name: string; parentId?: string | null }): Promise<Team> {
      const name = input.name.trim();
      if (name === '' || name.length > 80) throw badRequest('invalid_name', 'A team name has 1 to 80 characters.', 'name');
      const data = await load(actor.workspaceId);
      if (data.teams.some((team) => team.name === name)) throw conflict('team_exists', 'There already is a team with this name.', 'name');
      if (input.parentId) await requireTeam(actor.workspaceId, input.parentId);
      const row = { workspace_id: actor.workspaceId, id: newId(), name, parent_id: input.parentId ?? null, created_at: toDbTime(clock.now()) };
      await db.transaction().execute(async (trx) => {
        await insertTeamRow(trx, row);
        await audit.record(actor, { action: 'team.created', outcome: 'success', metadata: { parentId: row.parent_id }, object: { type: 'team', id: row.id } }, trx);
      });
      forget(actor.workspaceId);
      return { id: row.id, name, parentId: row.parent_id };
    },

    async updateTeam(actor: Actor, id: string, changes: { name?: string; parentId?: string | null }): Promise<Team> {
      const data = await load(actor.workspaceId);
      await requireTeam(actor.workspaceId, id);
      const name = changes.name?.trim();
      if (name !== undefined && (name === '' || name.length > 80)) throw badRequest('invalid_name', 'A team name has 1 to 80 characters.', 'name');
      if (name !== undefined && data.teams.some((team) => team.name === name && team.id !== id)) throw conflict('team_exists', 'There already is a team with this name.', 'name');
      if (changes.parentId) {
        await requireTeam(actor.workspaceId, changes.parentId);
        if (changes.parentId === id || descendantsOf(data.teams, id).has(changes.parentId)) throw badRequest('team_cycle', 'A team cannot sit below itself.', 'parentId');
      }
      await db.transaction().execute(async (trx) => {
        await updateTeamRow(trx, actor.workspaceId, id, { ...(name !== undefined ? { name } : {}), ...(changes.parentId !== undefined ? { parent_id: changes.parentId } : {}) });
        await audit.record(actor, { action: 'team.updated', outcome: 'success', metadata: { changes: Object.keys(changes) }, object: { type: 'team', id } }, trx);
      });
      forget(actor.workspaceId);
      return requireTeam(actor.workspaceId, id);
    },

    /** Deletes a team with no members and no sub-teams (its customers keep their owner and lose the team). */
    async deleteTeam(actor: Actor, id: string): Promise<void> {
      const data = await load(actor.workspaceId);
      await requireTeam(actor.workspaceId, id);
      if (data.teams.some((team) => team.parentId === id)) throw conflict('team_has_subteams', 'Move or delete its sub-teams first.');
      if ((await countTeamMembers(db, actor.workspaceId, id)) > 0) throw conflict('team_has_members', 'Move its members to another team first.');
      await db.transaction().execute(async (trx) => {
        await deleteTeamRow(trx, actor.workspaceId, id);
        await audit.record(actor, { action: 'team.deleted', outcome: 'success', metadata: {}, object: { type: 'team', id } }, trx);
      });
      forget(actor.workspaceId);
    },

    async setUserTeam(actor: Actor, userId: string, teamId: string | null): Promise<void> {
      if (teamId) await requireTeam(actor.workspaceId, teamId);
      if (!(await findUserAccessRow(db, actor.workspaceId, userId))) throw notFound('user_not_found', 'No such user.');
      await db.transaction().execute(async (trx) => {
        await setUserTeam(trx, actor.workspaceId, userId, teamId, toDbTime(clock.now()));
        await audit.record(actor, { action: 'user.team_changed', outcome: 'success', metadata: { teamId }, object: { type: 'user', id: userId } }, trx);
      });
    },

    /**
     * Refuses unless the acting user's role has the capability (system actors — the CLI, jobs — may).
     * The role as stored, so a break-glass grant's owner access does not lend it; and the
     * request's own access too, so a narrowed token (which never manages anything) does not either.
     */
    async requireCapability(actor: Actor, capability: Capability): Promise<void> {
      if (actor.kind === 'system') return;
      const row = await findUserAccessRow(db, actor.workspaceId, actor.userId);
      const capabilities = row ? ((await load(actor.workspaceId)).roles.find((r) => r.key === row.role)?.permissions.capabilities ?? []) : [];
      if (!capabilities.includes(capability) || !actor.access.permissions.capabilities.includes(capability)) throw forbidden('forbidden', 'Your role does not allow this.');
    },
  };
}

/** What changed in a role, as keys (objects, actions, classes, fields), never more: the audit trail says where to look. */
function permissionChanges(before: RolePermissions, after: RolePermissions, labels: boolean): string[] {
  const changes: string[] = labels ? ['labels'] : [];
  const objects = new Set([...Object.keys(before.objects), ...Object.keys(after.objects)]) as Set<keyof RolePermissions['objects']>;
  for (const object of objects) {
    const actions = new Set([...Object.keys(before.objects[object] ?? {}), ...Object.keys(after.objects[object] ?? {})]);
    for (const action of actions) {
      const a = before.objects[object]?.[action as keyof RolePermissions['objects'][typeof object]];
      const b = after.objects[object]?.[action as keyof RolePermissions['objects'][typeof object]];
      if (a !== b) changes.push(`objects.${object}.${action}`);
    }
  }
  for (const cls of Object.keys(after.fields.byClass) as (keyof RolePermissions['fields']['byClass'])[]) {
    if (JSON.stringify(before.fields.byClass[cls]) !== JSON.stringify(after.fields.byClass[cls])) changes.push(`fields.class.${cls}`);
  }
  for (const key of new Set([...Object.keys(before.fields.byField), ...Object.keys(after.fields.byField)])) {
    if (JSON.stringify(before.fields.byField[key]) !== JSON.stringify(after.fields.byField[key])) changes.push(`fields.${key}`);
  }
  if (JSON.stringify([...before.capabilities].sort()) !== JSON.stringify([...after.capabilities].sort())) changes.push('capabilities');
  return changes;
}

export type AccessService = ReturnType<typeof createAccessService>;
