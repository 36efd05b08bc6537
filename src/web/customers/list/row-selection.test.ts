import { describe, expect, it } from 'vitest';
import { pageSelection, toggled, toggledPage } from './row-selection.js';

const loaded = ['a', 'b', 'c'];

describe('the rows ticked in the customers list', () => {
  it('ticks and unticks one row, leaving the others', () => {
    const one = toggled(new Set(), 'a');
    expect([...one]).toEqual(['a']);
    expect([...toggled(toggled(one, 'b'), 'a')]).toEqual(['b']);
  });

  it('shows the header box as none, some or all of the loaded rows ticked', () => {
    expect(pageSelection(new Set(), loaded)).toBe('none');
    expect(pageSelection(new Set(['x']), loaded)).toBe('none');
    expect(pageSelection(new Set(['b']), loaded)).toBe('some');
    expect(pageSelection(new Set(loaded), loaded)).toBe('all');
    // Nothing loaded: nothing to tick.
    expect(pageSelection(new Set(['a']), [])).toBe('none');
  });

  it('ticks every loaded row from the header unless all are ticked, then unticks them', () => {
    expect([...toggledPage(new Set(['b']), loaded)].sort()).toEqual(['a', 'b', 'c']);
    expect([...toggledPage(new Set(loaded), loaded)]).toEqual([]);
    // Rows ticked before a filter narrowed nothing here: a row not loaded keeps its state.
    expect([...toggledPage(new Set(['a', 'b', 'c', 'z']), loaded)]).toEqual(['z']);
  });

  it('never changes the selection it was given', () => {
    const before = new Set(['a']);
    toggled(before, 'b');
    toggledPage(before, loaded);
    expect([...before]).toEqual(['a']);
  });
});
