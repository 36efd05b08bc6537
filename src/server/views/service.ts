import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import type { FieldRegistry, Registry } from '../vault/field-registry.js';
import { parseFilter, parseSort } from '../vault/gateway/list-query.js';
import { hasCapability } from '../auth/context.js';
import { fromDbBool, fromDbJson, isoFromDb, toDbBool, toDbJson, toDbTime } from '../db/mapping.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { authorizeCustomers } from '../vault/policy.js';
import { VIEW_LIMITS, type ViewDefinition as ViewDefinitionSchema } from './schema.js';
import { countOwnViews, deleteView, findView, insertView, listVisibleViews, updateView, type ViewRow } from './store.js';

type UserActor = Extract<Actor, { kind: 'user' }>;
export type ViewDefinition = Static<typeof ViewDefinitionSchema>;

export interface SavedView {
  id: string;
  name: string;
  shared: boolean;
  ownerId: string;
  mine: boolean;
  canChange: boolean;
  definition: ViewDefinition;
  createdAt: string;
  updatedAt: string;
}

const MIN_DIGITS_OF_A_NUMBER = 7;

/** A view is visible to its owner and, once shared, to everyone in the workspace. */
export function maySeeView(actor: UserActor, view: Pick<ViewRow, 'owner_user_id' | 'shared'>): boolean {
  return view.owner_user_id === actor.userId || fromDbBool(view.shared);
}

/** Its owner changes a view; a shared one — everybody's list — a workspace admin may tidy up too. */
export function mayChangeView(actor: UserActor, view: Pick<ViewRow, 'owner_user_id' | 'shared'>): boolean {
  return view.owner_user_id === actor.userId || (fromDbBool(view.shared) && hasCapability(actor, 'manageUsers'));
}

/**
 * An email address, phone number or ID number. Views are stored in clear and may be shared,
 * so they must not keep one; a name cannot be told from other words and is the user's call.
 */
function looksLikeContactValue(q: string): boolean {
  const text = q.normalize('NFKC');
  return text.includes('@') || (text.match(/\d/g)?.length ?? 0) >= MIN_DIGITS_OF_A_NUMBER;
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('invalid_name', 'Give the view a name.', 'name');
  return trimmed;
}

/** The view's settings as stored: checked against the workspace's fields, empty parts left out. */
function checkDefinition(registry: Registry, definition: ViewDefinition): ViewDefinition {
  const q = definition.q?.trim();
  if (q && looksLikeContactValue(q)) {
    throw badRequest('personal_value_in_view', 'A saved view cannot keep an email address, phone number or ID number as its search.', 'q');
  }
  // Read as the list reads them: a view always opens a list the server answers. Filters and
  // sorts keep to plain (public, internal) fields, so no personal value sits in a view.
  for (const filter of definition.filters ?? []) parseFilter(registry, filter, definition.kind);
  if (definition.sort) parseSort(registry, definition.sort, definition.kind);
  return {
    ...(q ? { q } : {}),
    ...(definition.kind ? { kind: definition.kind } : {}),
    ...(definition.filters?.length ? { filters: definition.filters } : {}),
    ...(definition.sort ? { sort: definition.sort } : {}),
    ...(definition.columns?.length ? { columns: definition.columns } : {}),
  };
}

function present(actor: UserActor, row: ViewRow): SavedView {
  return {
    id: row.id,
    name: row.name,
    shared: fromDbBool(row.shared),
    ownerId: row.owner_user_id,
    mine: row.owner_user_id === actor.userId,
    canChange: mayChangeView(actor, row),
    definition: fromDbJson<ViewDefinition>(row.definition) ?? {},
    createdAt: isoFromDb(row.created_at)!,
    updatedAt: isoFromDb(row.updated_at)!,
  };
}

/**
 * Saved views of the customers list: named settings of search, filters, sort and columns,
 * private or shared with the workspace. Whoever may read customers may keep views.
 */
export function createViewService({ db, clock, audit, fields }: { db: Kysely<DB>; clock: Clock; audit: Pick<AuditService, 'record'>; fields: Pick<FieldRegistry, 'load'> }) {
  /** A view the caller may change; one they cannot see does not exist for them. */
  async function requireChangeable(actor: UserActor, id: string): Promise<ViewRow> {
    const row = await findView(db, actor.workspaceId, id);
    if (!row || !maySeeView(actor, row)) throw notFound('view_not_found', 'No such view.');
    if (!mayChangeView(actor, row)) throw forbidden('view_not_yours', 'Only the owner of this view can change it.');
    return row;
  }

  return {
    async list(actor: UserActor): Promise<SavedView[]> {
      authorizeCustomers(actor, 'read');
      return (await listVisibleViews(db, actor.workspaceId, actor.userId)).map((row) => present(actor, row));
    },

    async create(actor: UserActor, input: { name: string; shared?: boolean; definition: ViewDefinition }): Promise<SavedView> {
      authorizeCustomers(actor, 'read');
      const name = requireName(input.name);
      const definition = checkDefinition(await fields.load(actor.workspaceId), input.definition);
      const now = toDbTime(clock.now());
      const row: ViewRow = {
        workspace_id: actor.workspaceId,
        id: newId(now),
        owner_user_id: actor.userId,
        name,
        shared: toDbBool(input.shared ?? false),
        definition: toDbJson(definition),
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await insertView(trx, row);
        // Counted after the insert, inside the transaction: two saves at once cannot both slip under the bound.
        if ((await countOwnViews(trx, actor.workspaceId, actor.userId)) > VIEW_LIMITS.viewsPerUser) {
          throw conflict('too_many_views', `You can keep up to ${VIEW_LIMITS.viewsPerUser} views. Delete one you no longer use first.`);
        }
        await audit.record(actor, { action: 'view.created', outcome: 'success', metadata: { shared: fromDbBool(row.shared) }, object: { type: 'saved_view', id: row.id } }, trx);
      });
      return present(actor, row);
    },

    async update(actor: UserActor, id: string, changes: { name?: string; shared?: boolean; definition?: ViewDefinition }): Promise<SavedView> {
      authorizeCustomers(actor, 'read');
      const row = await requireChangeable(actor, id);
      const next: ViewRow = {
        ...row,
        name: changes.name !== undefined ? requireName(changes.name) : row.name,
        shared: changes.shared !== undefined ? toDbBool(changes.shared) : row.shared,
        definition: changes.definition !== undefined ? toDbJson(checkDefinition(await fields.load(actor.workspaceId), changes.definition)) : row.definition,
        updated_at: toDbTime(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        await updateView(trx, actor.workspaceId, id, { name: next.name, shared: next.shared, definition: next.definition, updated_at: next.updated_at });
        await audit.record(
          actor,
          { action: 'view.updated', outcome: 'success', metadata: { changes: Object.keys(changes), shared: fromDbBool(next.shared) }, object: { type: 'saved_view', id } },
          trx,
        );
      });
      return present(actor, next);
    },

    async remove(actor: UserActor, id: string): Promise<void> {
      authorizeCustomers(actor, 'read');
      const row = await requireChangeable(actor, id);
      await db.transaction().execute(async (trx) => {
        await deleteView(trx, actor.workspaceId, id);
        await audit.record(
          actor,
          { action: 'view.deleted', outcome: 'success', metadata: { ownerId: row.owner_user_id, shared: fromDbBool(row.shared) }, object: { type: 'saved_view', id } },
          trx,
        );
      });
    },
  };
}

export type ViewService = ReturnType<typeof createViewService>;
