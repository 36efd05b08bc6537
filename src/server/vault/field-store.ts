import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
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

/** Whether two live customers share a blind-indexed value of this field (before it may become unique). */
export async function hasDuplicateValues(db: Kysely<DB>, workspaceId: string, field: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_lookup')
    .innerJoin('customers', (join) => join.onRef('customers.workspace_id', '=', 'customer_lookup.workspace_id').onRef('customers.id', '=', 'customer_lookup.customer_id'))
    .select('customer_lookup.token')
    .where('customer_lookup.workspace_id', '=', workspaceId)
    .where('customer_lookup.field', '=', field)
    .where('customers.deleted_at', 'is', null)
    .groupBy('customer_lookup.token')
    .having(sql`count(distinct ${sql.ref('customer_lookup.customer_id')})`, '>', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Active custom fields that set a retention period, in every workspace (for the retention job). */
export function fieldsWithRetention(db: Kysely<DB>): Promise<Pick<FieldDefinitionRow, 'workspace_id' | 'kind' | 'key' | 'retention_days'>[]> {
  return db
    .selectFrom('field_definitions')
    .select(['workspace_id', 'kind', 'key', 'retention_days'])
    .where('retention_days', 'is not', null)
    .where('archived_at', 'is', null)
    .orderBy('workspace_id')
    .execute();
}
