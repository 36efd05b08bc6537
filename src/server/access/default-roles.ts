import { ACTIONS, CAPABILITIES, OBJECTS, type Action, type FieldAccess, type ObjectKey, type RoleDefinition, type Scope } from '../../shared/permissions.js';

// The roles every workspace starts with. A workspace may change a built-in role (the change is
// stored as a row and wins) or add its own; deleting a built-in role is not possible.

type Grants = Partial<Record<Action, Scope>>;

/** The same grants on every customer object. */
const onEveryObject = (grants: Grants): Partial<Record<ObjectKey, Grants>> => Object.fromEntries(OBJECTS.map((object) => [object, grants]));
const everything = (scope: Scope): Grants => Object.fromEntries(ACTIONS.map((action) => [action, scope]));

/** Personal values in clear on the user's own and team records, masked on the others they may read. */
const CLEAR_ON_OWN_AND_TEAM: FieldAccess = { own: 'write', team: 'write', case: 'masked', other: 'masked' };
const MASKED: FieldAccess = 'masked';

export const DEFAULT_ROLES: readonly RoleDefinition[] = [
  {
    key: 'owner',
    labels: { en: 'Owner', 'zh-CN': '所有者' },
    builtIn: true,
    permissions: {
      objects: onEveryObject(everything('all')),
      fields: { byClass: { public: 'write', internal: 'write', personal: 'write', sensitive: 'write' }, byField: {} },
      capabilities: [...CAPABILITIES],
    },
  },
  {
    key: 'admin',
    labels: { en: 'Administrator', 'zh-CN': '管理员' },
    builtIn: true,
    // Everything but revealing sensitive values: an administrator who needs that uses break-glass.
    permissions: {
      objects: onEveryObject({ ...everything('all'), reveal: 'none' }),
      fields: { byClass: { public: 'write', internal: 'write', personal: 'write', sensitive: 'write' }, byField: {} },
      capabilities: [...CAPABILITIES],
    },
  },
  {
    key: 'sales_manager',
    labels: { en: 'Sales manager', 'zh-CN': '销售经理' },
    builtIn: true,
    permissions: {
      objects: onEveryObject({ read: 'subteams', create: 'subteams', update: 'subteams', delete: 'subteams', export: 'subteams', import: 'subteams', reveal: 'subteams' }),
      fields: { byClass: { public: 'write', internal: 'write', personal: 'write', sensitive: 'masked' }, byField: {} },
      capabilities: ['reassignOwner'],
    },
  },
  {
    key: 'sales_rep',
    labels: { en: 'Sales rep', 'zh-CN': '销售代表' },
    builtIn: true,
    permissions: {
      objects: onEveryObject({ read: 'subteams', create: 'own', update: 'team', delete: 'own' }),
      fields: { byClass: { public: 'write', internal: 'write', personal: CLEAR_ON_OWN_AND_TEAM, sensitive: 'hidden' }, byField: {} },
      capabilities: [],
    },
  },
  {
    key: 'support_agent',
    labels: { en: 'Support agent', 'zh-CN': '客服专员' },
    builtIn: true,
    permissions: {
      objects: { ...onEveryObject({ read: 'all' }), notes: { read: 'all', create: 'all' }, cases: { read: 'all', create: 'all', update: 'own' } },
      fields: {
        byClass: { public: 'read', internal: 'read', personal: MASKED, sensitive: 'hidden' },
        // The phone of a customer in an open case the agent owns, in clear: they are calling them back.
        byField: { 'person.phone': { own: 'read', team: 'masked', case: 'read', other: 'masked' } },
      },
      capabilities: [],
    },
  },
  {
    key: 'analyst',
    labels: { en: 'Marketing analyst', 'zh-CN': '市场分析师' },
    builtIn: true,
    permissions: {
      objects: { customers: { read: 'all', export: 'all' }, transactions: { read: 'all', export: 'all' }, events: { read: 'all', export: 'all' } },
      fields: { byClass: { public: 'read', internal: 'read', personal: MASKED, sensitive: 'hidden' }, byField: {} },
      capabilities: [],
    },
  },
  {
    key: 'auditor',
    labels: { en: 'Auditor / DPO', 'zh-CN': '审计员 / 数据保护官' },
    builtIn: true,
    permissions: {
      objects: onEveryObject({ read: 'all' }),
      fields: { byClass: { public: 'read', internal: 'read', personal: MASKED, sensitive: 'hidden' }, byField: {} },
      capabilities: ['readAudit'],
    },
  },
  {
    key: 'read_only',
    labels: { en: 'Read-only', 'zh-CN': '只读' },
    builtIn: true,
    permissions: {
      objects: onEveryObject({ read: 'team' }),
      fields: { byClass: { public: 'read', internal: 'read', personal: { own: 'read', team: 'read', case: 'masked', other: 'masked' }, sensitive: 'hidden' }, byField: {} },
      capabilities: [],
    },
  },
];
