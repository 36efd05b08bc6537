import type { Kysely, Selectable, Updateable } from 'kysely';
import type { DB, FieldDefinitionsTable } from '../db/schema.js';

export type FieldDefinitionRow = Selectable<FieldDefinitionsTable>;

export function listFieldDefinitions(db: Kysely<DB>, workspaceId: string): Promise<FieldDefinitionRow[]> {
  return db.selectFrom('field_definitions').selectAll().where('workspace_id', '=', workspaceId).orderBy('position').execute();
}

export function insertFieldDefinition(db: Kysely<DB>, row: FieldDefinitionRow): Promise<unknown> {
  return db.insertInto('field_definitions').values(row).execute();
}

export function updateFieldDefinition(db: Kysely<DB>, workspaceId: string, kind: string, key: string, changes: Updateable<FieldDefinitionsTable>): Promise<unknown> {
  return db.updateTable('field_definitions').set(changes).where('workspace_id', '=', workspaceId).where('kind', '=', kind).where('key', '=', key).execute();
}
