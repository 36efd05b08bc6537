import { describe, expect, it } from 'vitest';
import { can } from './use-can.js';

// The `objects` part of `policies` as GET /api/auth/me sends it for a sales rep and for an analyst.
const salesRep = { objects: { customers: ['read', 'create', 'update', 'delete'], notes: ['read', 'create', 'update', 'delete'], cases: ['read', 'create', 'update', 'delete'] } } as const;
const analyst = { objects: { customers: ['read', 'export'], transactions: ['read', 'export'], events: ['read', 'export'], contact_points: [], notes: [] } } as const;

describe('can', () => {
  it.each([
    ['a sales rep creates customers', salesRep, 'customers', 'create', true],
    ['a sales rep does not reveal sensitive values', salesRep, 'customers', 'reveal', false],
    ['a sales rep writes notes', salesRep, 'notes', 'create', true],
    ['an analyst reads customers', analyst, 'customers', 'read', true],
    ['an analyst does not create customers', analyst, 'customers', 'create', false],
    ['an analyst does not read notes (an empty list of actions)', analyst, 'notes', 'read', false],
    ['an analyst does not read addresses (an object the map leaves out)', analyst, 'addresses', 'read', false],
    ['an analyst reads the timeline', analyst, 'events', 'read', true],
  ] as const)('%s', (_story, policies, object, action, expected) => {
    expect(can(policies, object, action)).toBe(expected);
  });

  it('allows nothing with an empty map', () => {
    expect(can({ objects: {} }, 'customers', 'read')).toBe(false);
  });
});
