import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The audit trail becomes a hash chain per workspace (issue #5), stored compactly:
// - `audit_heads`: each workspace's chain — a small number (`chain`), its last seq and hash;
//   the head is locked while a transaction appends.
// - `audit_log`: one row per event — chain, seq, time, the ids of its context and shape, the
//   object, metadata only when it is the event's own (lists, lookups), and the link hash.
// - `audit_contexts`: who and from where (actor, session, token, IP, user agent), stored once
//   per distinct combination; `audit_shapes`: what (action, object type, outcome, metadata),
//   once per distinct combination. Both are content-addressed: the id is a hash of the row.
// - `audit_events`: a view giving every event with all its columns, as before, for readers.
// - `audit_checkpoints`: the signed checkpoints; `audit_event_customers`: the customers an
//   event about many of them concerned (list pages, lookups).
// On PostgreSQL the log is partitioned by month. Events already recorded are chained in their
// order of time.

const BATCH = 2_000;

/** Chain format 1, as src/server/audit/chain.ts writes it (copied: migrations stand alone). */
const digest = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest().subarray(0, 16).toString('base64url');
const contextId = (e: Record<string, unknown>) => digest(['context', e.actor_type, e.actor_id, e.session_id, e.token_id, e.ip, e.user_agent]);
const ownMetadata = (metadata: string) => (metadata.includes('"customerIds"') ? metadata : null);
const shapeId = (e: Record<string, unknown>, shared: string | null) => digest(['shape', e.action, e.object_type, e.outcome, shared]);
const field = (value: string | null) => (value === null ? '-' : `${Buffer.byteLength(value)}:${value}`);
function blockHash(previous: Buffer, chain: number, events: { seq: number; at: number; context: string; shape: string; object_id: string | null; metadata: string | null }[]): Buffer {
  const lines = events.map((e) => `${e.seq} ${e.at} ${e.context} ${e.shape} ${field(e.object_id)} ${field(e.metadata)}`);
  return createHash('sha256').update(`custos-audit/1/${chain}/${previous.toString('hex')}\n${lines.join('\n')}`).digest();
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const binary = postgres ? 'bytea' : 'blob';
  // SQLite: rows stored in their primary key's order, without a rowid beside it.
  const compact = postgres ? sql`` : sql`without rowid`;

  await db.schema
    .createTable('audit_heads')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('chain', 'integer', (c) => c.notNull().unique())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', binary, (c) => c.notNull())
    .execute();

  let log = db.schema
    .createTable('audit_log')
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('shape', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text')
    .addColumn('metadata', 'text')
    // Set on the last event of each block (the events one transaction appended).
    .addColumn('hash', binary);
  // A partitioned table's key must hold the partition column.
  log = postgres
    ? log.addPrimaryKeyConstraint('audit_log_pk', ['chain', 'seq', 'at']).modifyEnd(sql`partition by range (at)`)
    : log.addPrimaryKeyConstraint('audit_log_pk', ['chain', 'seq']).modifyEnd(compact);
  await log.execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').columns(['chain', 'at']).execute();
  await db.schema.createIndex('audit_log_context_idx').on('audit_log').columns(['chain', 'context', 'seq']).execute();
  await db.schema.createIndex('audit_log_object_idx').on('audit_log').columns(['chain', 'object_id']).execute();

  await db.schema
    .createTable('audit_contexts')
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('token_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addPrimaryKeyConstraint('audit_contexts_pk', ['chain', 'id'])
    .modifyEnd(compact)
    .execute();
  await db.schema.createIndex('audit_contexts_actor_idx').on('audit_contexts').columns(['chain', 'actor_id']).execute();
  await db.schema
    .createTable('audit_shapes')
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text')
    .addPrimaryKeyConstraint('audit_shapes_pk', ['chain', 'id'])
    .modifyEnd(compact)
    .execute();

  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', binary, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('key_fingerprint', 'text', (c) => c.notNull())
    .addColumn('signature', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_checkpoints_pk', ['workspace_id', 'seq'])
    .execute();
  await db.schema
    .createTable('audit_event_customers')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_event_customers_pk', ['workspace_id', 'customer_id', 'seq'])
    .execute();

  if (postgres) {
    // Events land in their month's partition, made ahead of time by the server's audit job;
    // the default partition takes what arrives before it (the job moves those rows out).
    await sql`create table audit_log_default partition of audit_log default`.execute(db);
    await sql`
      create function audit_ensure_month_partition(month_start bigint, month_end bigint) returns boolean
      language plpgsql as $$
      declare name text := 'audit_log_' || to_char(to_timestamp(month_start / 1000.0) at time zone 'UTC', 'YYYY_MM');
      begin
        if to_regclass(name) is not null then return false; end if;
        execute format('create table %I (like audit_log including defaults)', name);
        execute format('with moved as (delete from audit_log_default where at >= %s and at < %s returning *) insert into %I select * from moved', month_start, month_end, name);
        execute format('alter table audit_log attach partition %I for values from (%s) to (%s)', name, month_start, month_end);
        return true;
      end $$`.execute(db);
  }

  // Chain what is there, workspace by workspace, in order of time.
  const workspaces = await db.selectFrom('audit_events').select('workspace_id').distinct().orderBy('workspace_id').execute();
  for (const [index, { workspace_id }] of workspaces.entries()) {
    const chain = index + 1;
    let seq = 0;
    let hash: Buffer = Buffer.alloc(32);
    let after: { at: number; id: string } | null = null;
    for (;;) {
      let query = db.selectFrom('audit_events').selectAll().where('workspace_id', '=', workspace_id);
      if (after) {
        const { at, id } = after;
        query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
      }
      const rows: Record<string, any>[] = await query.orderBy('at').orderBy('id').limit(BATCH).execute();
      if (rows.length === 0) break;
      const contexts = new Map<string, Record<string, unknown>>();
      const shapes = new Map<string, Record<string, unknown>>();
      const events = rows.map((row) => {
        seq += 1;
        const own = ownMetadata(row.metadata);
        const shared = own === null ? row.metadata : null;
        const context = contextId(row);
        const shape = shapeId(row, shared);
        contexts.set(context, { chain, id: context, actor_type: row.actor_type, actor_id: row.actor_id, session_id: row.session_id, token_id: row.token_id, ip: row.ip, user_agent: row.user_agent });
        shapes.set(shape, { chain, id: shape, action: row.action, object_type: row.object_type, outcome: row.outcome, metadata: shared });
        return { chain, seq, at: Number(row.at), context, shape, object_id: row.object_id as string | null, metadata: own, hash: null as Buffer | null };
      });
      // Each batch is one block.
      hash = blockHash(hash, chain, events);
      events.at(-1)!.hash = hash;
      for (const [table, values] of [['audit_contexts', [...contexts.values()]], ['audit_shapes', [...shapes.values()]]] as const) {
        for (let i = 0; i < values.length; i += 500) {
          await db
            .insertInto(table)
            .values(values.slice(i, i + 500))
            .onConflict((oc) => oc.columns(['chain', 'id']).doNothing())
            .execute();
        }
      }
      for (let i = 0; i < events.length; i += 500) await db.insertInto('audit_log').values(events.slice(i, i + 500)).execute();
      const last = rows.at(-1)!;
      after = { at: Number(last.at), id: last.id };
    }
    await db.insertInto('audit_heads').values({ workspace_id, chain, seq, hash }).execute();
  }

  await db.schema.dropTable('audit_events').execute();
  // Readers see every event whole, as before: the workspace, the context and the shape joined in.
  const id = postgres ? sql<string>`lpad(e.seq::text, 12, '0')` : sql<string>`printf('%012d', e.seq)`;
  await db.schema
    .createView('audit_events')
    .as(
      db
        .selectFrom('audit_log as e')
        .innerJoin('audit_heads as h', 'h.chain', 'e.chain')
        .innerJoin('audit_contexts as c', (join) => join.onRef('c.chain', '=', 'e.chain').onRef('c.id', '=', 'e.context'))
        .innerJoin('audit_shapes as s', (join) => join.onRef('s.chain', '=', 'e.chain').onRef('s.id', '=', 'e.shape'))
        .select([
          'h.workspace_id',
          'e.seq',
          id.as('id'),
          'e.at',
          'c.actor_type',
          'c.actor_id',
          'c.session_id',
          'c.token_id',
          'c.ip',
          'c.user_agent',
          's.action',
          's.object_type',
          'e.object_id',
          's.outcome',
          (eb) => eb.fn.coalesce('e.metadata', 's.metadata').as('metadata'),
          'e.hash',
        ]),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropView('audit_events').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function audit_ensure_month_partition`.execute(db);
  for (const table of ['audit_event_customers', 'audit_checkpoints', 'audit_shapes', 'audit_contexts', 'audit_log', 'audit_heads']) await db.schema.dropTable(table).execute();
}
