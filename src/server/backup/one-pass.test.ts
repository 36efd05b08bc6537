import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openDatabase, type Database } from '../db/database.js';
import { createLocalKeyProvider } from '../keys/key-provider.js';
import { createBackup } from './backup.js';
import { restoreImage } from './restore.js';

// The one-pass SQLite backup reads the database file itself while a server keeps writing and
// its checkpointer thread keeps moving pages into that file: the image must still be exactly
// the snapshot the manifest counted.

let database: Database | null = null;
let dir = '';
afterEach(async () => {
  await database?.close();
  database = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function insertRows(db: Database['db'], rows: number) {
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${rows}) insert into filler (body) select randomblob(3000) from n`.execute(db);
}

it('is the snapshot the manifest counted, while a server writes and its checkpointer thread runs', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-one-pass-'));
  database = openDatabase({ databaseUrl: null, sqlitePath: path.join(dir, 'custos.sqlite'), sqliteCheckpointer: true, sqliteCheckpointEveryMs: 50 });
  const db = database.db;
  await sql`create table filler (id integer primary key, body blob not null)`.execute(db);
  for (let i = 0; i < 100; i++) await insertRows(db, 100);

  let writing = true;
  let batches = 0;
  const writer = (async () => {
    while (writing) {
      await insertRows(db, 50);
      batches += 1;
      // Long enough apart for the checkpointer thread (every 50 ms here) to try its luck in between.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const keys = createLocalKeyProvider(randomBytes(32));
  const out = path.join(dir, 'b.cbk');
  const file = path.join(dir, 'custos.sqlite');
  const seen: { batches: number; size: number; changed: number }[] = [];
  const made = await createBackup({ database, databaseUrl: null, workDir: dir }, keys, systemClock, {
    out,
    onProgress: ({ phase }) => {
      if (phase !== 'encrypt') return;
      const stat = fs.statSync(file);
      seen.push({ batches, size: stat.size, changed: stat.mtimeMs });
    },
  }).finally(() => {
    writing = false;
  });
  await writer;
  expect(made.passes).toBe(1);
  // Writes went on while the file was read, and the file itself did not change meanwhile.
  expect(seen.at(-1)!.batches).toBeGreaterThan(seen[0]!.batches);
  expect(new Set(seen.map(({ size, changed }) => `${size} ${changed}`)).size).toBe(1);
  // With the backup over, the checkpointer moves those writes into the file.
  await expect.poll(() => fs.statSync(file).size, { timeout: 5_000, interval: 100 }).toBeGreaterThan(seen[0]!.size);
  const total = Number((await sql<{ n: number }>`select count(*) as n from filler`.execute(db)).rows[0]!.n);
  expect(total).toBeGreaterThan(made.manifest.tables.filler!);

  const copy = path.join(dir, 'restored.sqlite');
  await restoreImage(out, keys, () => ({ dialect: 'sqlite', sqlitePath: copy }));
  const restored = new SQLite(copy, { readonly: true });
  try {
    expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(restored.prepare('select count(*) from filler').pluck().get()).toBe(made.manifest.tables.filler);
  } finally {
    restored.close();
  }
});
