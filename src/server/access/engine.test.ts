import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SENSITIVITY_CLASSES, type FieldDefinition } from '../../shared/fields.js';
import { ACTIONS, FIELD_LEVELS, OBJECTS, RELATIONS, SCOPES, scopeRank, type FieldAccess, type RolePermissions } from '../../shared/permissions.js';
import { BUILT_IN_FIELDS } from '../vault/built-in-fields.js';
import { DEFAULT_ROLES } from './default-roles.js';
import { fieldLevel, inScope, narrow, relationOf, scopeOf, within, type Access, type RecordTies } from './engine.js';

const level = fc.constantFrom(...FIELD_LEVELS);
const fieldAccess: fc.Arbitrary<FieldAccess> = fc.oneof(level, fc.record({ own: level, team: level, case: level, other: level }));
const permissions: fc.Arbitrary<RolePermissions> = fc.record({
  objects: fc.dictionary(fc.constantFrom(...OBJECTS), fc.dictionary(fc.constantFrom(...ACTIONS), fc.constantFrom(...SCOPES))),
  fields: fc.record({
    byClass: fc.record({ public: fieldAccess, internal: fieldAccess, personal: fieldAccess, sensitive: fieldAccess }),
    byField: fc.dictionary(fc.constantFrom(...BUILT_IN_FIELDS.map((f) => `${f.kind}.${f.key}`)), fieldAccess),
  }),
  capabilities: fc.constant([]),
});
const teams = ['t1', 't2', 't3', null] as const;
const users = ['u1', 'u2', 'u3', null] as const;
const record: fc.Arbitrary<RecordTies> = fc.record({
  ownerId: fc.constantFrom(...users),
  teamId: fc.constantFrom(...teams),
  openCaseOwners: fc.subarray(['u1', 'u2', 'u3']),
});
const accessOf = (perms: RolePermissions, extra: Partial<Access> = {}): Access => ({ userId: 'u1', teamId: 't1', subtree: new Set(['t1', 't2']), permissions: perms, ...extra });
const role = (key: string) => DEFAULT_ROLES.find((r) => r.key === key)!.permissions;
const field = (kind: 'person' | 'company', key: string): FieldDefinition => BUILT_IN_FIELDS.find((f) => f.kind === kind && f.key === key)!;

describe('the policy engine', () => {
  it('widens monotonically: a record in a scope is in every wider scope', () => {
    fc.assert(
      fc.property(permissions, record, fc.constantFrom(...SCOPES), fc.constantFrom(...SCOPES), (perms, rec, a, b) => {
        const [narrower, wider] = scopeRank(a) <= scopeRank(b) ? [a, b] : [b, a];
        if (inScope(accessOf(perms), narrower, rec)) expect(inScope(accessOf(perms), wider, rec)).toBe(true);
      }),
    );
  });

  it('denies by default: an object or action a role does not name has no scope', () => {
    fc.assert(
      fc.property(permissions, fc.constantFrom(...OBJECTS), fc.constantFrom(...ACTIONS), (perms, object, action) => {
        const granted = perms.objects[object]?.[action];
        expect(scopeOf(accessOf(perms), object, action)).toBe(granted ?? 'none');
        if (!granted) expect(inScope(accessOf(perms), scopeOf(accessOf(perms), object, action), { ownerId: 'u1', teamId: 't1' })).toBe(false);
      }),
    );
  });

  it('relates a record by the closest tie: owner, then team, then an open case, then none', () => {
    const access = accessOf(role('sales_rep'));
    expect(relationOf(access, { ownerId: 'u1', teamId: 't9', openCaseOwners: ['u1'] })).toBe('own');
    expect(relationOf(access, { ownerId: 'u2', teamId: 't1', openCaseOwners: ['u1'] })).toBe('team');
    expect(relationOf(access, { ownerId: 'u2', teamId: 't2', openCaseOwners: ['u1'] })).toBe('case');
    expect(relationOf(access, { ownerId: 'u2', teamId: 't2' })).toBe('other');
  });

  it('never lets a narrowed token exceed its owner', () => {
    const allFields = BUILT_IN_FIELDS;
    fc.assert(
      fc.property(
        permissions,
        fc.record({ readOnly: fc.boolean(), objects: fc.option(fc.subarray([...OBJECTS]), { nil: undefined }) }),
        (perms, narrowing) => {
          const narrowed = narrow(perms, narrowing);
          expect(within(narrowed, perms, allFields, RELATIONS)).toBe(true);
          if (narrowing.readOnly) {
            for (const grants of Object.values(narrowed.objects)) expect(Object.keys(grants ?? {}).every((action) => action === 'read')).toBe(true);
            for (const f of allFields) for (const relation of RELATIONS) expect(fieldLevel(accessOf(narrowed), f, relation)).not.toBe('write');
          }
          expect(narrowed.capabilities).toEqual([]);
        },
      ),
    );
  });

  it('hides every field a field-limited token was not made for', () => {
    const access = accessOf(role('owner'), { onlyFields: new Set(['person.name', 'person.email']) });
    expect(fieldLevel(access, field('person', 'email'), 'other')).toBe('write');
    expect(fieldLevel(access, field('person', 'phone'), 'own')).toBe('hidden');
  });

  it('prefers a field’s own rule to its class’s', () => {
    fc.assert(
      fc.property(permissions, fc.constantFrom(...BUILT_IN_FIELDS), fc.constantFrom(...RELATIONS), (perms, f, relation) => {
        const own = perms.fields.byField[`${f.kind}.${f.key}`];
        const expected = own ?? perms.fields.byClass[f.sensitivity];
        expect(fieldLevel(accessOf(perms), f, relation)).toBe(typeof expected === 'string' ? expected : expected[relation]);
      }),
    );
  });
});

describe('the default roles', () => {
  const personal = BUILT_IN_FIELDS.filter((f) => f.sensitivity === 'personal');
  const sensitive = BUILT_IN_FIELDS.filter((f) => f.sensitivity === 'sensitive');

  it('let a sales rep see personal values in clear on own and team records only, and never sensitive ones', () => {
    const rep = accessOf(role('sales_rep'));
    for (const f of personal) {
      expect(fieldLevel(rep, f, 'own')).toBe('write');
      expect(fieldLevel(rep, f, 'team')).toBe('write');
      expect(fieldLevel(rep, f, 'other')).toBe('masked');
    }
    for (const f of sensitive) for (const relation of RELATIONS) expect(fieldLevel(rep, f, relation)).toBe('hidden');
  });

  it('show a support agent contact fields masked, except the phone of customers in their open cases', () => {
    const agent = accessOf(role('support_agent'));
    expect(fieldLevel(agent, field('person', 'phone'), 'case')).toBe('read');
    expect(fieldLevel(agent, field('person', 'phone'), 'other')).toBe('masked');
    expect(fieldLevel(agent, field('person', 'email'), 'case')).toBe('masked');
  });

  it('never show an analyst, an auditor or a read-only user on other records personal data in clear', () => {
    for (const key of ['analyst', 'auditor']) {
      for (const f of [...personal, ...sensitive]) for (const relation of RELATIONS) expect(['hidden', 'masked'], `${key} ${f.key} ${relation}`).toContain(fieldLevel(accessOf(role(key)), f, relation));
    }
    for (const f of [...personal, ...sensitive]) expect(['hidden', 'masked']).toContain(fieldLevel(accessOf(role('read_only')), f, 'other'));
  });

  it('keep revealing sensitive values to the owner (administrators use break-glass)', () => {
    expect(scopeOf(accessOf(role('owner')), 'customers', 'reveal')).toBe('all');
    expect(scopeOf(accessOf(role('admin')), 'customers', 'reveal')).toBe('none');
  });

  it('cover every class in every role', () => {
    for (const r of DEFAULT_ROLES) expect(Object.keys(r.permissions.fields.byClass).sort()).toEqual([...SENSITIVITY_CLASSES].sort());
  });
});
