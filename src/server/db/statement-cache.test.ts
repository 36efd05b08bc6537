import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database.js';

// Another process (the CLI: seed-demo, audit verify, backup recover) may write to the SQLite
// file while the server runs. A transaction of ours that read before the other committed must
// wait for its turn, not fail with SQLITE_BUSY.

let dir: string;
let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A second process that takes the write lock, writes, holds it `ms`, then commits. */
function otherWriter(file: string, ms: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('begin immediate');
    db.prepare('insert into t (v) values (?)').run('other');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('commit');
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
}

describe('SQLite transactions', () => {
  it('wait for another process holding the write lock instead of failing', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-lock-'));
    const file = path.join(dir, 'custos.sqlite');
    database = openDatabase({ databaseUrl: null, sqlitePath: file });
    const { db } = database;
    await sql`create table t (v text)`.execute(db);
    await otherWriter(file, 400);
    const started = performance.now();
    await db.transaction().execute(async (trx) => {
      await sql`select count(*) from t`.execute(trx);
      await sql`insert into t (v) values (${'ours'})`.execute(trx);
    });
    expect(performance.now() - started).toBeGreaterThan(100);
    const rows = await sql<{ v: string }>`select v from t order by rowid`.execute(db);
    expect(rows.rows.map((row) => row.v)).toEqual(['other', 'ours']);
  });
});
