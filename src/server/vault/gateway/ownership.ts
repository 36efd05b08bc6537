import type { Actor } from '../../actor.js';
import { MAX_REASSIGN_BATCH } from '../../../shared/ownership.js';
import type { Scope } from '../../../shared/permissions.js';
import { listTeamRows } from '../../access/store.js';
import { hasCapability } from '../../auth/context.js';
import { AppError, badRequest, forbidden } from '../../http/errors.js';
import { findUser, listUsers } from '../../users/store.js';
import { existingCustomers } from '../activity-store.js';
import { authorizeCustomers, reaches, recordActions, type RecordActions } from '../policy.js';
import { reassignCustomers } from '../store.js';
import { tiesOf, type CustomerRecord, type GatewayContext } from './context.js';

/** Who gets the customers: a user, and the owning team (by default the new owner's own team). */
export interface OwnerChange {
  ownerId: string;
  teamId?: string | null;
}

interface NewOwner {
  ownerId: string;
  teamId: string | null;
}

/** Someone a customer may be handed to, as the picker shows them. */
export interface AssignableOwner {
  id: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
}

export { MAX_REASSIGN_BATCH };

/**
 * Ownership of customers (issue #4): every customer has an owner and an owning team, and
 * together they decide who reaches it. Handing a customer over needs the `reassignOwner`
 * capability and the customer within the caller's update scope; and it cannot put the customer
 * beyond that scope — a sales manager hands customers only to users of their own teams and
 * sub-teams, into those teams. Each change is recorded with the owner and team before and after,
 * in the transaction that makes it.
 */
export function customerOwnership(ctx: GatewayContext) {
  const { db, audit, loadRow, present } = ctx;

  /** The scope reassignments reach: the update scope, for a role with the capability (checked first: no record is looked up without it). */
  function authorizeReassign(actor: Actor): Scope {
    if (!hasCapability(actor, 'reassignOwner')) throw forbidden('forbidden', 'Your role may not hand customers to another owner.');
    return authorizeCustomers(actor, 'update');
  }

  /** Whether the actor may hand customers to this user: records of theirs, in their team, would be within the actor's scope. */
  const mayReceive = (actor: Actor, scope: Scope, user: { id: string; team_id: string | null }) => reaches(actor, scope, { ownerId: user.id, teamId: user.team_id });
  /** Whether the actor may put customers in this team: a record of it would be within the actor's scope. */
  const mayPlaceIn = (actor: Actor, scope: Scope, teamId: string) => reaches(actor, scope, { ownerId: null, teamId });

  /** The new owner and team, checked: an active user of the workspace, a team of it, and neither beyond the actor's reach. */
  async function newOwnerOf(actor: Actor, scope: Scope, change: OwnerChange): Promise<NewOwner> {
    const user = await findUser(db, actor.workspaceId, change.ownerId);
    if (!user || user.status !== 'active') throw badRequest('invalid_owner', 'The new owner must be an active user of this workspace.', 'ownerId');
    if (!mayReceive(actor, scope, user)) throw new AppError(403, 'owner_out_of_scope', 'You may hand customers only to users of your own teams.', 'ownerId');
    const teamId = change.teamId === undefined ? user.team_id : change.teamId;
    if (change.teamId && !(await listTeamRows(db, actor.workspaceId)).some((team) => team.id === change.teamId)) throw badRequest('invalid_team', 'There is no such team.', 'teamId');
    // The customer stays within the caller's reach, and lands in no team they do not reach.
    if (!reaches(actor, scope, { ownerId: user.id, teamId }) || (teamId !== null && !mayPlaceIn(actor, scope, teamId))) {
      throw new AppError(403, 'team_out_of_scope', 'You may place customers only in your own teams.', 'teamId');
    }
    return { ownerId: user.id, teamId };
  }

  /** Hands the customers (rows as loaded) over, with one event each, in one transaction; those already there are left alone. */
  async function handOver(actor: Actor, rows: readonly { id: string; owner_user_id: string | null; team_id: string | null }[], to: NewOwner): Promise<void> {
    const changing = rows.filter((row) => row.owner_user_id !== to.ownerId || row.team_id !== to.teamId);
    if (changing.length === 0) return;
    await db.transaction().execute(async (trx) => {
      await reassignCustomers(trx, actor.workspaceId, changing.map((row) => row.id), to);
      await audit.recordMany(
        actor,
        changing.map((row) => ({
          action: 'customer.owner_changed' as const,
          outcome: 'success' as const,
          metadata: { from: row.owner_user_id, to: to.ownerId, fromTeam: row.team_id, toTeam: to.teamId },
          object: { type: 'customer', id: row.id },
        })),
        trx,
      );
    });
  }

  return {
    /** Hands one customer to another owner; answers the customer as the caller now sees it. */
    async reassignOwner(actor: Actor, customerId: string, change: OwnerChange): Promise<CustomerRecord & { allowed: RecordActions }> {
      const scope = authorizeReassign(actor);
      const row = await loadRow(actor, customerId, scope);
      const to = await newOwnerOf(actor, scope, change);
      await handOver(actor, [row], to);
      const moved = { ...row, owner_user_id: to.ownerId, team_id: to.teamId };
      const { record } = await present(actor, moved);
      return { ...record, allowed: recordActions(actor, tiesOf(moved)) };
    },

    /**
     * Hands many customers to one owner, each checked as `reassignOwner` checks it. Those that
     * do not exist or lie outside the caller's scope are listed as not found, alike.
     */
    async reassignOwners(actor: Actor, ids: readonly string[], change: OwnerChange): Promise<{ reassigned: number; notFound: string[] }> {
      const scope = authorizeReassign(actor);
      const unique = [...new Set(ids)];
      if (unique.length === 0 || unique.length > MAX_REASSIGN_BATCH) throw badRequest('invalid_ids', `Give 1 to ${MAX_REASSIGN_BATCH} customers.`, 'ids');
      const to = await newOwnerOf(actor, scope, change);
      const reached = (await existingCustomers(db, actor.workspaceId, unique)).filter((row) => reaches(actor, scope, tiesOf(row)));
      await handOver(actor, reached, to);
      const found = new Set(reached.map((row) => row.id));
      return { reassigned: reached.length, notFound: unique.filter((id) => !found.has(id)) };
    },

    /** The active users the caller may hand customers to, and the teams they may place them in, by name. */
    async assignableOwners(actor: Actor): Promise<{ items: AssignableOwner[]; teams: { id: string; name: string }[] }> {
      const scope = authorizeReassign(actor);
      const [users, teams] = await Promise.all([listUsers(db, actor.workspaceId), listTeamRows(db, actor.workspaceId)]);
      const teamName = new Map(teams.map((team) => [team.id, team.name]));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      return {
        items: users
          .filter((user) => user.status === 'active' && mayReceive(actor, scope, user))
          .map((user) => ({ id: user.id, name: user.display_name, teamId: user.team_id, teamName: user.team_id ? (teamName.get(user.team_id) ?? null) : null }))
          .sort(byName),
        teams: teams
          .filter((team) => mayPlaceIn(actor, scope, team.id))
          .map((team) => ({ id: team.id, name: team.name }))
          .sort(byName),
      };
    },
  };
}
