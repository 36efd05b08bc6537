import type { CustomerKind } from '../../shared/fields.js';
import type { ImportSettings, MatchBy, OnMatch } from './imports-api.js';

/**
 * The match fields in the order one is chosen by default: an external id is the source
 * system's own key for the customer, then the contact data least often shared between people.
 */
export const MATCH_FIELDS = ['externalId', 'email', 'phone', 'nationalId'] as const satisfies readonly MatchBy[];
export const ON_MATCH = ['update', 'fillEmpty', 'skip'] as const satisfies readonly OnMatch[];

/** The mapping step's choices: for each column of the file the field it goes into (null: not imported). */
export interface MappingState {
  kind: CustomerKind;
  columns: (string | null)[];
  /** Null while no match field is mapped. */
  matchBy: MatchBy | null;
  onMatch: OnMatch;
}

export type MappingAction =
  | { type: 'column'; index: number; key: string | null }
  /** `keys`: the fields of the new kind; a column whose field the kind lacks is left out. */
  | { type: 'kind'; kind: CustomerKind; keys: readonly string[] }
  | { type: 'matchBy'; matchBy: MatchBy }
  | { type: 'onMatch'; onMatch: OnMatch };

/** The match fields some column is mapped to, in MATCH_FIELDS order: only these can find existing customers. */
export function matchOptions(columns: readonly (string | null)[]): MatchBy[] {
  return MATCH_FIELDS.filter((key) => columns.includes(key));
}

/** Fields chosen for more than one column: the server takes a field once, so these must be resolved first. */
export function duplicateKeys(columns: readonly (string | null)[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const key of columns) {
    if (key === null) continue;
    if (seen.has(key)) twice.add(key);
    seen.add(key);
  }
  return twice;
}

/** The chosen match field while it stays mapped, else the first one mapped. */
function keepMatch(matchBy: MatchBy | null, columns: readonly (string | null)[]): MatchBy | null {
  const options = matchOptions(columns);
  return matchBy !== null && options.includes(matchBy) ? matchBy : (options[0] ?? null);
}

/** The server's suggestion, narrowed to the fields `keys` of the kind (it may suggest what the kind lacks). */
export function initialMapping(suggested: readonly (string | null)[], kind: CustomerKind, keys: readonly string[]): MappingState {
  const columns = suggested.map((key) => (key !== null && keys.includes(key) ? key : null));
  return { kind, columns, matchBy: keepMatch(null, columns), onMatch: 'update' };
}

export function mappingReducer(state: MappingState, action: MappingAction): MappingState {
  switch (action.type) {
    case 'column': {
      const columns = state.columns.map((key, index) => (index === action.index ? action.key : key));
      return { ...state, columns, matchBy: keepMatch(state.matchBy, columns) };
    }
    case 'kind': {
      const columns = state.columns.map((key) => (key !== null && action.keys.includes(key) ? key : null));
      return { ...state, kind: action.kind, columns, matchBy: keepMatch(state.matchBy, columns) };
    }
    case 'matchBy':
      return matchOptions(state.columns).includes(action.matchBy) ? { ...state, matchBy: action.matchBy } : state;
    case 'onMatch':
      return { ...state, onMatch: action.onMatch };
  }
}

/** Why the import cannot start yet, first reason first; null when it can. */
export type MappingProblem = 'nothingMapped' | 'duplicates' | 'noMatchField';

export function mappingProblem(state: MappingState): MappingProblem | null {
  if (state.columns.every((key) => key === null)) return 'nothingMapped';
  if (duplicateKeys(state.columns).size > 0) return 'duplicates';
  if (state.matchBy === null) return 'noMatchField';
  return null;
}

/** The body of `POST /api/imports/:id/start` (without `dryRun`), once nothing stands in the way. */
export function toSettings(state: MappingState): ImportSettings | null {
  if (mappingProblem(state) !== null || state.matchBy === null) return null;
  return { kind: state.kind, mapping: state.columns, matchBy: state.matchBy, onMatch: state.onMatch };
}
