import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from './audit-actions.js';
import { NO_FILTERS, auditParams, draftIsValid, endOfDay, exposureQuery, exposureSubject, groupByArea, readFilters, readTab, searchQuery, startOfDay } from './audit-filters.js';

const CUSTOMER = '0190f5a2-0000-7000-8000-000000000000';

describe('the audit page’s address', () => {
  it('reads back what it wrote, leaving empty filters out', () => {
    const filters = { ...NO_FILTERS, actor: 'u-1', customerId: CUSTOMER, action: 'customer.*', from: '2026-11-01', outcome: 'denied' as const };
    const params = auditParams('exposure', filters);
    expect(params.toString()).toBe(`tab=exposure&actor=u-1&customerId=${CUSTOMER}&action=customer.*&from=2026-11-01&outcome=denied`);
    expect(readTab(params)).toBe('exposure');
    expect(readFilters(params)).toEqual(filters);
    expect(auditParams('events', NO_FILTERS).toString()).toBe('');
  });

  it('drops what cannot be a filter: malformed days, unknown outcomes and tabs, overlong text', () => {
    const params = new URLSearchParams({ tab: 'secrets', from: 'yesterday', to: '2026-11-30', outcome: 'maybe', actor: 'x'.repeat(100) });
    expect(readTab(params)).toBe('events');
    expect(readFilters(params)).toEqual({ ...NO_FILTERS, to: '2026-11-30', actor: 'x'.repeat(64) });
  });
});

describe('what the API is asked', () => {
  it('sends calendar days as the instants they start and end at in the user’s time zone', () => {
    expect(new Date(startOfDay('2026-11-30')).getTime()).toBe(new Date(2026, 10, 30, 0, 0, 0, 0).getTime());
    expect(new Date(endOfDay('2026-11-30')).getTime()).toBe(new Date(2026, 10, 30, 23, 59, 59, 999).getTime());
    const query = new URLSearchParams(searchQuery({ ...NO_FILTERS, action: 'customer.viewed', from: '2026-11-30', to: '2026-11-30' }, { format: 'csv' }));
    expect(Object.fromEntries(query)).toEqual({ action: 'customer.viewed', from: startOfDay('2026-11-30'), to: endOfDay('2026-11-30'), format: 'csv' });
  });

  it('asks exposure about the actor when there is one, else about a well-formed customer id', () => {
    expect(exposureSubject({ ...NO_FILTERS, actor: 'u-1', customerId: CUSTOMER })).toEqual({ by: 'actor', actor: 'u-1' });
    expect(exposureSubject({ ...NO_FILTERS, customerId: CUSTOMER })).toEqual({ by: 'customer', customerId: CUSTOMER });
    expect(exposureSubject({ ...NO_FILTERS, customerId: 'not-an-id' })).toBeNull();
    expect(exposureQuery({ by: 'customer', customerId: CUSTOMER }, { from: '', to: '' }, { format: 'csv' })).toBe(`customerId=${CUSTOMER}&format=csv`);
  });

  it('sends only drafts the server would take', () => {
    expect(draftIsValid({ customerId: '', from: '', to: '' })).toBe(true);
    expect(draftIsValid({ customerId: ` ${CUSTOMER} `, from: '2026-11-01', to: '2026-11-01' })).toBe(true);
    expect(draftIsValid({ customerId: 'abc', from: '', to: '' })).toBe(false);
    expect(draftIsValid({ customerId: '', from: '2026-11-02', to: '2026-11-01' })).toBe(false);
  });
});

describe('the action filter', () => {
  it('groups every action under its area, each once', () => {
    const groups = groupByArea(AUDIT_ACTIONS);
    expect(groups.flatMap((group) => group.actions)).toHaveLength(new Set(AUDIT_ACTIONS).size);
    expect(groups.find((group) => group.area === 'customer')?.actions).toContain('customer.viewed');
    for (const group of groups) for (const action of group.actions) expect(action.startsWith(`${group.area}.`)).toBe(true);
  });
});
