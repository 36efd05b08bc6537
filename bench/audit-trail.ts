// What the audit benchmark does to the trail itself: count and read the `customer.viewed`
// events a server wrote, append many more like them through the real audit service, measure
// the SQLite file and its tables, and run `custos audit verify`. None of it runs while a
// server does: the file is measured after a checkpoint, and the events are written by this
// process alone.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { buildApp } from '../src/server/app.js';
import { indexObjectRuns } from '../src/server/audit/object-index.js';
import type { AuditEventInput } from '../src/server/audit/service.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/database.js';
import { createLocalKeyProvider, loadMasterKey } from '../src/server/keys/key-provider.js';
import { dbstat } from './customers-db.js';
import { cli, serverEnv, sqlitePathOf, type CustosInstall } from './custos-server.js';

/** Generation progress is printed at most this often. */
const PROGRESS_EVERY_MS = 10_000;

/** A `customer.viewed` event as the server wrote it: who read, from where, which customer, and at which field levels. */
export interface ViewedEvent {
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  objectId: string;
  metadata: string;
}

function withFile<T>(install: CustosInstall, options: Database.Options, work: (db: Database.Database) => T): T {
  const db = new Database(sqlitePathOf(install), { fileMustExist: true, ...options });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** How many `customer.viewed` events the trail holds (read while a server runs: WAL readers do not block it). */
export function countViewed(install: CustosInstall): number {
  return withFile(install, { readonly: true }, (db) => db.prepare<[], number>("SELECT count(*) FROM audit_events WHERE action = 'customer.viewed'").pluck().get()!);
}

/** The latest `customer.viewed` events, at most `limit`: the shape generated events copy. */
export function readViewedEvents(install: CustosInstall, limit: number): ViewedEvent[] {
  return withFile(install, { readonly: true }, (db) =>
    db
      .prepare<[number], ViewedEvent>(
        "SELECT token_id AS tokenId, ip, user_agent AS userAgent, object_id AS objectId, metadata FROM audit_events WHERE action = 'customer.viewed' ORDER BY seq DESC LIMIT ?",
      )
      .all(limit),
  );
}

export interface TableBytes {
  name: string;
  table: string;
  bytes: number;
}

export interface Storage {
  /** custos.sqlite after a TRUNCATE checkpoint (its -wal is then empty). */
  fileBytes: number;
  objects: TableBytes[];
}

/**
 * Moves the WAL into the file and empties it (`wal_checkpoint(TRUNCATE)`), then measures the
 * file and, with dbstat, each table and index. No server may have the file open.
 */
export function measureStorage(install: CustosInstall): Storage {
  return withFile(install, {}, (db) => {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.busy !== 0) throw new Error(`the WAL checkpoint could not complete: ${JSON.stringify(result)}`);
    const wal = `${sqlitePathOf(install)}-wal`;
    const fileBytes = fs.statSync(sqlitePathOf(install)).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
    return { fileBytes, objects: dbstat(db) };
  });
}

export interface Generated {
  events: number;
  seconds: number;
  /** Generated events per actor's token id. */
  byToken: Record<string, number>;
}

/**
 * Appends `count` `customer.viewed` events through the real audit service (`recordMany`, in
 * transactions of `perCommit`), copying `templates` — events the server wrote for these
 * tokens' reads: the same customers and field levels, from the same address and user agent.
 * The actors are the ones the server resolves for the tokens. The transactions take the tokens
 * in turn; each goes round its own events.
 */
export async function generateViewedEvents(
  install: CustosInstall,
  tokens: readonly string[],
  templates: readonly ViewedEvent[],
  count: number,
  perCommit: number,
  onProgress: (line: string) => void,
): Promise<Generated> {
  const env = serverEnv(install);
  const config = loadConfig(env);
  const database = openDatabase(config);
  try {
    const { app, services } = await buildApp({ config, keys: createLocalKeyProvider(loadMasterKey(env, config.dataDir).key), logger: false, database });
    try {
      const actors = [];
      for (const token of tokens) {
        const auth = await services.auth.authenticateToken(token, { ip: templates[0]?.ip ?? null, userAgent: templates[0]?.userAgent ?? null });
        if (!auth) throw new Error('a bench token did not authenticate');
        const own = templates.filter((event) => event.tokenId === auth.actor.tokenId);
        if (own.length === 0) throw new Error(`the trail holds no customer.viewed event of ${auth.user.email}'s token to copy`);
        const events: AuditEventInput<'customer.viewed'>[] = own.map((event) => ({
          action: 'customer.viewed',
          outcome: 'success',
          metadata: JSON.parse(event.metadata) as AuditEventInput<'customer.viewed'>['metadata'],
          object: { type: 'customer', id: event.objectId },
        }));
        actors.push({ actor: { ...auth.actor, ip: own[0]!.ip, userAgent: own[0]!.userAgent }, tokenId: auth.actor.tokenId!, events, next: 0 });
      }
      const byToken: Record<string, number> = {};
      const started = performance.now();
      let lastProgress = started;
      let written = 0;
      for (let turn = 0; written < count; turn++) {
        const source = actors[turn % actors.length]!;
        const batch = Array.from({ length: Math.min(perCommit, count - written) }, () => source.events[source.next++ % source.events.length]!);
        await database.db.transaction().execute((trx) => services.audit.recordMany(source.actor, batch, trx));
        written += batch.length;
        byToken[source.tokenId] = (byToken[source.tokenId] ?? 0) + batch.length;
        if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = performance.now();
          const rate = written / ((lastProgress - started) / 1000);
          onProgress(`${written.toLocaleString('en')}/${count.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s`);
        }
      }
      // The object index takes in the runs completed last (as the server's background step
      // would): the storage measured next holds every event's share of it.
      await indexObjectRuns(database.db);
      return { events: written, seconds: (performance.now() - started) / 1000, byToken };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

export interface Verification {
  /** From the command's JSON: every chain intact, events checked, seconds of the check itself. */
  ok: boolean;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** From starting `custos audit verify --json` to its exit: start-up, migrations check, the check, its own audit event. */
  wallSeconds: number;
}

/** `custos audit verify --json` on the install; throws when it fails (a broken chain exits 1). */
export function verifyTrail(install: CustosInstall): Verification {
  const started = performance.now();
  const stdout = cli(install, ['audit', 'verify', '--json']);
  const wallSeconds = (performance.now() - started) / 1000;
  const { ok, events, seconds } = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { ok: boolean; events: number; seconds: number };
  if (!ok) throw new Error(`custos audit verify found a problem: ${stdout.slice(0, 1000)}`);
  return { ok, events, seconds, eventsPerSecond: events / seconds, wallSeconds };
}
