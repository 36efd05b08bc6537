import type { Kysely } from 'kysely';
import type { Actor, RequestOrigin } from '../actor.js';
import type { Clock } from '../clock.js';
import type { DB } from '../db/schema.js';
import type { AuditService } from '../audit/service.js';
import { fromDbBool, toDbBool, toDbTime } from '../db/mapping.js';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { authorizeCapability } from '../auth/context.js';
import { hashSecret, newSecret, safeEqual } from '../auth/secrets.js';
import type { SessionSettings } from '../auth/service.js';
import type { UserService } from '../users/service.js';
import type { UserView } from '../users/presenter.js';
import { countWorkspaces, findWorkspace, listWorkspaces, findWorkspaceByName, insertWorkspace, updateWorkspace } from './store.js';

const REGION_TTL_MS = 30_000;

export interface NewWorkspace {
  workspaceName: string;
  email: string;
  displayName: string;
  password: string;
}

export function createWorkspaceService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditService;
  users: Pick<UserService, 'insertNewUser'>;
  sessions: SessionSettings;
}) {
  const { db, clock, audit } = deps;
  /** The one-time setup token lives only in this process's memory, as a hash. */
  let setupTokenHash: string | null = null;
  const regions = new Map<string, { region: CountryCode; readAt: number }>();

  async function createWithOwner(input: NewWorkspace, origin: RequestOrigin, via: 'setup' | 'cli'): Promise<{ workspaceId: string; user: UserView }> {
    const now = toDbTime(clock.now());
    const workspaceId = newId(now);
    const name = input.workspaceName.trim();
    return db.transaction().execute(async (trx) => {
      if (await findWorkspaceByName(trx, name)) throw conflict('workspace_exists', 'A workspace with this name already exists.', 'workspaceName');
      await insertWorkspace(trx, { id: workspaceId, name, require_mfa: 0, created_at: now, updated_at: now });
      const actor: Actor = { kind: 'system', workspaceId, name: via, ...origin };
      await audit.record(actor, { action: 'workspace.created', outcome: 'success', metadata: {}, object: { type: 'workspace', id: workspaceId } }, trx);
      const user = await deps.users.insertNewUser(
        trx,
        actor,
        { workspaceId, email: input.email, displayName: input.displayName, password: input.password, role: 'owner' },
        via,
      );
      return { workspaceId, user };
    });
  }

  return {
    async needsSetup(): Promise<boolean> {
      return (await countWorkspaces(db)) === 0;
    },

    /** Issues the token the first-run link carries; null once a workspace exists. */
    async issueSetupToken(): Promise<string | null> {
      if (!(await this.needsSetup())) return null;
      const token = newSecret(24);
      setupTokenHash = hashSecret(token);
      return token;
    },

    /** First run through the web: needs the token printed by the server, works once. */
    async setUp(setupToken: string, input: NewWorkspace, origin: RequestOrigin) {
      if (!(await this.needsSetup())) throw conflict('already_set_up', 'Custos is already set up. Sign in instead.');
      if (!setupTokenHash || !safeEqual(hashSecret(setupToken), setupTokenHash)) {
        throw forbidden('invalid_setup_token', 'This setup link is not valid. Use the link the server printed when it started.');
      }
      const result = await createWithOwner(input, origin, 'setup');
      setupTokenHash = null;
      return result;
    },

    /** `custos create-admin`: whoever runs the CLI on the server already holds the keys. */
    createWithOwner: (input: NewWorkspace) => createWithOwner(input, { ip: null, userAgent: 'custos-cli' }, 'cli'),

    async resolve(nameOrId: string | undefined): Promise<{ id: string; name: string }> {
      if (nameOrId) {
        const workspace = (await findWorkspace(db, nameOrId)) ?? (await findWorkspaceByName(db, nameOrId));
        if (!workspace) throw notFound('workspace_not_found', `No workspace named ${nameOrId}.`);
        return workspace;
      }
      const all = await listWorkspaces(db, 2);
      if (all.length === 0) throw notFound('workspace_not_found', 'There is no workspace yet: run `custos create-admin` first.');
      if (all.length > 1) throw conflict('workspace_required', 'There are several workspaces: name one with --workspace.');
      return all[0]!;
    },

    /** The region phone numbers without a country code are read in; cached briefly, other servers catch up within 30 s. */
    async phoneRegion(workspaceId: string): Promise<CountryCode> {
      const cached = regions.get(workspaceId);
      const now = clock.now().getTime();
      if (cached && now - cached.readAt < REGION_TTL_MS) return cached.region;
      const region = ((await findWorkspace(db, workspaceId))?.phone_region ?? 'CN') as CountryCode;
      regions.set(workspaceId, { region, readAt: now });
      return region;
    },

    async getSettings(actor: Extract<Actor, { kind: 'user' }>) {
      authorizeCapability(actor, 'manageSettings');
      const workspace = await findWorkspace(db, actor.workspaceId);
      if (!workspace) throw notFound();
      return {
        requireMfa: fromDbBool(workspace.require_mfa),
        phoneRegion: workspace.phone_region,
        auditRetentionDays: Number(workspace.audit_retention_days),
        sessionIdleMinutes: deps.sessions.idleMinutes,
        sessionAbsoluteHours: deps.sessions.absoluteHours,
      };
    },

    async updateSettings(actor: Extract<Actor, { kind: 'user' }>, changes: { requireMfa?: boolean; phoneRegion?: string; auditRetentionDays?: number }) {
      authorizeCapability(actor, 'manageSettings');
      const region = changes.phoneRegion?.toUpperCase();
      if (region !== undefined && !isSupportedCountry(region)) throw badRequest('invalid_region', 'Not a region phone numbers can be read in.', 'phoneRegion');
      if (changes.requireMfa !== undefined || region !== undefined || changes.auditRetentionDays !== undefined) {
        await db.transaction().execute(async (trx) => {
          await updateWorkspace(trx, actor.workspaceId, {
            ...(changes.requireMfa !== undefined ? { require_mfa: toDbBool(changes.requireMfa) } : {}),
            ...(region !== undefined ? { phone_region: region } : {}),
            ...(changes.auditRetentionDays !== undefined ? { audit_retention_days: changes.auditRetentionDays } : {}),
            updated_at: toDbTime(clock.now()),
          });
          regions.delete(actor.workspaceId);
          await audit.record(actor, { action: 'workspace.settings_changed', outcome: 'success', metadata: { changes }, object: { type: 'workspace', id: actor.workspaceId } }, trx);
        });
      }
      return this.getSettings(actor);
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
