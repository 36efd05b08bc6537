import { describe, expect, it } from 'vitest';
import type { RolePermissions } from '../../../shared/permissions.js';
import { compactAccess, permissionChanges, permissionsToSave, sameAccess, scopeOf, withCapability, withClassAccess, withFieldAccess, withScope } from './permission-draft.js';
import { suggestRoleKey } from './role-key.js';

const salesRep: RolePermissions = {
  objects: { customers: { read: 'subteams', create: 'own', update: 'team' }, notes: { read: 'team' } },
  fields: { byClass: { public: 'write', internal: 'write', personal: { own: 'write', team: 'write', case: 'masked', other: 'masked' }, sensitive: 'hidden' }, byField: {} },
  capabilities: ['reassignOwner'],
};

describe('the permission draft behind the role matrix', () => {
  it('reads a grant the role does not name as none', () => {
    expect(scopeOf(salesRep, 'customers', 'read')).toBe('subteams');
    expect(scopeOf(salesRep, 'customers', 'export')).toBe('none');
    expect(scopeOf(salesRep, 'addresses', 'read')).toBe('none');
  });

  it('sets a cell without touching the saved role, and setting none removes the grant and an emptied object', () => {
    const wider = withScope(salesRep, 'customers', 'export', 'team');
    expect(wider.objects.customers).toEqual({ read: 'subteams', create: 'own', update: 'team', export: 'team' });
    expect(salesRep.objects.customers).not.toHaveProperty('export');
    const noNotes = withScope(salesRep, 'notes', 'read', 'none');
    expect(noNotes.objects).not.toHaveProperty('notes');
    expect(permissionChanges(salesRep, noNotes)).toEqual([{ kind: 'scope', object: 'notes', action: 'read', from: 'team', to: 'none' }]);
  });

  it('lists every change in the order the page shows them: cells, classes, fields, capabilities', () => {
    let draft = withScope(salesRep, 'customers', 'export', 'team');
    draft = withClassAccess(draft, 'sensitive', 'masked');
    draft = withFieldAccess(draft, 'person.phone', { own: 'read', team: 'masked', case: 'read', other: 'masked' });
    draft = withCapability(draft, 'readAudit', true);
    draft = withCapability(draft, 'reassignOwner', false);
    expect(permissionChanges(salesRep, draft)).toEqual([
      { kind: 'scope', object: 'customers', action: 'export', from: 'none', to: 'team' },
      { kind: 'class', sensitivity: 'sensitive', from: 'hidden', to: 'masked' },
      { kind: 'field', field: 'person.phone', from: null, to: { own: 'read', team: 'masked', case: 'read', other: 'masked' } },
      { kind: 'capability', capability: 'reassignOwner', granted: false },
      { kind: 'capability', capability: 'readAudit', granted: true },
    ]);
  });

  it('sees no change where an edit was taken back, or where one level was only spelled out per relation', () => {
    const back = withScope(withScope(salesRep, 'customers', 'read', 'all'), 'customers', 'read', 'subteams');
    expect(permissionChanges(salesRep, back)).toEqual([]);
    const spelledOut = withClassAccess(salesRep, 'sensitive', { own: 'hidden', team: 'hidden', case: 'hidden', other: 'hidden' });
    expect(permissionChanges(salesRep, spelledOut)).toEqual([]);
    expect(sameAccess('masked', { own: 'masked', team: 'masked', case: 'masked', other: 'read' })).toBe(false);
  });

  it('notices a field rule removed, and one changed', () => {
    const saved = withFieldAccess(salesRep, 'person.email', 'masked');
    expect(permissionChanges(saved, withFieldAccess(saved, 'person.email', null))).toEqual([{ kind: 'field', field: 'person.email', from: 'masked', to: null }]);
    expect(permissionChanges(saved, withFieldAccess(saved, 'person.email', 'read'))).toEqual([{ kind: 'field', field: 'person.email', from: 'masked', to: 'read' }]);
  });

  it('saves each access in its shortest form and the capabilities in their fixed order', () => {
    const draft = withCapability(withClassAccess(salesRep, 'public', { own: 'read', team: 'read', case: 'read', other: 'read' }), 'manageUsers', true);
    const saved = permissionsToSave(draft);
    expect(saved.fields.byClass.public).toBe('read');
    expect(saved.fields.byClass.personal).toEqual({ own: 'write', team: 'write', case: 'masked', other: 'masked' });
    expect(saved.capabilities).toEqual(['manageUsers', 'reassignOwner']);
    expect(compactAccess({ own: 'hidden', team: 'read', case: 'read', other: 'read' })).toEqual({ own: 'hidden', team: 'read', case: 'read', other: 'read' });
  });
});

describe('the key proposed for a new role', () => {
  it('follows the English name, within what the server accepts', () => {
    expect(suggestRoleKey('Key account manager')).toBe('key_account_manager');
    expect(suggestRoleKey('  Café & Bar staff ')).toBe('cafe_bar_staff');
    expect(suggestRoleKey('2nd-line support')).toBe('nd_line_support');
    expect(suggestRoleKey('大客户经理')).toBe('');
    expect(suggestRoleKey('x'.repeat(60))).toHaveLength(40);
  });
});
