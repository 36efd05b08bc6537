import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history-api.js';
import { groupChanges } from './history-groups.js';

const owner = { type: 'user' as const, id: 'u1', name: 'Olivia Owner' };
const rep = { type: 'user' as const, id: 'u2', name: 'Sam Rep' };
const retention = { type: 'system' as const, id: 'retention', name: 'retention' };
const entry = (id: string, at: string, actor: HistoryEntry['actor'], field = 'phone'): HistoryEntry => ({ id, at, field, kind: 'set', actor });

describe('the field history', () => {
  it('reads the fields one save changed as one change, in the order they were written', () => {
    const changes = groupChanges([
      entry('e5', '2026-11-29T10:00:00.000Z', owner, 'email'),
      entry('e4', '2026-11-29T10:00:00.000Z', owner, 'phone'),
      entry('e3', '2026-11-29T09:00:00.000Z', owner, 'source'),
      entry('e2', '2026-11-29T09:00:00.000Z', rep, 'phone'),
      entry('e1', '2026-11-29T09:00:00.000Z', retention, 'note'),
    ]);
    expect(changes.map((change) => [change.key, change.actor.id, change.entries.map((each) => each.field)])).toEqual([
      ['e5', 'u1', ['phone', 'email']],
      ['e3', 'u1', ['source']],
      ['e2', 'u2', ['phone']],
      ['e1', 'retention', ['note']],
    ]);
  });

  it('keeps a change whole across pages, and has nothing to show for no entries', () => {
    const firstPage = [entry('e3', '2026-11-29T10:00:00.000Z', owner, 'email')];
    const secondPage = [entry('e2', '2026-11-29T10:00:00.000Z', owner, 'phone'), entry('e1', '2026-11-29T08:00:00.000Z', owner)];
    expect(groupChanges([...firstPage, ...secondPage]).map((change) => change.entries.length)).toEqual([2, 1]);
    expect(groupChanges([])).toEqual([]);
  });
});
