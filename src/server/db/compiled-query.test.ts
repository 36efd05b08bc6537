import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/factories.js';
import { compiledInsert, compiledLookup, compiledSelect } from './compiled-query.js';
import { migrateToLatest } from './database.js';

let target: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  target = await openTestDatabase();
  await migrateToLatest(target.database.db);
});
afterEach(async () => {
  await target.drop();
});

const insertWorkspaces = compiledInsert('workspaces', ['id', 'name', 'require_mfa', 'created_at', 'updated_at'], { sizes: [4, 2, 1] });
const workspace = (i: number) => ({ id: `w${String(i).padStart(3, '0')}`, name: `Workspace ${i}`, require_mfa: i % 2, created_at: i, updated_at: i * 10 });

describe('compiledInsert', () => {
  it('writes every row with its own values, whatever the count, in statements of the given sizes', async () => {
    const { db } = target.database;
    for (const count of [0, 1, 2, 3, 7, 13]) {
      await db.deleteFrom('workspaces').execute();
      const rows = Array.from({ length: count }, (_, i) => workspace(i));
      await insertWorkspaces(db, rows);
      const stored = await db.selectFrom('workspaces').select(['id', 'name', 'require_mfa', 'created_at', 'updated_at']).orderBy('id').execute();
      expect(stored, `${count} rows`).toEqual(rows);
    }
  });

  it('runs in the transaction it is given, and rolls back with it', async () => {
    const { db } = target.database;
    await expect(
      db.transaction().execute(async (trx) => {
        await insertWorkspaces(trx, [workspace(1), workspace(2), workspace(3)]);
        expect(await trx.selectFrom('workspaces').select('id').execute()).toHaveLength(3);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.selectFrom('workspaces').select('id').execute()).toEqual([]);
  });

  it('refuses sizes without a one-row statement for the remainder', () => {
    expect(() => compiledInsert('workspaces', ['id'], { sizes: [4, 2] })).toThrow(/one-row statement/);
  });
});

describe('compiledSelect', () => {
  it('binds each value where the query takes it, on every call', async () => {
    const { db } = target.database;
    await insertWorkspaces(db, [workspace(1), workspace(2), workspace(3)]);
    const byIdOrName = compiledSelect((d, id: string, name: string) => d.selectFrom('workspaces').select('id').where((eb) => eb.or([eb('id', '=', id), eb('name', '=', name)])).orderBy('id'));
    expect(await byIdOrName(db, 'w001', 'Workspace 3')).toEqual([{ id: 'w001' }, { id: 'w003' }]);
    expect(await byIdOrName(db, 'w002', 'nobody')).toEqual([{ id: 'w002' }]);
    const one = compiledLookup((d, id) => d.selectFrom('workspaces').select('name').where('id', '=', id));
    expect(await one(db, 'w002')).toEqual({ name: 'Workspace 2' });
    expect(await one(db, 'w404')).toBeUndefined();
  });

  it('refuses a query that binds a value twice or not at all', async () => {
    const { db } = target.database;
    const twice = compiledSelect((d, id: string) => d.selectFrom('workspaces').select('id').where('id', '=', id).where('name', '=', id));
    await expect(twice(db, 'w001')).rejects.toThrow(/exactly once/);
    const never = compiledSelect((d, _id: string) => d.selectFrom('workspaces').select('id'));
    await expect(never(db, 'w001')).rejects.toThrow(/exactly once/);
  });
});
