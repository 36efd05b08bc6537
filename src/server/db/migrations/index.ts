import type { Migration } from 'kysely';
import * as foundation from './20261129000000_foundation.js';
import * as vault from './20261129100000_vault.js';

/** The one linear migration chain, in order. Append; never edit a released entry. */
export const migrations: Record<string, Migration> = {
  '20261129000000_foundation': foundation,
  '20261129100000_vault': vault,
};
