import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditAction } from '../audit/events.js';
import { AUDIT_ACTIONS } from '../../web/audit/audit-actions.js';
import { createTally, isExposing, shownBy } from './exposure.js';
import { csvCell, csvLine, fileName } from './file-format.js';
import { decodeCursor, encodeCursor, filterShape, parseAction, parseRange, parseTime } from './query.js';

/** What a spreadsheet reads back from one CSV cell (RFC 4180 quoting). */
function unquote(cell: string): string {
  return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

describe('CSV cells', () => {
  it('never start with what a spreadsheet runs as a formula, and keep the value behind one apostrophe', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const read = unquote(csvCell(value));
        expect(read).not.toMatch(/^[=+\-@\t\r]/);
        expect(/^[=+\-@\t\r]/.test(value) ? read === `'${value}` : read === value).toBe(true);
      }),
    );
  });

  it('quotes separators, quotes and line breaks; writes nothing for null and JSON for objects', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, { x: 1 }, 7])).toBe('"a,b","say ""hi""","two\nlines",,"{""x"":1}",7\r\n');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1')).toBe("'-1");
  });

  it('names a file by what it holds and when (UTC)', () => {
    expect(fileName('audit-events', new Date('2026-11-29T09:05:07.123Z'), 'csv')).toBe('audit-events-20261129-090507.csv');
  });
});

describe('search parameters', () => {
  it('reads ISO 8601 dates as whole UTC days and date-times as given', () => {
    expect(parseTime('2026-11-30', 'from')).toBe(Date.parse('2026-11-30T00:00:00Z'));
    expect(parseTime('2026-11-30', 'to')).toBe(Date.parse('2026-11-30T23:59:59.999Z'));
    expect(parseTime('2026-11-30T08:00:00+08:00', 'to')).toBe(Date.parse('2026-11-30T00:00:00Z'));
    for (const bad of ['2026-02-30', '2026-13-01', '2026-02-29T10:00:00Z']) expect(() => parseTime(bad, 'from'), bad).toThrow(/ISO 8601/);
    expect(parseTime('2028-02-29', 'from')).toBe(Date.parse('2028-02-29T00:00:00Z'));
    expect(() => parseRange('2026-12-01', '2026-11-30')).toThrow(/before/);
    expect(parseRange('2026-11-30', '2026-11-30')).toEqual({ from: Date.parse('2026-11-30T00:00:00Z'), to: Date.parse('2026-11-30T23:59:59.999Z') });
  });

  it('turns `area.*` into a prefix and keeps an exact action as it is', () => {
    expect(parseAction('customer.*')).toEqual({ prefix: 'customer.' });
    expect(parseAction('customer.viewed')).toEqual({ exact: 'customer.viewed' });
  });

  it('opens only the cursors it made', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (at, seq) => {
        expect(decodeCursor(encodeCursor({ at, seq }))).toEqual({ at, seq });
      }),
    );
    for (const bad of ['', 'bm9wZQ', Buffer.from('1.2.3').toString('base64url'), Buffer.from('-1.2').toString('base64url')]) expect(() => decodeCursor(bad), bad).toThrow(/cursor/);
  });

  it('describes a search by the names of its filters, never their values', () => {
    expect(filterShape({ actor: 'u', customerId: 'c', action: 'customer.*', from: 'x', outcome: 'denied' })).toEqual(['actor', 'customerId', 'action.*', 'from', 'outcome']);
    expect(filterShape({ action: 'customer.viewed', to: 'y' })).toEqual(['action', 'to']);
  });
});

const event = (action: string, metadata: unknown, object: string | null = null, at = 0) => ({
  at,
  action,
  object_type: object ? 'customer' : null,
  object_id: object,
  metadata: JSON.stringify(metadata),
});

describe('what an event showed', () => {
  it('reads views, list pages, lookups, reveals, activity and exports', () => {
    expect(shownBy(event('customer.viewed', { fields: { name: 'clear', phone: 'masked', nationalId: 'hidden' } }, 'c1'))).toEqual({
      customerIds: ['c1'],
      fields: [
        ['name', 'clear'],
        ['phone', 'masked'],
      ],
      activity: null,
      exportedRows: 0,
    });
    expect(shownBy(event('customer.listed', { customerIds: ['c1', 'c2'], fields: { name: 'masked' } }))).toMatchObject({ customerIds: ['c1', 'c2'], fields: [['name', 'masked']] });
    // Recorded before list pages carried their fields: which customers, but no field known.
    expect(shownBy(event('customer.looked_up', { field: 'email', matches: 1, customerIds: ['c3'] }))).toEqual({ customerIds: ['c3'], fields: [], activity: null, exportedRows: 0 });
    expect(shownBy(event('customer.revealed', { fields: ['nationalId'], reason: 'contract' }, 'c1')).fields).toEqual([['nationalId', 'revealed']]);
    expect(shownBy(event('customer.activity_viewed', { what: 'notes', count: 2 }, 'c1'))).toEqual({ customerIds: ['c1'], fields: [], activity: 'notes', exportedRows: 0 });
    expect(shownBy(event('customers.exported', { rows: 120 }))).toEqual({ customerIds: [], fields: [], activity: 'exported', exportedRows: 120 });
    expect(shownBy(event('customers.exported', { rows: 2, customerIds: ['c1', 'c2'], fields: ['name', 'email'] }))).toEqual({
      customerIds: ['c1', 'c2'],
      fields: [
        ['name', 'clear'],
        ['email', 'clear'],
      ],
      activity: 'exported',
      exportedRows: 2,
    });
    expect(shownBy(event('customer.viewed', 'not an object', 'c1'))).toEqual({ customerIds: ['c1'], fields: [], activity: null, exportedRows: 0 });
  });

  it('counts reads and exports of customer data, not the audit trail’s own exports', () => {
    for (const action of ['customer.viewed', 'customer.listed', 'customer.looked_up', 'customer.revealed', 'customer.activity_viewed', 'customers.exported']) expect(isExposing(action), action).toBe(true);
    for (const action of ['audit.exported', 'customer.updated', 'customer.created', 'audit.searched']) expect(isExposing(action), action).toBe(false);
  });
});

describe('the exposure tally', () => {
  it('keeps the highest level of each field, the first and last time, and the events per day', () => {
    const tally = createTally();
    const day = 86_400_000;
    const seen = [
      { at: 1 * day + 5, shown: { fields: [['name', 'masked']] as [string, 'masked'][], activity: null } },
      { at: 1 * day + 9, shown: { fields: [['name', 'clear']] as [string, 'clear'][], activity: 'notes' } },
      { at: 3 * day, shown: { fields: [['name', 'masked'], ['nationalId', 'revealed']] as [string, 'masked' | 'revealed'][], activity: null } },
    ];
    for (const { at, shown } of seen) {
      tally.countEvent(at);
      tally.add('c1', at, shown, at === 3 * day ? 'token-1' : null);
    }
    tally.add('c2', 2 * day, { fields: [], activity: null });
    expect(tally.events).toBe(3);
    expect(tally.size).toBe(2);
    expect(tally.days()).toEqual([
      { day: '1970-01-02', events: 2 },
      { day: '1970-01-04', events: 1 },
    ]);
    expect(tally.entries()).toEqual([
      { key: 'c1', firstSeen: new Date(day + 5).toISOString(), lastSeen: new Date(3 * day).toISOString(), events: 3, fields: { name: 'clear', nationalId: 'revealed' }, activity: ['notes'], tokenIds: ['token-1'] },
      { key: 'c2', firstSeen: new Date(2 * day).toISOString(), lastSeen: new Date(2 * day).toISOString(), events: 1, fields: {}, activity: [], tokenIds: [] },
    ]);
  });
});

describe('the audit page’s action filter', () => {
  it('offers every action the trail records, and no other', () => {
    // Checked by the compiler (npm run typecheck): an action missing from the page's list, or
    // one the trail does not record, makes one of these a type error.
    const known: readonly AuditAction[] = AUDIT_ACTIONS;
    const complete: [Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>] extends [never] ? true : false = true;
    expect(complete).toBe(true);
    expect(new Set(known).size).toBe(AUDIT_ACTIONS.length);
  });
});
