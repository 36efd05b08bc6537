// Where the customers benchmark keeps the seeded customers — a SQLite file in the scratch
// directory, or a PostgreSQL database made for the run on the server BENCH_DATABASE_URL names
// (dropped afterwards) — and what the benchmark reads straight from it: sampled ids, list
// cursors, the storage breakdown, and the bare baseline reading the same rows.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { encodeCursor, type Sort } from '../src/server/vault/gateway/list-query.js';
import { startBare } from './bare-launch.js';
import { repoRoot } from './common.js';
import type { StoredObject } from './customers-report.js';
import { sqlitePathOf, type CustosInstall } from './custos-server.js';
import type { ServerProcess } from './server-process.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Ids the GET runs rotate through: enough that a 10 s run at full speed rarely asks twice. */
const MAX_SAMPLED_IDS = 200_000;

/** The list the latency runs page through: filtered on a plain value, newest change first. */
export const LIST_FILTER = { key: 'lifecycleStage', op: 'eq', value: 'customer' } as const;
export const LIST_QUERY = `filter=${LIST_FILTER.key}:${LIST_FILTER.op}:${LIST_FILTER.value}&sort=-updatedAt`;
const LIST_SORT: Sort = { key: 'updatedAt', direction: 'desc', target: { kind: 'column', column: 'updated_at', valueType: 'number', nullable: false } };

interface Row {
  id: string;
  updated_at: number;
}

const cursorOf = (row: Row) => encodeCursor(LIST_SORT, { value: Number(row.updated_at), id: row.id });

export interface Samples {
  workspaceId: string;
  /** Customer ids sampled at random across the whole table, in random order. */
  ids: string[];
  /** Cursors after each sampled customer (in the same order), for pages from anywhere in the list. */
  randomCursors: string[];
  /** How many customers the list's filter keeps. */
  listed: number;
  /** The cursor after the customer halfway down the filtered list. */
  middleCursor: string;
  storage: StoredObject[];
}

export interface BenchDatabase {
  kind: DatabaseKind;
  /** What the custos commands run against. */
  install: CustosInstall;
  /** Whole database after seeding: customers, keys, lookup rows, audit events. */
  sizeBytes(): Promise<number>;
  /** Read before any server starts. */
  readSamples(customers: number): Promise<Samples>;
  /** The bare baseline of GET /api/customers/:id, reading the seeded rows. */
  startBaseline(workspaceId: string, readyPath: string): Promise<ServerProcess>;
  description: string;
  drop(): Promise<void>;
}

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/**
 * Copies a file and waits until the copy is on disk: gigabytes of dirty pages being written
 * back would stall every fsync of the server measured next.
 */
function copyToDisk(from: string, to: string): void {
  fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
  const fd = fs.openSync(to, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes of every table and index of a SQLite file, largest first (SQLite's dbstat; throws on builds without it). */
export function dbstat(db: Database.Database): { name: string; table: string; bytes: number }[] {
  return db
    .prepare<[], { name: string; tbl: string; bytes: number }>(
      'SELECT s.name AS name, COALESCE(m.tbl_name, s.name) AS tbl, SUM(s.pgsize) AS bytes FROM dbstat AS s LEFT JOIN sqlite_schema AS m ON m.name = s.name GROUP BY s.name ORDER BY bytes DESC',
    )
    .all()
    .map((row) => ({ name: row.name, table: row.tbl, bytes: row.bytes }));
}

export function sqliteDatabase(scratch: string): BenchDatabase {
  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'customers-custos') };
  const file = sqlitePathOf(install);
  return {
    kind: 'sqlite',
    install,
    description: 'bare Fastify 5 + better-sqlite3: the raw row by (workspace_id, id), prepared statement, on a copy of the file',
    sizeBytes: async () => sizeOf(file) + sizeOf(`${file}-wal`),
    async readSamples(customers) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const workspaces = db.prepare<[], string>('SELECT id FROM workspaces').pluck().all();
        if (workspaces.length !== 1) throw new Error(`expected one workspace in the seeded database, found ${workspaces.length}`);
        const workspaceId = workspaces[0]!;
        const sampled = db
          .prepare<[string, number], Row>('SELECT id, updated_at FROM customers WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY random() LIMIT ?')
          .all(workspaceId, MAX_SAMPLED_IDS);
        const listed = `json_extract(plain_values, '$.${LIST_FILTER.key}') = ?`;
        const count = db.prepare<[string, string], number>(`SELECT count(*) FROM customers WHERE workspace_id = ? AND deleted_at IS NULL AND ${listed}`).pluck().get(workspaceId, LIST_FILTER.value)!;
        const middle = db
          .prepare<[string, string, number], Row>(`SELECT id, updated_at FROM customers WHERE workspace_id = ? AND deleted_at IS NULL AND ${listed} ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?`)
          .get(workspaceId, LIST_FILTER.value, Math.floor(count / 2));
        if (sampled.length === 0 || !middle) throw new Error(`the seeded database has no customers whose ${LIST_FILTER.key} is ${LIST_FILTER.value}`);
        let storage: StoredObject[] = [];
        try {
          // dbstat walks every page: a few seconds per GB. SQLite builds without it just skip the breakdown.
          storage = dbstat(db).map((row) => ({ ...row, bytesPerCustomer: row.bytes / customers }));
        } catch (error) {
          console.log(`  (no storage breakdown: ${error instanceof Error ? error.message : String(error)})`);
        }
        return { workspaceId, ids: sampled.map((row) => row.id), randomCursors: sampled.map(cursorOf), listed: count, middleCursor: cursorOf(middle), storage };
      } finally {
        db.close();
      }
    },
    async startBaseline(workspaceId, readyPath) {
      // The baseline reads a copy: nothing it does can touch Custos's file, and Custos's audit rows do not reach it.
      const bareFile = path.join(scratch, 'customers-bare.sqlite');
      const copyStarted = performance.now();
      copyToDisk(file, bareFile);
      if (fs.existsSync(`${file}-wal`)) copyToDisk(`${file}-wal`, `${bareFile}-wal`);
      console.log(`  copied the file for the bare baseline in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`);
      return startBare('customers', { BARE_SQLITE_PATH: bareFile, BARE_WORKSPACE_ID: workspaceId }, readyPath);
    },
    drop: async () => undefined,
  };
}

/**
 * A database of the run's own on the PostgreSQL server of `serverUrl` (its user needs
 * CREATEDB), dropped by `drop`. Custos and the baseline both read it, one after the other.
 */
export async function postgresDatabase(scratch: string, serverUrl: string): Promise<BenchDatabase> {
  const name = `custos_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const install: CustosInstall = { repoRoot, dataDir: path.join(scratch, 'customers-custos'), databaseUrl };
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  console.log(`  PostgreSQL database ${name} on ${url.host} (dropped at the end)`);
  return {
    kind: 'postgres',
    install,
    description: 'bare Fastify 5 + pg: the raw row by (workspace_id, id), one parameterized query through a pool of 10, on the same database',
    sizeBytes: async () => Number((await query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes'))[0]!.bytes),
    async readSamples(customers) {
      const workspaces = await query<{ id: string }>('SELECT id FROM workspaces');
      if (workspaces.length !== 1) throw new Error(`expected one workspace in the seeded database, found ${workspaces.length}`);
      const workspaceId = workspaces[0]!.id;
      const sampled = await query<Row>('SELECT id, updated_at FROM customers WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY random() LIMIT $2', [workspaceId, MAX_SAMPLED_IDS]);
      const listed = `plain_values::jsonb ->> '${LIST_FILTER.key}' = $2`;
      const [counted] = await query<{ count: string }>(`SELECT count(*) AS count FROM customers WHERE workspace_id = $1 AND deleted_at IS NULL AND ${listed}`, [workspaceId, LIST_FILTER.value]);
      const count = Number(counted!.count);
      const [middle] = await query<Row>(`SELECT id, updated_at FROM customers WHERE workspace_id = $1 AND deleted_at IS NULL AND ${listed} ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET $3`, [
        workspaceId,
        LIST_FILTER.value,
        Math.floor(count / 2),
      ]);
      if (sampled.length === 0 || !middle) throw new Error(`the seeded database has no customers whose ${LIST_FILTER.key} is ${LIST_FILTER.value}`);
      // Tables with their TOAST, free-space and visibility maps; indexes on their own.
      const storage = (
        await query<{ name: string; tbl: string; bytes: string }>(
          `SELECT c.relname AS name, COALESCE(t.relname, c.relname) AS tbl,
                  CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_table_size(c.oid) END AS bytes
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
            ORDER BY bytes DESC`,
        )
      ).map((row) => ({ name: row.name, table: row.tbl, bytes: Number(row.bytes), bytesPerCustomer: Number(row.bytes) / customers }));
      return { workspaceId, ids: sampled.map((row) => row.id), randomCursors: sampled.map(cursorOf), listed: count, middleCursor: cursorOf(middle), storage };
    },
    startBaseline: (workspaceId, readyPath) => startBare('customers-pg', { BARE_DATABASE_URL: databaseUrl, BARE_WORKSPACE_ID: workspaceId }, readyPath),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
