import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: a migration never imports the application and never changes once released.
// The audit trail becomes a hash chain per workspace (issue #5): every event gets its number in
// the workspace's sequence and the hash linking it to the one before; `audit_heads` holds each
// chain's last link (locked while a transaction appends), `audit_checkpoints` the signed
// checkpoints, `audit_event_customers` which customers an event about many (a list page, a
// lookup) concerned — so "who saw this customer" is an index lookup. On PostgreSQL the events
// are partitioned by month. Events already recorded are chained in their order of time.

const COLUMNS = ['workspace_id', 'seq', 'id', 'at', 'actor_type', 'actor_id', 'session_id', 'token_id', 'ip', 'user_agent', 'action', 'object_type', 'object_id', 'outcome', 'metadata'] as const;

/** Chain format 1, as src/server/audit/chain.ts writes it (copied: migrations stand alone). */
function linkHash(previous: Buffer, event: Record<string, unknown>): Buffer {
  const fields = COLUMNS.map((column) => (column === 'seq' || column === 'at' ? Number(event[column]) : event[column]));
  return createHash('sha256')
    .update(previous)
    .update(JSON.stringify([1, ...fields]))
    .digest();
}

const BATCH = 2_000;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const binary = postgres ? 'bytea' : 'blob';

  let table = db.schema
    .createTable('audit_events_chained')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('token_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('hash', binary, (c) => c.notNull());
  // A partitioned table's key must hold the partition column.
  table = postgres
    ? table.addPrimaryKeyConstraint('audit_events_chain_pk', ['workspace_id', 'seq', 'at']).modifyEnd(sql`partition by range (at)`)
    : table.addPrimaryKeyConstraint('audit_events_chain_pk', ['workspace_id', 'seq']);
  await table.execute();

  await db.schema
    .createTable('audit_heads')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', binary, (c) => c.notNull())
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
    await sql`create table audit_events_default partition of audit_events_chained default`.execute(db);
    await sql`
      create function audit_ensure_month_partition(month_start bigint, month_end bigint) returns boolean
      language plpgsql as $$
      declare name text := 'audit_events_' || to_char(to_timestamp(month_start / 1000.0) at time zone 'UTC', 'YYYY_MM');
      begin
        if to_regclass(name) is not null then return false; end if;
        execute format('create table %I (like audit_events including defaults)', name);
        execute format('with moved as (delete from audit_events_default where at >= %s and at < %s returning *) insert into %I select * from moved', month_start, month_end, name);
        execute format('alter table audit_events attach partition %I for values from (%s) to (%s)', name, month_start, month_end);
        return true;
      end $$`.execute(db);
  }

  // Chain what is there, workspace by workspace, in order of time.
  const workspaces = await db.selectFrom('audit_events').select('workspace_id').distinct().execute();
  for (const { workspace_id } of workspaces) {
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
      const chained = rows.map((row) => {
        seq += 1;
        const event = { ...row, seq, at: Number(row.at) };
        hash = linkHash(hash, event);
        return { ...event, hash };
      });
      for (let i = 0; i < chained.length; i += 500) await db.insertInto('audit_events_chained').values(chained.slice(i, i + 500)).execute();
      const last = rows.at(-1)!;
      after = { at: Number(last.at), id: last.id };
    }
    await db.insertInto('audit_heads').values({ workspace_id, seq, hash }).execute();
  }

  await db.schema.dropTable('audit_events').execute();
  await db.schema.alterTable('audit_events_chained').renameTo('audit_events').execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').columns(['workspace_id', 'at']).execute();
  await db.schema.createIndex('audit_events_actor_idx').on('audit_events').columns(['workspace_id', 'actor_id', 'at']).execute();
  await db.schema.createIndex('audit_events_object_idx').on('audit_events').columns(['workspace_id', 'object_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function audit_ensure_month_partition`.execute(db);
  for (const table of ['audit_event_customers', 'audit_checkpoints', 'audit_heads']) await db.schema.dropTable(table).execute();
}
