import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../actor.js';
import type { Action, Capability, ObjectKey, RoleDefinition, RolePermissions, Scope } from '../../shared/permissions.js';
import { DEFAULT_ROLES } from './default-roles.js';
import { narrow, type TokenNarrowing } from './engine.js';
import { call, createTestApp, enrolTotp, signIn, STRONG_PASSWORD, uniqueEmail, workspaceWithAdmin, type Session, type TestApp } from '../../../test/factories.js';
import { totpCode } from '../auth/totp.js';
import { newId } from '../ids.js';

/**
 * Every route the app registers × every default role, plus a caller who is not signed in
 * (issue #4). The table below says what each route asks of its caller; whether a role gets
 * through is computed from the role's definition (DEFAULT_ROLES), never written per role. A
 * route missing from the table fails the suite: a new endpoint cannot appear without its
 * permission being written down. Authorization runs before any record is touched, so a
 * refused role gets 403 even on its own records; an allowed one gets a success answer on a
 * record it owns, with a body that passes the schema (Fastify validates before the handler).
 */

/** What a route asks: a capability of the caller's role, some scope (or exactly `scope`) for an action on an object, or any one of several. */
type Requirement = { capability: Capability } | { object: ObjectKey; action: Action; scope?: Scope } | { anyOf: readonly Requirement[] };
/** Nothing at all (public), or every listed requirement of a signed-in member (an empty list: any member). */
type Need = 'public' | readonly Requirement[];

const PUBLIC = 'public';
const MEMBER: readonly Requirement[] = [];
const may = (object: ObjectKey, action: Action): Requirement => ({ object, action });
const capability = (key: Capability): Requirement => ({ capability: key });
/** `config.auth: 'admin'` routes: the user administrators, checked before the body is read. */
const ADMIN = capability('manageUsers');
const SETTINGS = capability('manageSettings');
/** Customer exports: the export action, and reading what is exported. */
const EXPORT = [may('customers', 'export'), may('customers', 'read')];
/** Companies' names are public: an export of them needs no reason, whoever asks. */
const EXPORT_BODY = { format: 'csv', kind: 'company', columns: ['name'] };
/** Customer imports: the import action; a job is its maker's (and visible to whoever manages users). */
const IMPORT = [may('customers', 'import')];
const IMPORT_START = { kind: 'person', mapping: ['name', 'email'], matchBy: 'email', onMatch: 'update', dryRun: true };
/** Merging and undoing a merge: one record changes, the other goes. */
const MERGE = [may('customers', 'update'), may('customers', 'delete')];
const QUALITY: Requirement = { anyOf: [SETTINGS, { object: 'customers', action: 'read', scope: 'all' }] };

function meets(permissions: RolePermissions, need: Requirement): boolean {
  if ('anyOf' in need) return need.anyOf.some((one) => meets(permissions, one));
  if ('capability' in need) return permissions.capabilities.includes(need.capability);
  const scope = permissions.objects[need.object]?.[need.action] ?? 'none';
  return need.scope ? scope === need.scope : scope !== 'none';
}

function satisfies(permissions: RolePermissions, needs: readonly Requirement[]): boolean {
  return needs.every((need) => meets(permissions, need));
}

/** Records each member owns in their own team: in every scope their role has, whatever it is. */
interface Records {
  customer: string;
  imHandle: string;
  spareContactPoint: string;
  spareNote: string;
  address: string;
  spareAddress: string;
  openCase: string;
  /** Soft-deleted, erased and soft-deleted-to-restore: one customer per destructive route. */
  toDelete: string;
  toErase: string;
  deleted: string;
}

interface Caller {
  name: string;
  /** Null for the caller who is not signed in. */
  role: RoleDefinition | null;
  session: Session | null;
  email: string;
  userId: string;
  teamId: string;
  /** Each caller calls from an address of its own: the tighter per-IP limits of sign-in and invitations stay out of the way. */
  ip: string;
  records: Records;
}

interface Request {
  url: string;
  body?: unknown;
  /** Another session of the caller's (or of a fresh member of the same role and team), for routes that end or change theirs. */
  session?: Session;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RouteCase {
  /** `METHOD /url` as registered. */
  route: string;
  needs: Need;
  /** Answers besides 2xx that still mean the caller got past authorization (said why at each route). */
  alsoPasses?: readonly number[];
  /** The request; `allowed` says whether to arrange what a success needs (a fresh member, an item to delete). */
  request(caller: Caller, allowed: boolean): Request | Promise<Request>;
}

/** A well-formed id nothing has: for callers that must be refused before anything is looked up. */
const NO_ID = '0190f5a2-0000-7000-8000-000000000000';
const AT = '2026-11-28T10:00:00.000Z';

let t: TestApp;
let workspaceId: string;
let owner: Session;
/** A colleague the administrators act on (role, team); never a caller. */
let colleague: { userId: string; email: string };
let invitationToken: string;
/** An administrator's token made for reading only: it carries none of their capabilities and no write. */
const READ_ONLY: TokenNarrowing = { readOnly: true };
let readOnlyToken: string;
const callers = new Map<string, Caller>();
let serial = 0;

const next = () => ++serial;
const nextIp = () => {
  const n = next();
  return `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

async function asOwner(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const response = await call(t, method, url, { session: owner, body });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} as the owner: ${response.statusCode} ${response.body}`);
  return response.statusCode === 204 ? null : response.json();
}

async function addUser(role: string, teamId: string | null) {
  const email = uniqueEmail(role);
  const user = await t.services.users.add(systemActor(workspaceId, 'test'), { workspaceId, email, displayName: role, password: STRONG_PASSWORD, role, teamId });
  return { userId: user.id, email };
}

/** Another member of the caller's role and team, signed in: for routes that change or end the user they act on. */
async function freshMember(caller: Caller): Promise<Session> {
  const { email } = await addUser(caller.role!.key, caller.teamId);
  return signIn(t, email, STRONG_PASSWORD, { ip: nextIp() });
}

const anotherSession = (caller: Caller) => signIn(t, caller.email, STRONG_PASSWORD, { ip: nextIp() });
const invite = async () => asOwner('POST', '/api/admin/invitations', { email: uniqueEmail('invited'), role: 'read_only' });
const customField = async () => {
  const key = `matrix${next()}`;
  await asOwner('POST', '/api/admin/fields', { kind: 'person', key, type: 'text', labels: { en: key, 'zh-CN': key }, sensitivity: 'internal' });
  return key;
};
const customRole = async () => {
  const key = `matrix_${next()}`;
  await asOwner('POST', '/api/admin/roles', { key, labels: { en: key, 'zh-CN': key }, permissions: DEFAULT_ROLES.find((r) => r.key === 'read_only')!.permissions });
  return key;
};

const ROUTES: RouteCase[] = [
  // First run, the API's description and its docs page (the swagger-ui plugin's own routes).
  { route: 'GET /api/setup', needs: PUBLIC, request: () => ({ url: '/api/setup' }) },
  {
    route: 'POST /api/setup',
    needs: PUBLIC,
    // The workspace exists: 409 already_set_up, whoever asks.
    alsoPasses: [409],
    request: () => ({ url: '/api/setup', body: { setupToken: 'x'.repeat(43), workspaceName: 'Second', email: uniqueEmail('setup'), displayName: 'Setup', password: STRONG_PASSWORD } }),
  },
  { route: 'GET /api/openapi.json', needs: PUBLIC, request: () => ({ url: '/api/openapi.json' }) },
  { route: 'GET /api/docs', needs: PUBLIC, request: () => ({ url: '/api/docs' }) },
  { route: 'HEAD /api/docs/', needs: PUBLIC, request: () => ({ url: '/api/docs/' }) },
  // Redirects to the docs page.
  { route: 'GET /api/docs/static/index.html', needs: PUBLIC, alsoPasses: [302], request: () => ({ url: '/api/docs/static/index.html' }) },
  { route: 'GET /api/docs/static/swagger-initializer.js', needs: PUBLIC, request: () => ({ url: '/api/docs/static/swagger-initializer.js' }) },
  { route: 'GET /api/docs/static/*', needs: PUBLIC, request: () => ({ url: '/api/docs/static/swagger-ui.css' }) },
  { route: 'GET /api/docs/json', needs: PUBLIC, request: () => ({ url: '/api/docs/json' }) },
  { route: 'GET /api/docs/yaml', needs: PUBLIC, request: () => ({ url: '/api/docs/yaml' }) },

  // Sign-in and invitations.
  { route: 'POST /api/auth/login', needs: PUBLIC, request: () => ({ url: '/api/auth/login', body: { email: colleague.email, password: STRONG_PASSWORD } }) },
  { route: 'POST /api/auth/password-check', needs: PUBLIC, request: () => ({ url: '/api/auth/password-check', body: { password: 'tulip-cobalt-meadow-83' } }) },
  { route: 'GET /api/invitations/:token', needs: PUBLIC, request: () => ({ url: `/api/invitations/${invitationToken}` }) },
  {
    route: 'POST /api/invitations/accept',
    needs: PUBLIC,
    request: async () => ({ url: '/api/invitations/accept', body: { token: new URL((await invite()).inviteUrl).hash.replace('#token=', ''), displayName: 'Invited', password: STRONG_PASSWORD } }),
  },
  { route: 'POST /api/auth/logout', needs: MEMBER, request: async (c, allowed) => ({ url: '/api/auth/logout', ...(allowed ? { session: await anotherSession(c) } : {}) }) },
  { route: 'GET /api/auth/me', needs: MEMBER, request: () => ({ url: '/api/auth/me' }) },
  { route: 'POST /api/auth/reauth', needs: MEMBER, request: () => ({ url: '/api/auth/reauth', body: { password: STRONG_PASSWORD } }) },

  // The signed-in user's own account.
  { route: 'PATCH /api/account', needs: MEMBER, request: (c) => ({ url: '/api/account', body: { displayName: c.name } }) },
  {
    route: 'POST /api/account/email',
    needs: MEMBER,
    request: async (c, allowed) => ({ url: '/api/account/email', body: { email: uniqueEmail('changed') }, ...(allowed ? { session: await freshMember(c) } : {}) }),
  },
  {
    route: 'POST /api/account/password',
    needs: MEMBER,
    request: async (c, allowed) => ({
      url: '/api/account/password',
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'granite-lantern-orchid-72' },
      ...(allowed ? { session: await freshMember(c) } : {}),
    }),
  },
  { route: 'GET /api/account/mfa', needs: MEMBER, request: () => ({ url: '/api/account/mfa' }) },
  { route: 'POST /api/account/mfa/totp/setup', needs: MEMBER, request: () => ({ url: '/api/account/mfa/totp/setup' }) },
  {
    route: 'POST /api/account/mfa/totp/enable',
    needs: MEMBER,
    request: async (c, allowed) => {
      if (!allowed) return { url: '/api/account/mfa/totp/enable', body: { code: '000000' } };
      const session = await freshMember(c);
      const secret: string = (await call(t, 'POST', '/api/account/mfa/totp/setup', { session })).json().secret;
      return { url: '/api/account/mfa/totp/enable', body: { code: totpCode(secret, t.clock.now()) }, session };
    },
  },
  { route: 'POST /api/account/mfa/totp/disable', needs: MEMBER, request: () => ({ url: '/api/account/mfa/totp/disable' }) },
  {
    route: 'POST /api/account/mfa/recovery-codes',
    needs: MEMBER,
    request: async (c, allowed) => {
      if (!allowed) return { url: '/api/account/mfa/recovery-codes' };
      const session = await freshMember(c);
      await enrolTotp(t, session);
      return { url: '/api/account/mfa/recovery-codes', session };
    },
  },
  { route: 'GET /api/account/sessions', needs: MEMBER, request: () => ({ url: '/api/account/sessions' }) },
  {
    route: 'DELETE /api/account/sessions/:id',
    needs: MEMBER,
    request: async (c, allowed) => {
      if (!allowed) return { url: `/api/account/sessions/${NO_ID}` };
      const session = await anotherSession(c);
      const sessions: { id: string; current: boolean }[] = (await call(t, 'GET', '/api/account/sessions', { session })).json().items;
      return { url: `/api/account/sessions/${sessions.find((s) => s.current)!.id}`, session };
    },
  },
  { route: 'POST /api/account/sessions/end-all', needs: MEMBER, request: async (c, allowed) => ({ url: '/api/account/sessions/end-all', ...(allowed ? { session: await freshMember(c) } : {}) }) },
  { route: 'GET /api/account/tokens', needs: MEMBER, request: () => ({ url: '/api/account/tokens' }) },
  { route: 'POST /api/account/tokens', needs: MEMBER, request: () => ({ url: '/api/account/tokens', body: { name: 'matrix' } }) },
  {
    route: 'DELETE /api/account/tokens/:id',
    needs: MEMBER,
    request: async (c, allowed) => {
      if (!allowed) return { url: `/api/account/tokens/${NO_ID}` };
      const made = await call(t, 'POST', '/api/account/tokens', { session: c.session!, body: { name: 'to revoke' } });
      return { url: `/api/account/tokens/${made.json().item.id}` };
    },
  },
  { route: 'GET /api/account/break-glass', needs: MEMBER, request: () => ({ url: '/api/account/break-glass' }) },
  {
    route: 'POST /api/account/break-glass',
    needs: [capability('breakGlass')],
    // A fresh member takes the grant: the caller's own session keeps its role's access for the other routes.
    request: async (c, allowed) => ({ url: '/api/account/break-glass', body: { reason: 'matrix check of the route' }, ...(allowed ? { session: await freshMember(c) } : {}) }),
  },
  // Nobody here holds a grant: 404 break_glass_not_found is the answer past the gate.
  { route: 'DELETE /api/account/break-glass', needs: MEMBER, alsoPasses: [404], request: () => ({ url: '/api/account/break-glass' }) },
  { route: 'GET /api/notifications', needs: MEMBER, request: () => ({ url: '/api/notifications' }) },
  {
    route: 'POST /api/notifications/:id/read',
    needs: MEMBER,
    request: async (c, allowed) => {
      if (!allowed) return { url: `/api/notifications/${NO_ID}/read` };
      await t.services.notifications.notify(t.db, workspaceId, [c.userId], 'break_glass.started', { userId: c.userId, displayName: c.name, reason: 'matrix', expiresAt: AT });
      const [latest] = await t.services.notifications.list(workspaceId, c.userId);
      return { url: `/api/notifications/${latest!.id}/read` };
    },
  },

  // Administration: `auth: 'admin'` lets the user administrators through; some routes ask for more.
  { route: 'GET /api/admin/settings', needs: [SETTINGS], request: () => ({ url: '/api/admin/settings' }) },
  { route: 'PATCH /api/admin/settings', needs: [SETTINGS], request: () => ({ url: '/api/admin/settings', body: { phoneRegion: 'CN' } }) },
  { route: 'GET /api/admin/users', needs: [ADMIN], request: () => ({ url: '/api/admin/users' }) },
  { route: 'PATCH /api/admin/users/:id', needs: [ADMIN], request: () => ({ url: `/api/admin/users/${colleague.userId}`, body: { role: 'read_only' } }) },
  {
    route: 'POST /api/admin/users/:id/deactivate',
    needs: [ADMIN],
    request: async (_c, allowed) => ({ url: `/api/admin/users/${allowed ? (await addUser('read_only', null)).userId : colleague.userId}/deactivate` }),
  },
  {
    route: 'POST /api/admin/users/:id/reactivate',
    needs: [ADMIN],
    request: async (_c, allowed) => {
      if (!allowed) return { url: `/api/admin/users/${colleague.userId}/reactivate` };
      const { userId } = await addUser('read_only', null);
      await asOwner('POST', `/api/admin/users/${userId}/deactivate`);
      return { url: `/api/admin/users/${userId}/reactivate` };
    },
  },
  { route: 'GET /api/admin/invitations', needs: [ADMIN], request: () => ({ url: '/api/admin/invitations' }) },
  { route: 'POST /api/admin/invitations', needs: [ADMIN], request: () => ({ url: '/api/admin/invitations', body: { email: uniqueEmail('invited'), role: 'read_only' } }) },
  {
    route: 'DELETE /api/admin/invitations/:id',
    needs: [ADMIN],
    request: async (_c, allowed) => ({ url: `/api/admin/invitations/${allowed ? (await invite()).invitation.id : NO_ID}` }),
  },
  {
    route: 'POST /api/admin/fields',
    needs: [SETTINGS],
    request: () => {
      const key = `matrix${next()}`;
      return { url: '/api/admin/fields', body: { kind: 'person', key, type: 'text', labels: { en: key, 'zh-CN': key }, sensitivity: 'internal' } };
    },
  },
  {
    route: 'PATCH /api/admin/fields/:kind/:key',
    needs: [SETTINGS],
    request: async (_c, allowed) => ({ url: `/api/admin/fields/person/${allowed ? await customField() : 'matrixNone'}`, body: { labels: { en: 'Renamed', 'zh-CN': '改名' } } }),
  },
  {
    route: 'POST /api/admin/fields/:kind/:key/reclassify',
    // Moving stored values between classes rewrites customers: the gateway also asks for customers.update.
    needs: [SETTINGS, may('customers', 'update')],
    request: async (_c, allowed) => ({
      url: `/api/admin/fields/person/${allowed ? await customField() : 'matrixNone'}/reclassify`,
      body: { sensitivity: 'personal', reason: 'matrix check' },
    }),
  },
  { route: 'GET /api/admin/roles', needs: [ADMIN], request: () => ({ url: '/api/admin/roles' }) },
  {
    route: 'POST /api/admin/roles',
    needs: [ADMIN, capability('manageRoles')],
    request: () => {
      const key = `matrix_${next()}`;
      return { url: '/api/admin/roles', body: { key, labels: { en: key, 'zh-CN': key }, permissions: DEFAULT_ROLES.find((r) => r.key === 'read_only')!.permissions } };
    },
  },
  {
    route: 'PATCH /api/admin/roles/:key',
    needs: [ADMIN, capability('manageRoles')],
    request: async (_c, allowed) => ({ url: `/api/admin/roles/${allowed ? await customRole() : 'matrix_none'}`, body: { labels: { en: 'Renamed', 'zh-CN': '改名' } } }),
  },
  {
    route: 'DELETE /api/admin/roles/:key',
    needs: [ADMIN, capability('manageRoles')],
    request: async (_c, allowed) => ({ url: `/api/admin/roles/${allowed ? await customRole() : 'matrix_none'}` }),
  },
  { route: 'GET /api/admin/teams', needs: [ADMIN], request: () => ({ url: '/api/admin/teams' }) },
  { route: 'POST /api/admin/teams', needs: [ADMIN, capability('manageTeams')], request: () => ({ url: '/api/admin/teams', body: { name: `Matrix ${next()}` } }) },
  {
    route: 'PATCH /api/admin/teams/:id',
    needs: [ADMIN, capability('manageTeams')],
    request: async (_c, allowed) => ({ url: `/api/admin/teams/${allowed ? (await asOwner('POST', '/api/admin/teams', { name: `Matrix ${next()}` })).id : NO_ID}`, body: { name: `Renamed ${next()}` } }),
  },
  {
    route: 'DELETE /api/admin/teams/:id',
    needs: [ADMIN, capability('manageTeams')],
    request: async (_c, allowed) => ({ url: `/api/admin/teams/${allowed ? (await asOwner('POST', '/api/admin/teams', { name: `Matrix ${next()}` })).id : NO_ID}` }),
  },
  { route: 'PUT /api/admin/users/:id/team', needs: [ADMIN, capability('manageTeams')], request: () => ({ url: `/api/admin/users/${colleague.userId}/team`, body: { teamId: null } }) },
  { route: 'GET /api/admin/keys', needs: [SETTINGS], request: () => ({ url: '/api/admin/keys' }) },
  { route: 'GET /api/audit', needs: [capability('readAudit')], request: () => ({ url: '/api/audit?action=customer.*&limit=10' }) },
  { route: 'GET /api/audit/exposure', needs: [capability('readAudit')], request: (c) => ({ url: `/api/audit/exposure?actor=${c.userId}` }) },
  { route: 'GET /api/audit/actors', needs: [capability('readAudit')], request: () => ({ url: '/api/audit/actors' }) },
  // Alerts: for those who may read the audit trail or change settings — among the built-in roles, exactly those with readAudit.
  { route: 'GET /api/alerts', needs: [capability('readAudit')], request: () => ({ url: '/api/alerts?status=all' }) },
  { route: 'GET /api/alerts/:id', needs: [capability('readAudit')], request: async (_c, allowed) => ({ url: `/api/alerts/${allowed ? await openAlert() : NO_ID}` }) },
  { route: 'POST /api/alerts/:id/acknowledge', needs: [capability('readAudit')], request: async (_c, allowed) => ({ url: `/api/alerts/${allowed ? await openAlert() : NO_ID}/acknowledge` }) },
  { route: 'POST /api/alerts/:id/resolve', needs: [capability('readAudit')], request: async (_c, allowed) => ({ url: `/api/alerts/${allowed ? await openAlert() : NO_ID}/resolve` }) },
  { route: 'GET /api/admin/alert-rules', needs: [SETTINGS], request: () => ({ url: '/api/admin/alert-rules' }) },
  { route: 'PUT /api/admin/alert-rules', needs: [SETTINGS], request: () => ({ url: '/api/admin/alert-rules', body: { rules: [{ key: 'off_hours', enabled: true }] } }) },
  // The rewrap runs in the background: one started by an earlier caller may still be running (409 rewrap_running).
  { route: 'POST /api/admin/keys/rotate', needs: [SETTINGS], alsoPasses: [409], request: () => ({ url: '/api/admin/keys/rotate' }) },
  { route: 'POST /api/admin/keys/rewrap', needs: [SETTINGS], alsoPasses: [409], request: () => ({ url: '/api/admin/keys/rewrap' }) },
  // Cancelling a rewrap that already finished: 409 rewrap_not_running.
  { route: 'DELETE /api/admin/keys/rewrap', needs: [SETTINGS], alsoPasses: [409], request: () => ({ url: '/api/admin/keys/rewrap' }) },
  // No backup of that name in the backup folder: 404 backup_not_found, once the caller is authorized (recover.test.ts recovers).
  { route: 'POST /api/admin/backups/recover', needs: [SETTINGS, may('customers', 'update')], alsoPasses: [404], request: (c) => ({ url: '/api/admin/backups/recover', body: { file: 'none.custos', customerIds: [c.records.customer] } }) },
  { route: 'GET /api/admin/backups', needs: [SETTINGS], request: () => ({ url: '/api/admin/backups' }) },
  { route: 'PUT /api/admin/backups/schedule', needs: [SETTINGS], request: () => ({ url: '/api/admin/backups/schedule', body: { enabled: true, timeOfDay: '02:00' } }) },
  // Runs in the background: one started by an earlier caller may still be running (409 backup_running).
  { route: 'POST /api/admin/backups', needs: [SETTINGS], alsoPasses: [409], request: () => ({ url: '/api/admin/backups' }) },
  // No such run: 404 backup_run_not_found, once the caller is authorized.
  { route: 'GET /api/admin/backups/runs/:id', needs: [SETTINGS], alsoPasses: [404], request: () => ({ url: `/api/admin/backups/runs/${NO_ID}` }) },

  // Customers, through the records gateway: an object, an action, some scope for it.
  { route: 'POST /api/customers', needs: [may('customers', 'create')], request: () => ({ url: '/api/customers', body: { kind: 'person', name: 'Matrix Person' } }) },
  { route: 'GET /api/customers', needs: [may('customers', 'read')], request: () => ({ url: '/api/customers' }) },
  { route: 'GET /api/customers/fields', needs: [may('customers', 'read')], request: () => ({ url: '/api/customers/fields' }) },
  { route: 'GET /api/customers/:id', needs: [may('customers', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}` }) },
  { route: 'GET /api/customers/:id/history', needs: [may('customers', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/history` }) },
  { route: 'PATCH /api/customers/:id', needs: [may('customers', 'update')], request: (c) => ({ url: `/api/customers/${c.records.customer}`, body: { source: 'matrix' } }) },
  { route: 'DELETE /api/customers/:id', needs: [may('customers', 'delete')], request: (c) => ({ url: `/api/customers/${c.records.toDelete}` }) },
  { route: 'POST /api/customers/:id/restore', needs: [may('customers', 'delete')], request: (c) => ({ url: `/api/customers/${c.records.deleted}/restore` }) },
  { route: 'POST /api/customers/:id/erase', needs: [may('customers', 'delete')], request: (c) => ({ url: `/api/customers/${c.records.toErase}/erase`, body: { reason: 'matrix check' } }) },
  {
    route: 'POST /api/customers/:id/reveal',
    needs: [may('customers', 'reveal')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/reveal`, body: { fields: ['nationalId'], reason: 'matrix check' } }),
  },
  { route: 'GET /api/customers/:id/preferences', needs: [may('customers', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/preferences` }) },
  {
    route: 'PUT /api/customers/:id/preferences',
    needs: [may('customers', 'update')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/preferences`, body: { channels: ['email'], language: 'en', topics: [], doNotContact: false } }),
  },
  {
    route: 'POST /api/customers/:id/transactions',
    needs: [may('transactions', 'create')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/transactions`, body: { occurredAt: AT, amountMinor: 1200, currency: 'CNY', status: 'paid' } }),
  },
  { route: 'GET /api/customers/:id/transactions', needs: [may('transactions', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/transactions` }) },
  {
    route: 'POST /api/events',
    needs: [may('events', 'create')],
    request: (c) => ({ url: '/api/events', body: { events: [{ customerId: c.records.customer, type: 'page.viewed', occurredAt: AT }] } }),
  },
  { route: 'GET /api/customers/:id/events', needs: [may('events', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/events` }) },
  {
    route: 'POST /api/customers/:id/contact-points',
    needs: [may('contact_points', 'create')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/contact-points`, body: { type: 'im', channel: 'qq', value: `matrix${next()}` } }),
  },
  { route: 'GET /api/customers/:id/contact-points', needs: [may('contact_points', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/contact-points` }) },
  {
    route: 'POST /api/customers/:id/contact-points/:contactPointId/primary',
    needs: [may('contact_points', 'update')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/contact-points/${c.records.imHandle}/primary` }),
  },
  {
    route: 'DELETE /api/customers/:id/contact-points/:contactPointId',
    needs: [may('contact_points', 'delete')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/contact-points/${c.records.spareContactPoint}` }),
  },
  { route: 'POST /api/customers/:id/notes', needs: [may('notes', 'create')], request: (c) => ({ url: `/api/customers/${c.records.customer}/notes`, body: { body: 'Called back.' } }) },
  { route: 'GET /api/customers/:id/notes', needs: [may('notes', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/notes` }) },
  { route: 'DELETE /api/customers/:id/notes/:noteId', needs: [may('notes', 'delete')], request: (c) => ({ url: `/api/customers/${c.records.customer}/notes/${c.records.spareNote}` }) },
  {
    route: 'POST /api/customers/:id/addresses',
    needs: [may('addresses', 'create')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/addresses`, body: { type: 'work', country: 'CN', street: '88 Century Avenue' } }),
  },
  { route: 'GET /api/customers/:id/addresses', needs: [may('addresses', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/addresses` }) },
  {
    route: 'PATCH /api/customers/:id/addresses/:addressId',
    needs: [may('addresses', 'update')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/addresses/${c.records.address}`, body: { label: 'Office' } }),
  },
  {
    route: 'DELETE /api/customers/:id/addresses/:addressId',
    needs: [may('addresses', 'delete')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/addresses/${c.records.spareAddress}` }),
  },
  { route: 'POST /api/customers/:id/cases', needs: [may('cases', 'create')], request: (c) => ({ url: `/api/customers/${c.records.customer}/cases`, body: { subject: 'Refund' } }) },
  { route: 'GET /api/customers/:id/cases', needs: [may('cases', 'read')], request: (c) => ({ url: `/api/customers/${c.records.customer}/cases` }) },
  {
    route: 'POST /api/customers/:id/cases/:caseId/close',
    // Closing updates the case and reads the customer it is on.
    needs: [may('cases', 'update'), may('cases', 'read')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/cases/${c.records.openCase}/close` }),
  },

  // Handing customers to another owner: the capability, and the customer within the update scope.
  { route: 'GET /api/customers/assignable-owners', needs: [capability('reassignOwner'), may('customers', 'update')], request: () => ({ url: '/api/customers/assignable-owners' }) },
  {
    route: 'PUT /api/customers/:id/owner',
    // To its owner again: the gateway leaves a customer already there alone.
    needs: [capability('reassignOwner'), may('customers', 'update')],
    request: (c) => ({ url: `/api/customers/${c.records.customer}/owner`, body: { ownerId: c.userId } }),
  },
  {
    route: 'POST /api/customers/reassign',
    needs: [capability('reassignOwner'), may('customers', 'update')],
    request: (c) => ({ url: '/api/customers/reassign', body: { ids: [c.records.customer], ownerId: c.userId } }),
  },

  // Imports (imports/). The table's requests are JSON: the upload takes the file as raw bytes, so an
  // allowed caller gets past authorization to the 415 that asks for them. Cancel and resume on an
  // import that is not running (or not stopped) answer 409 once authorized.
  { route: 'POST /api/imports', needs: IMPORT, alsoPasses: [415], request: () => ({ url: '/api/imports?name=list.csv', body: {} }) },
  { route: 'GET /api/imports', needs: IMPORT, request: () => ({ url: '/api/imports' }) },
  { route: 'GET /api/imports/:id', needs: IMPORT, request: async (c, allowed) => ({ url: `/api/imports/${allowed ? await importOf(c) : NO_ID}` }) },
  { route: 'POST /api/imports/:id/start', needs: IMPORT, request: async (c, allowed) => ({ url: `/api/imports/${allowed ? await importOf(c) : NO_ID}/start`, body: IMPORT_START }) },
  { route: 'POST /api/imports/:id/cancel', needs: IMPORT, alsoPasses: [409], request: async (c, allowed) => ({ url: `/api/imports/${allowed ? await importOf(c) : NO_ID}/cancel` }) },
  { route: 'POST /api/imports/:id/resume', needs: IMPORT, alsoPasses: [409], request: async (c, allowed) => ({ url: `/api/imports/${allowed ? await importOf(c) : NO_ID}/resume` }) },
  { route: 'GET /api/imports/:id/errors', needs: IMPORT, request: async (c, allowed) => ({ url: `/api/imports/${allowed ? await importOf(c) : NO_ID}/errors` }) },
  // Exports of the customers list (exports/): the export action, and reading what is exported. A job is its creator's alone.
  { route: 'GET /api/customers/exports/estimate', needs: EXPORT, request: () => ({ url: '/api/customers/exports/estimate?kind=company&column=name' }) },
  { route: 'POST /api/customers/exports', needs: EXPORT, request: () => ({ url: '/api/customers/exports', body: EXPORT_BODY }) },
  { route: 'GET /api/customers/exports/:id', needs: EXPORT, request: async (c, allowed) => ({ url: `/api/customers/exports/${allowed ? await exportOf(c) : NO_ID}` }) },
  // 409: the caller's export already finished (it is small), so there was nothing left to cancel.
  { route: 'POST /api/customers/exports/:id/cancel', needs: EXPORT, alsoPasses: [409], request: async (c, allowed) => ({ url: `/api/customers/exports/${allowed ? await exportOf(c) : NO_ID}/cancel` }) },
  { route: 'GET /api/customers/exports/:id/file', needs: EXPORT, request: async (c, allowed) => ({ url: `/api/customers/exports/${allowed ? await exportOf(c, { finished: true }) : NO_ID}/file` }) },

  // Saved views of the customers list: for whoever may read customers.
  { route: 'GET /api/views', needs: [may('customers', 'read')], request: () => ({ url: '/api/views' }) },
  { route: 'POST /api/views', needs: [may('customers', 'read')], request: () => ({ url: '/api/views', body: { name: 'Leads', definition: { kind: 'person' } } }) },
  {
    route: 'PATCH /api/views/:id',
    needs: [may('customers', 'read')],
    request: async (c, allowed) => ({ url: `/api/views/${allowed ? await viewOf(c) : NO_ID}`, body: { name: 'Renamed' } }),
  },
  { route: 'DELETE /api/views/:id', needs: [may('customers', 'read')], request: async (c, allowed) => ({ url: `/api/views/${allowed ? await viewOf(c) : NO_ID}` }) },

  // The data-quality report: counts over every customer, for the settings managers and for roles that read every customer anyway.
  // 409: another caller's report is still running (one at a time per workspace), or the one cancelled has finished.
  { route: 'POST /api/quality/reports', needs: [QUALITY], alsoPasses: [409], request: () => ({ url: '/api/quality/reports', body: { staleMonths: 6 } }) },
  { route: 'GET /api/quality/reports/latest', needs: [QUALITY], request: () => ({ url: '/api/quality/reports/latest' }) },
  { route: 'GET /api/quality/reports/:id', needs: [QUALITY], request: async (_c, allowed) => ({ url: `/api/quality/reports/${allowed ? await qualityReport() : NO_ID}` }) },
  {
    route: 'POST /api/quality/reports/:id/cancel',
    needs: [QUALITY],
    alsoPasses: [409],
    request: async (_c, allowed) => ({ url: `/api/quality/reports/${allowed ? await qualityReport() : NO_ID}/cancel` }),
  },

  // Duplicates and merges (duplicates/): listing reads customers (pairs out of reach are left out); dismissing updates; merging and undoing update and delete both records.
  { route: 'GET /api/duplicates', needs: [may('customers', 'read')], request: () => ({ url: '/api/duplicates' }) },
  { route: 'POST /api/duplicates/:id/dismiss', needs: [may('customers', 'update')], request: async (c, allowed) => ({ url: `/api/duplicates/${allowed ? await candidateOf(c) : NO_ID}/dismiss` }) },
  { route: 'POST /api/duplicates/scan', needs: [SETTINGS], request: () => ({ url: '/api/duplicates/scan' }) },
  { route: 'GET /api/duplicates/scan', needs: [SETTINGS], request: () => ({ url: '/api/duplicates/scan' }) },
  {
    route: 'POST /api/customers/merge',
    needs: MERGE,
    request: async (c, allowed) => {
      const [survivorId, mergedId] = allowed ? await twinsOf(c) : [NO_ID, c.records.customer];
      return { url: '/api/customers/merge', body: { survivorId, mergedId, fields: {} } };
    },
  },
  { route: 'GET /api/customers/merges', needs: MERGE, request: () => ({ url: '/api/customers/merges' }) },
  { route: 'POST /api/customers/merges/:id/undo', needs: MERGE, request: async (c, allowed) => ({ url: `/api/customers/merges/${allowed ? await mergeOf(c) : NO_ID}/undo` }) },
];

/** Two customers of the caller's sharing an email: a duplicate pair within whatever scope their role has. */
async function twinsOf(caller: Caller): Promise<[string, string]> {
  const actor = await asMemberWithOwnerAccess(caller.userId, caller.teamId);
  const email = uniqueEmail('twin');
  const a = (await t.services.vault.create(actor, { kind: 'person', name: 'Zhou Jie', email })).id;
  const b = (await t.services.vault.create(actor, { kind: 'person', name: 'Zhou Jie', email })).id;
  return [a, b];
}

async function candidateOf(caller: Caller): Promise<string> {
  const [a, b] = await twinsOf(caller);
  const row = await t.db.selectFrom('duplicate_candidates').select('id').where('customer_a', '=', a < b ? a : b).executeTakeFirstOrThrow();
  return row.id;
}

async function mergeOf(caller: Caller): Promise<string> {
  const [survivorId, mergedId] = await twinsOf(caller);
  return (await t.services.vault.merge(await asMemberWithOwnerAccess(caller.userId, caller.teamId), { survivorId, mergedId, fields: {} })).mergeId;
}

/** The workspace's newest data-quality report, started by the owner when there is none yet. */
async function qualityReport(): Promise<string> {
  const { latest } = (await call(t, 'GET', '/api/quality/reports/latest', { session: owner })).json();
  return latest?.id ?? (await asOwner('POST', '/api/quality/reports', {})).id;
}

/** An open alert about the workspace's colleague, as the detector would store it: for the routes that read or move one. */
async function openAlert(): Promise<string> {
  const id = newId();
  const at = Date.parse(AT);
  await t.db
    .insertInto('alerts')
    .values({
      workspace_id: workspaceId,
      id,
      rule: 'repeated_denials',
      severity: 'medium',
      subject: colleague.userId,
      actor_type: 'user',
      actor_id: colleague.userId,
      token_id: null,
      ip: null,
      window_start: at,
      window_end: at,
      count: 10,
      threshold: 10,
      details: '{}',
      first_seq: 1,
      last_seq: 1,
      status: 'open',
      raised_at: at,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      resolved_by: null,
      action: 'none',
      action_result: 'none',
      mail: 'off',
    })
    .execute();
  return id;
}

/** A file the caller uploaded to import (not started). */
async function importOf(caller: Caller): Promise<string> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/imports?name=list.csv',
    headers: { cookie: caller.session!.cookieHeader, 'x-csrf-token': caller.session!.csrfToken, 'content-type': 'application/octet-stream' },
    payload: Buffer.from(`name,email\nMatrix ${next()},matrix${serial}@example.com\n`),
    remoteAddress: caller.ip,
  });
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

/** An export the caller started (and, with `finished`, that has finished writing its file). */
async function exportOf(caller: Caller, options: { finished?: boolean } = {}): Promise<string> {
  const id: string = (await call(t, 'POST', '/api/customers/exports', { session: caller.session!, body: EXPORT_BODY })).json().id;
  for (let tries = 0; options.finished && tries < 500; tries++) {
    if ((await call(t, 'GET', `/api/customers/exports/${id}`, { session: caller.session! })).json().status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return id;
}

async function viewOf(caller: Caller): Promise<string> {
  return (await call(t, 'POST', '/api/views', { session: caller.session!, body: { name: `View ${next()}`, definition: {} } })).json().id;
}

/** The routes outside /api: the health check and the web app's files, both open to anyone. */
const OUTSIDE_API = new Set(['GET /healthz', 'GET /*']);

/** Registered routes as `METHOD /url`; a HEAD route Fastify adds beside a GET shares that GET's line of the table. */
function registered(): string[] {
  const all = new Set(t.routes.map((r) => `${r.method} ${r.url}`));
  return [...all].filter((line) => !(line.startsWith('HEAD ') && all.has(line.replace(/^HEAD /, 'GET '))));
}

/** Owner-level access held by a member, for making the records they own whatever their role may create. */
async function asMemberWithOwnerAccess(userId: string, teamId: string): Promise<Actor> {
  const access = await t.services.access.resolve(workspaceId, userId, 'owner', teamId);
  return { kind: 'user', workspaceId, userId, role: 'owner', access, breakGlassId: null, sessionId: null, tokenId: null, reauthAt: null, ip: null, userAgent: null };
}

async function recordsOf(userId: string, teamId: string): Promise<Records> {
  const actor = await asMemberWithOwnerAccess(userId, teamId);
  const { vault } = t.services;
  const person = async (name: string) => (await vault.create(actor, { kind: 'person', name })).id;
  const customer = await person('Zhang Wei');
  const imHandle = (await vault.addContactPoint(actor, customer, { type: 'im', channel: 'wechat', value: `zhangwei${next()}` })).id;
  const spareContactPoint = (await vault.addContactPoint(actor, customer, { type: 'im', channel: 'telegram', value: `zhangwei${next()}` })).id;
  const spareNote = (await vault.addNote(actor, customer, 'Prefers mornings.')).id;
  const address = (await vault.addAddress(actor, customer, { type: 'home', country: 'CN', street: '1 Nanjing Road' })).id;
  const spareAddress = (await vault.addAddress(actor, customer, { type: 'billing', country: 'CN', street: '2 Huaihai Road' })).id;
  const openCase = (await vault.openCase(actor, customer, { subject: 'Delivery late' })).id;
  const deleted = await person('Li Na');
  await vault.remove(actor, deleted);
  return { customer, imHandle, spareContactPoint, spareNote, address, spareAddress, openCase, toDelete: await person('Wang Fang'), toErase: await person('Liu Yang'), deleted };
}

beforeAll(async () => {
  t = await createTestApp();
  ({ workspaceId, admin: owner } = await workspaceWithAdmin(t));
  colleague = await addUser('read_only', null);
  invitationToken = new URL((await invite()).inviteUrl).hash.replace('#token=', '');
  const system = systemActor(workspaceId, 'test');
  for (const role of DEFAULT_ROLES) {
    // Each member in a team of their own: what a team or sub-team scope reaches is theirs alone.
    const teamId = (await t.services.access.addTeam(system, { name: `Team ${role.key}` })).id;
    const { userId, email } = await addUser(role.key, teamId);
    const session = await signIn(t, email, STRONG_PASSWORD, { ip: nextIp() });
    callers.set(role.key, { name: role.key, role, session, email, userId, teamId, ip: nextIp(), records: await recordsOf(userId, teamId) });
  }
  // Not signed in: any member's records give its requests well-formed ids.
  callers.set('anonymous', { ...callers.get('owner')!, name: 'anonymous', role: null, session: null, ip: nextIp() });
  readOnlyToken = (await call(t, 'POST', '/api/account/tokens', { session: callers.get('admin')!.session!, body: { name: 'read only', narrowing: READ_ONLY } })).json().token;
});
afterAll(async () => {
  await t?.close();
});

describe('the route table', () => {
  it('lists every /api route the app registers, and no other', () => {
    const routes = registered().filter((line) => line.split(' ')[1]!.startsWith('/api'));
    expect(ROUTES.map((r) => r.route).sort()).toEqual(routes.sort());
  });

  it('leaves outside /api only the public health check and web app', async () => {
    expect(registered().filter((line) => !line.split(' ')[1]!.startsWith('/api') && !OUTSIDE_API.has(line))).toEqual([]);
    expect((await call(t, 'GET', '/healthz')).statusCode).toBe(200);
  });
});

const CALLERS = [...DEFAULT_ROLES.map((role) => role.key), 'anonymous'];

describe.each(ROUTES)('$route', (route) => {
  it.each(CALLERS)('as %s', async (name) => {
    const caller = callers.get(name)!;
    const allowed = route.needs === PUBLIC || (caller.role !== null && satisfies(caller.role.permissions, route.needs));
    const request = await route.request(caller, allowed);
    const method = route.route.split(' ')[0]!;
    // The caller who is not signed in never sends a session, whatever the request arranged.
    const session = caller.session ? (request.session ?? caller.session) : undefined;
    const response =
      method === 'HEAD'
        ? // Only the docs page answers HEAD on its own, and it is public: no session to send.
          await t.app.inject({ method, url: request.url, remoteAddress: caller.ip })
        : await call(t, method as Method, request.url, { session, body: request.body, ip: caller.ip });
    const seen = `${route.route} as ${name} → ${request.url}: ${response.statusCode} ${response.body.slice(0, 300)}`;

    if (allowed) {
      const passed = (response.statusCode >= 200 && response.statusCode < 300) || (route.alsoPasses ?? []).includes(response.statusCode);
      expect(passed, seen).toBe(true);
    } else if (caller.role === null) {
      expect(response.statusCode, seen).toBe(401);
    } else {
      expect(response.statusCode, seen).toBe(403);
      expect(response.json().error.code, seen).toBe('forbidden');
    }
  });
});

describe('a token narrowed to reading', () => {
  const admin = DEFAULT_ROLES.find((role) => role.key === 'admin')!;
  const refused = ROUTES.filter((route) => route.needs !== PUBLIC && satisfies(admin.permissions, route.needs) && !satisfies(narrow(admin.permissions, READ_ONLY), route.needs));

  it.each(refused)('is refused $route, though its administrator may', async (route) => {
    const caller = callers.get('admin')!;
    const request = await route.request(caller, false);
    const response = await call(t, route.route.split(' ')[0] as Method, request.url, { token: readOnlyToken, body: request.body, ip: caller.ip });
    expect(response.statusCode, `${route.route}: ${response.statusCode} ${response.body.slice(0, 300)}`).toBe(403);
  });
});
