import { describe, expect, it } from 'vitest';
import { filterValue } from './filter-value.js';

describe('the value a filter sends', () => {
  it('sends nothing for "is empty" and joins the choices of "is one of"', () => {
    expect(filterValue('text', 'empty', 'ignored', [])).toBe('');
    expect(filterValue('choice', 'in', '', ['lead', 'prospect'])).toBe('lead|prospect');
    expect(filterValue('choice', 'in', '', [])).toBeNull();
  });

  it('checks what was typed against the field type', () => {
    expect(filterValue('text', 'contains', '  acme ', [])).toBe('acme');
    expect(filterValue('text', 'eq', '   ', [])).toBeNull();
    expect(filterValue('text', 'eq', 'x'.repeat(201), [])).toBeNull();
    expect(filterValue('number', 'gt', '42.5', [])).toBe('42.5');
    expect(filterValue('number', 'gt', 'many', [])).toBeNull();
    expect(filterValue('date', 'lt', '2026-01-31', [])).toBe('2026-01-31');
    expect(filterValue('date', 'lt', '31/01/2026', [])).toBeNull();
    expect(filterValue('boolean', 'eq', 'true', [])).toBe('true');
  });

  it('sends money in minor units and a day of the record’s times as its local start', () => {
    expect(filterValue('money', 'gte', '1200.5', [])).toBe('120050');
    expect(filterValue('instant', 'gte', '2026-03-01', [])).toBe(new Date('2026-03-01T00:00:00').toISOString());
  });
});
