import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_CHECKPOINT_PAGES } from './checkpointer.js';
import { openDatabase, type Database } from './database.js';

// A server's SQLite database is checkpointed by a worker thread: the server's connection
// writes only to the WAL, and the pages reach the database file all the same.

const opened: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(checkpointer: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-checkpointer-'));
  dirs.push(dir);
  const sqlitePath = path.join(dir, 'custos.sqlite');
  const database = openDatabase({ databaseUrl: null, sqlitePath, sqliteCheckpointer: checkpointer, sqliteCheckpointEveryMs: 100 });
  opened.push(database);
  return { database, sqlitePath };
}

const autocheckpoint = async (database: Database) => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db)).rows[0]!.wal_autocheckpoint;

/** About a page a row, 100 rows a transaction. */
async function writePages(database: Database, pages: number) {
  await sql`create table filler (body blob not null)`.execute(database.db);
  for (let i = 0; i < pages; i += 100) {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) insert into filler select randomblob(3900) from n`.execute(database.db);
  }
}

describe('the checkpointer thread', () => {
  it('moves committed pages into the database file while the connection never checkpoints by itself', async () => {
    const { database, sqlitePath } = open(true);
    expect(await autocheckpoint(database)).toBe(FALLBACK_CHECKPOINT_PAGES);
    const before = fs.statSync(sqlitePath).size;
    // Below the connection's own threshold: only the worker can put these pages in the file.
    await writePages(database, 1500);
    await expect.poll(() => fs.statSync(sqlitePath).size, { timeout: 10_000, interval: 100 }).toBeGreaterThan(before + 1400 * 4096);
    expect(Number((await sql<{ n: number }>`select count(*) as n from filler`.execute(database.db)).rows[0]!.n)).toBe(1500);
  });

  it('lets a process whose work is done end normally once it closed the database', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-checkpointer-'));
    dirs.push(dir);
    // Nothing else keeps this process alive while close() waits for the worker to stop.
    const script = `import(${JSON.stringify(path.resolve('src/server/db/database.ts'))}).then(async (m) => {
      const database = m.openDatabase({ databaseUrl: null, sqlitePath: ${JSON.stringify(path.join(dir, 'custos.sqlite'))}, sqliteCheckpointer: true });
      await database.close();
      console.log('closed');
    })`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('closed');
  });

  it('is not started for a process that does not ask for it: SQLite checkpoints every 1,000 pages itself', async () => {
    const { database } = open(false);
    expect(await autocheckpoint(database)).toBe(1000);
  });
});
