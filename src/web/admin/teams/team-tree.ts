/** A team as GET /api/admin/teams lists it: the hierarchy is each team's parent link. */
export interface Team {
  id: string;
  name: string;
  parentId: string | null;
}

/** A team in the tree's reading order, with how deep it sits and how many teams sit directly below it. */
export interface TeamNode {
  team: Team;
  depth: number;
  subteams: number;
}

const byName = (a: Team, b: Team) => a.name.localeCompare(b.name);

/**
 * The flat list as a tree read top to bottom: each team followed by its sub-teams, siblings by
 * name. A team whose parent is not in the list is shown at the top level rather than lost.
 */
export function teamTree(teams: readonly Team[]): TeamNode[] {
  const known = new Set(teams.map((team) => team.id));
  const children = new Map<string | null, Team[]>();
  for (const team of teams) {
    const parent = team.parentId !== null && known.has(team.parentId) ? team.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), team]);
  }
  const nodes: TeamNode[] = [];
  const placed = new Set<string>();
  const visit = (team: Team, depth: number) => {
    // The server refuses cycles; this only keeps a corrupt list from looping forever.
    if (placed.has(team.id)) return;
    placed.add(team.id);
    const below = [...(children.get(team.id) ?? [])].sort(byName);
    nodes.push({ team, depth, subteams: below.length });
    for (const child of below) visit(child, depth + 1);
  };
  for (const root of [...(children.get(null) ?? [])].sort(byName)) visit(root, 0);
  return nodes;
}

/** The team and every team below it. */
export function subtreeOf(teams: readonly Team[], teamId: string): Set<string> {
  const inside = new Set([teamId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const team of teams) {
      if (team.parentId !== null && inside.has(team.parentId) && !inside.has(team.id)) {
        inside.add(team.id);
        grew = true;
      }
    }
  }
  return inside;
}

/**
 * The teams a team may move under, in tree order: not itself nor any team below it (the
 * server refuses those moves as cycles). A new team (`null`) may go under any team.
 */
export function parentChoices(teams: readonly Team[], teamId: string | null): TeamNode[] {
  const excluded = teamId === null ? new Set<string>() : subtreeOf(teams, teamId);
  return teamTree(teams).filter((node) => !excluded.has(node.team.id));
}

/** Indents a team in a native select, where only text can say how deep it sits. */
export const indented = (name: string, depth: number) => `${'\u00a0\u00a0\u00a0'.repeat(depth)}${name}`;
