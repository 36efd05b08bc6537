import { describe, expect, it } from 'vitest';
import { parentChoices, subtreeOf, teamTree, type Team } from './team-tree.js';

const team = (id: string, name: string, parentId: string | null = null): Team => ({ id, name, parentId });
const TEAMS = [team('sh', 'Shanghai', 'east'), team('west', 'Sales West'), team('east', 'Sales East'), team('pd', 'Pudong', 'sh'), team('hz', 'Hangzhou', 'east')];

describe('the team tree', () => {
  it('reads top to bottom: each team followed by its sub-teams, siblings by name', () => {
    expect(teamTree(TEAMS).map((node) => [node.team.name, node.depth, node.subteams])).toEqual([
      ['Sales East', 0, 2],
      ['Hangzhou', 1, 0],
      ['Shanghai', 1, 1],
      ['Pudong', 2, 0],
      ['Sales West', 0, 0],
    ]);
  });

  it('shows a team whose parent is missing at the top level, and never loops on a corrupt list', () => {
    expect(teamTree([team('a', 'Orphan', 'gone')]).map((node) => node.depth)).toEqual([0]);
    expect(teamTree([team('a', 'A', 'b'), team('b', 'B', 'a')])).toEqual([]);
  });

  it('offers as parents every team but the one moved and those below it', () => {
    expect([...subtreeOf(TEAMS, 'east')].sort()).toEqual(['east', 'hz', 'pd', 'sh']);
    expect(parentChoices(TEAMS, 'sh').map((node) => node.team.id)).toEqual(['east', 'hz', 'west']);
    expect(parentChoices(TEAMS, null)).toHaveLength(TEAMS.length);
  });
});
